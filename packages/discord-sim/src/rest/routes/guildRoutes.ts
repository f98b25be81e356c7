import { apiChannel, apiGuild, apiMember, apiRole } from '../../apiObjects.ts';
import { Intent } from '../../gateway/Gateway.ts';
import { basePermissions, Perm } from '../../permissions.ts';
import { guildForRest, type RestDeps } from '../RestDeps.ts';
import { isReply, MISSING_PERMISSIONS, ok, UNKNOWN_MEMBER, UNKNOWN_ROLE, type Reply, type Route } from '../reply.ts';

/** Guilds, their channels, roles and members, and adding/removing a member's role. */
export function guildRoutes({ state, gateway }: RestDeps): Route[] {
  const changeMemberRole = (m: RegExpExecArray, add: boolean): Reply => {
    const g = guildForRest(state, m[1] as string);
    if (isReply(g)) return g;
    const member = state.memberOf(g, m[2] as string);
    if (!member) return UNKNOWN_MEMBER();
    const role = g.roles.find((r) => r.id === m[3]);
    if (!role || role.id === g.id) return UNKNOWN_ROLE();
    const botUserId = state.identity.botUserId;
    const me = state.memberOf(g, botUserId);
    const myPerms = basePermissions({ guildId: g.id, ownerId: g.ownerId, userId: botUserId, roleIds: me?.roles ?? [], roles: g.roles });
    const myTop = Math.max(0, ...g.roles.filter((r) => me?.roles.includes(r.id)).map((r) => r.position));
    // Manage Roles (Administrator implies it), and only roles below the bot's highest role: Administrator does not
    // lift the hierarchy, only owning the server does. Integration roles (bots, boosts) nobody gives by hand.
    const isOwner = botUserId === g.ownerId;
    if ((myPerms & Perm.ManageRoles) === 0n || role.managed || (role.position >= myTop && !isOwner)) return MISSING_PERMISSIONS();
    const had = member.roles.includes(role.id);
    if (add && !had) member.roles.push(role.id);
    if (!add && had) member.roles = member.roles.filter((r) => r !== role.id);
    if (add !== had) gateway.dispatch('GUILD_MEMBER_UPDATE', { ...apiMember(member), guild_id: g.id }, { intent: Intent.GuildMembers, guildId: g.id });
    return { status: 204 };
  };

  return [
    ['GET', /^\/guilds\/(\d+)$/, (m, ctx) => {
      const g = guildForRest(state, m[1] as string);
      if (isReply(g)) return g;
      const counts = ctx.url.searchParams.get('with_counts') === 'true';
      return ok({ ...apiGuild(g), ...(counts ? { approximate_member_count: g.members.length, approximate_presence_count: 0 } : {}) });
    }, true],
    ['GET', /^\/guilds\/(\d+)\/channels$/, (m) => {
      const g = guildForRest(state, m[1] as string);
      return isReply(g) ? g : ok(g.channels.map((c) => apiChannel(c, state.lastMessageId(c.id))));
    }, true],
    ['GET', /^\/guilds\/(\d+)\/roles$/, (m) => {
      const g = guildForRest(state, m[1] as string);
      return isReply(g) ? g : ok(g.roles.map(apiRole));
    }, true],
    ['GET', /^\/guilds\/(\d+)\/members$/, (m, ctx) => {
      const g = guildForRest(state, m[1] as string);
      if (isReply(g)) return g;
      const limit = Math.min(1000, Number(ctx.url.searchParams.get('limit') ?? 1));
      const after = ctx.url.searchParams.get('after') ?? '0';
      return ok(g.members.filter((x) => BigInt(x.id) > BigInt(after)).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).slice(0, limit).map((x) => apiMember(x)));
    }, true],
    ['GET', /^\/guilds\/(\d+)\/members\/(\d+)$/, (m) => {
      const g = guildForRest(state, m[1] as string);
      if (isReply(g)) return g;
      const mem = state.memberOf(g, m[2] as string);
      return mem ? ok(apiMember(mem)) : UNKNOWN_MEMBER();
    }, true],
    ['PUT', /^\/guilds\/(\d+)\/members\/(\d+)\/roles\/(\d+)$/, (m) => changeMemberRole(m, true), true],
    ['DELETE', /^\/guilds\/(\d+)\/members\/(\d+)\/roles\/(\d+)$/, (m) => changeMemberRole(m, false), true],
  ];
}
