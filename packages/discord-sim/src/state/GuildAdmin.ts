import { apiChannel, apiMember, apiRole, type RoleState } from '../apiObjects.ts';
import { DiscordSimError } from '../DiscordSimError.ts';
import { Intent, type Gateway } from '../gateway/Gateway.ts';
import { guildCreatePayload } from '../gateway/gatewayPayloads.ts';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Perm } from '../permissions.ts';
import { snowflake, spreadSnowflakes } from '../snowflake.ts';
import type { SimAttachment, SimAttachmentInput, SimChannel, SimChannelInput, SimGuild, SimGuildInput, SimMember, SimMemberInput, SimRole, SimRoleInput, SimRoleUpdate } from '../types.ts';
import type { GuildState, SimState } from './SimState.ts';

/**
 * The test side's changes to the world — guilds, channels, roles, members, channel permissions,
 * attachments — each announced to connected clients with the gateway event Discord would send.
 */
export class GuildAdmin {
  constructor(
    private readonly state: SimState,
    private readonly gateway: Gateway,
    private readonly baseUrl: () => string,
  ) {}

  addGuild(input: SimGuildInput): SimGuild {
    const { botUserId, botUsername } = this.state.identity;
    const id = input.id ?? snowflake();
    if (this.state.guilds.get(id) && !this.state.guilds.get(id)?.removed) throw new DiscordSimError(`Guild ${id} already exists`);
    const joinedAt = new Date().toISOString();
    const roles: RoleState[] = [{ id, name: '@everyone', permissions: DEFAULT_EVERYONE_PERMISSIONS.toString(), position: 0, managed: false }];
    for (const r of input.roles ?? []) {
      roles.push({ id: r.id ?? snowflake(), name: r.name, permissions: r.permissions ?? '0', position: roles.length, managed: false });
    }
    const botRole: RoleState = { id: snowflake(), name: botUsername, permissions: DEFAULT_BOT_PERMISSIONS.toString(), position: roles.length, managed: true, botId: botUserId };
    roles.push(botRole);
    const guild: GuildState = { id, name: input.name, ownerId: '', channels: [], roles, members: [], removed: false };
    const roleIdFor = (ref: string) => roles.find((r) => r.id === ref || r.name === ref)?.id ?? ref;
    for (const m of input.members ?? []) {
      this.state.users.set(m.id, { id: m.id, username: m.username, bot: m.bot ?? false });
      guild.members.push({ id: m.id, username: m.username, roles: (m.roles ?? []).map(roleIdFor), bot: m.bot ?? false, joinedAt });
    }
    guild.members.push({ id: botUserId, username: botUsername, roles: [botRole.id], bot: true, joinedAt });
    guild.ownerId = input.ownerId ?? input.members?.[0]?.id ?? snowflake();
    for (const c of input.channels ?? []) this.state.attachChannel(guild, c);
    this.state.guilds.set(id, guild);
    this.gateway.dispatch('GUILD_CREATE', guildCreatePayload(this.state, guild), { guildId: id });
    return guild;
  }

  /** `count` guilds whose ids spread evenly over shards (consecutive snowflake timestamps). */
  addGuilds(count: number, input: (index: number) => Omit<SimGuildInput, 'id'> = (i) => ({ name: `Guild ${i + 1}`, channels: [{ name: 'general' }] })): SimGuild[] {
    return spreadSnowflakes(count).map((id, i) => this.addGuild({ ...input(i), id }));
  }

  removeGuild(guildId: string): void {
    const guild = this.state.requireGuild(guildId);
    guild.removed = true;
    this.gateway.dispatch('GUILD_DELETE', { id: guildId }, { guildId });
  }

  addChannel(guildId: string, input: SimChannelInput): SimChannel {
    const guild = this.state.requireGuild(guildId);
    const channel = this.state.attachChannel(guild, input);
    this.gateway.dispatch('CHANNEL_CREATE', apiChannel(channel, null), { intent: Intent.Guilds, guildId });
    return channel;
  }

  deleteChannel(guildId: string, channelId: string): void {
    const guild = this.state.requireGuild(guildId);
    const entry = this.state.channels.get(channelId);
    if (!entry || entry.guild !== guild || entry.deleted) throw new DiscordSimError(`Channel ${channelId} is not a live channel of guild ${guildId}`);
    entry.deleted = true;
    guild.channels = guild.channels.filter((c) => c.id !== channelId);
    this.gateway.dispatch('CHANNEL_DELETE', apiChannel(entry.channel, this.state.lastMessageId(channelId)), { intent: Intent.Guilds, guildId });
  }

  /** A new role at the bottom of the list (position 1), as Discord creates roles; the others move up one. */
  addRole(guildId: string, input: SimRoleInput): SimRole {
    const guild = this.state.requireGuild(guildId);
    const role: RoleState = { id: input.id ?? snowflake(), name: input.name, permissions: input.permissions ?? '0', position: 1, managed: false };
    const moved = guild.roles.filter((r) => r.id !== guildId);
    for (const r of moved) r.position++;
    guild.roles.push(role);
    this.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guildId, role: apiRole(role) }, { intent: Intent.Guilds, guildId });
    for (const r of moved) this.gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: guildId, role: apiRole(r) }, { intent: Intent.Guilds, guildId });
    return role;
  }

  /**
   * Renames a role, sets its permissions, or moves it to `position` (1 = just above @everyone) with the roles in
   * between shifting by one, as Discord's role reordering does. Every role that changed is sent as GUILD_ROLE_UPDATE.
   */
  updateRole(guildId: string, roleId: string, update: SimRoleUpdate): SimRole {
    const guild = this.state.requireGuild(guildId);
    const role = guild.roles.find((r) => r.id === roleId);
    if (!role || role.id === guildId) throw new DiscordSimError(`Role ${roleId} is not a role of guild ${guildId} that can be changed`);
    const changed = new Set<RoleState>();
    if (update.name !== undefined) role.name = update.name;
    if (update.permissions !== undefined) role.permissions = update.permissions;
    if (update.name !== undefined || update.permissions !== undefined) changed.add(role);
    if (update.position !== undefined) {
      const order = guild.roles.filter((r) => r.id !== guildId && r !== role).sort((a, b) => a.position - b.position);
      const index = Math.max(0, Math.min(order.length, update.position - 1));
      order.splice(index, 0, role);
      order.forEach((r, i) => {
        if (r.position !== i + 1) {
          r.position = i + 1;
          changed.add(r);
        }
      });
    }
    for (const r of changed) this.gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: guildId, role: apiRole(r) }, { intent: Intent.Guilds, guildId });
    return role;
  }

  addMember(guildId: string, input: SimMemberInput): SimMember {
    const guild = this.state.requireGuild(guildId);
    const existing = guild.members.find((m) => m.id === input.id);
    if (existing) return existing;
    this.state.users.set(input.id, { id: input.id, username: input.username, bot: input.bot ?? false });
    const roleIdFor = (ref: string) => guild.roles.find((r) => r.id === ref || r.name === ref)?.id ?? ref;
    const member: SimMember = { id: input.id, username: input.username, roles: (input.roles ?? []).map(roleIdFor), bot: input.bot ?? false, joinedAt: new Date().toISOString() };
    guild.members.push(member);
    this.gateway.dispatch('GUILD_MEMBER_ADD', { ...apiMember(member), guild_id: guildId }, { intent: Intent.GuildMembers, guildId });
    return member;
  }

  /** The guild member with this id, added (as a known user or a fresh one) if they are not a member yet. */
  memberOrCreate(guild: GuildState, userId: string): SimMember {
    const existing = this.state.memberOf(guild, userId);
    if (existing) return existing;
    const known = this.state.users.get(userId);
    return this.addMember(guild.id, { id: userId, username: known?.username ?? `user${userId.slice(-4)}`, bot: known?.bot ?? false });
  }

  setChannelPermissions(channelId: string, perms: { canSend: boolean }): void {
    const botUserId = this.state.identity.botUserId;
    const entry = this.state.channels.get(channelId);
    if (!entry || entry.deleted) throw new DiscordSimError(`Unknown channel ${channelId}; add it with addGuild/addChannel first`);
    const ch = entry.channel;
    ch.permissionOverwrites = ch.permissionOverwrites.filter((o) => !(o.type === 1 && o.id === botUserId));
    if (!perms.canSend) ch.permissionOverwrites.push({ id: botUserId, type: 1, allow: '0', deny: Perm.SendMessages.toString() });
    this.gateway.dispatch('CHANNEL_UPDATE', apiChannel(ch, this.state.lastMessageId(ch.id)), { intent: Intent.Guilds, guildId: ch.guildId });
  }

  addAttachment(input: SimAttachmentInput): SimAttachment {
    const id = snowflake();
    const content = typeof input.content === 'string' ? Buffer.from(input.content) : input.content;
    const attachment: SimAttachment = {
      id,
      filename: input.filename,
      contentType: input.contentType ?? null,
      size: content.length,
      url: `${this.baseUrl()}/cdn/ephemeral-attachments/${this.state.identity.applicationId}/${id}/${encodeURIComponent(input.filename)}`,
      content,
    };
    this.state.attachments.set(id, attachment);
    return attachment;
  }
}
