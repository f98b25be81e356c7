/**
 * A guild member's roles over Discord REST (so a worker without a gateway session can change them), and why the
 * bot cannot manage a role, in words that say what to fix. Used by every feature that gives roles (role rewards,
 * the shop, channel rewards).
 */
import { DiscordAPIError, PermissionFlagsBits, Routes, type APIGuildMember, type APIRole, type APIUser, type REST } from 'discord.js';

/** Discord's JSON error codes this module acts on. */
export const DiscordErrorCode = { UnknownGuild: 10004, UnknownMember: 10007, UnknownRole: 10011, MissingAccess: 50001, MissingPermissions: 50013 } as const;

/** Errors that mean the member or the whole server is out of reach: the user left, or the bot was removed. */
function isGone(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === DiscordErrorCode.UnknownMember || error.code === DiscordErrorCode.UnknownGuild || error.code === DiscordErrorCode.MissingAccess)
  );
}

/** Why the bot cannot give or take a role; `text` says what to fix. */
export interface RoleProblem {
  kind: 'unknown-role' | 'everyone' | 'managed' | 'manage-roles' | 'hierarchy' | 'unknown';
  roleId: string;
  text: string;
}

type Rest = Pick<REST, 'get' | 'put' | 'delete'>;

function unknownRole(roleId: string): RoleProblem {
  return { kind: 'unknown-role', roleId, text: `the role with id ${roleId} no longer exists (it was deleted): choose another role` };
}

const botUserIds = new WeakMap<object, Promise<string>>();

/** The bot's own user id (`GET /users/@me`, asked once per REST client). */
export function botUserId(rest: Rest): Promise<string> {
  let id = botUserIds.get(rest);
  if (!id) {
    id = (rest.get(Routes.user('@me')) as Promise<APIUser>).then((u) => u.id);
    id.catch(() => botUserIds.delete(rest));
    botUserIds.set(rest, id);
  }
  return id;
}

/** Whether role `a` sits above role `b` in the server's role list (position, then the older id, as Discord sorts). */
export function roleAbove(a: Pick<APIRole, 'id' | 'position'>, b: Pick<APIRole, 'id' | 'position'>): boolean {
  if (a.position !== b.position) return a.position > b.position;
  return BigInt(a.id) < BigInt(b.id);
}

/**
 * What stops the bot from giving `roleId` in `guildId`, judged from the server's roles and the bot's member:
 * the role is gone, is @everyone, belongs to an integration, the bot lacks Manage Roles, or the bot's highest role
 * is not above it. Null when the bot can manage it.
 */
export function judgeRole(input: { guildId: string; roleId: string; roles: readonly APIRole[]; botRoleIds: readonly string[] }): RoleProblem | null {
  const { guildId, roleId, roles } = input;
  const role = roles.find((r) => r.id === roleId);
  if (!role) return unknownRole(roleId);
  const name = `@${role.name}`;
  if (role.id === guildId) return { kind: 'everyone', roleId, text: 'everyone already has @everyone: choose another role' };
  if (role.managed) return { kind: 'managed', roleId, text: `${name} belongs to an integration (a bot or Server Boost), which nobody can give by hand: choose another role` };
  const mine = roles.filter((r) => r.id === guildId || input.botRoleIds.includes(r.id));
  const perms = mine.reduce((acc, r) => acc | BigInt(r.permissions), 0n);
  if ((perms & (PermissionFlagsBits.ManageRoles | PermissionFlagsBits.Administrator)) === 0n) {
    return { kind: 'manage-roles', roleId, text: `kickcord needs the Manage Roles permission to give ${name}: Server Settings → Roles → kickcord's role → turn on Manage Roles` };
  }
  const top = mine.filter((r) => r.id !== guildId).reduce<APIRole | undefined>((best, r) => (!best || roleAbove(r, best) ? r : best), undefined);
  if (!top || !roleAbove(top, role)) {
    return { kind: 'hierarchy', roleId, text: `move kickcord's role${top ? ` (@${top.name})` : ''} above ${name} in Server Settings → Roles: Discord lets a bot give only roles below its own` };
  }
  return null;
}

/** Asks Discord for the server's roles and the bot's member and judges each role (see {@link judgeRole}). */
export async function diagnoseRoles(rest: Rest, guildId: string, roleIds: readonly string[]): Promise<Map<string, RoleProblem | null>> {
  const me = await botUserId(rest);
  const [roles, member] = (await Promise.all([rest.get(Routes.guildRoles(guildId)), rest.get(Routes.guildMember(guildId, me))])) as [APIRole[], APIGuildMember];
  return new Map(roleIds.map((roleId) => [roleId, judgeRole({ guildId, roleId, roles, botRoleIds: member.roles })]));
}

/** A member's role ids, or null when the user is not (or no longer) a member of the server, or the bot is not in it. */
export async function memberRoleIds(rest: Rest, guildId: string, userId: string): Promise<string[] | null> {
  try {
    const member = (await rest.get(Routes.guildMember(guildId, userId))) as APIGuildMember;
    return member.roles;
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

/** What one role change did. */
export type RoleChangeOutcome = { ok: true } | { ok: false; gone: true } | { ok: false; problem: RoleProblem };

/**
 * Gives (`add`) or takes a role over REST with the audit-log `reason` (`X-Audit-Log-Reason`). A member who left (or a
 * server the bot left) is `gone`; Discord's refusals (Missing Permissions, Unknown Role) come back as a {@link RoleProblem} saying what to
 * fix. Anything else (Discord down, rate limits past the REST client's retries) throws.
 */
export async function changeMemberRole(rest: Rest, input: { guildId: string; userId: string; roleId: string; add: boolean; reason: string }): Promise<RoleChangeOutcome> {
  const route = Routes.guildMemberRole(input.guildId, input.userId, input.roleId);
  try {
    if (input.add) await rest.put(route, { reason: input.reason });
    else await rest.delete(route, { reason: input.reason });
    return { ok: true };
  } catch (error) {
    if (isGone(error)) return { ok: false, gone: true };
    if (!(error instanceof DiscordAPIError)) throw error;
    if (error.code === DiscordErrorCode.UnknownRole) {
      return { ok: false, problem: unknownRole(input.roleId) };
    }
    if (error.code === DiscordErrorCode.MissingPermissions) {
      const judged = await diagnoseRoles(rest, input.guildId, [input.roleId]).then((m) => m.get(input.roleId) ?? null).catch(() => null);
      return {
        ok: false,
        problem: judged ?? { kind: 'unknown', roleId: input.roleId, text: `Discord refused to ${input.add ? 'give' : 'take'} <@&${input.roleId}> (Missing Permissions): kickcord needs Manage Roles and a role above it` },
      };
    }
    throw error;
  }
}
