import type { SimAttachment, SimChannel, SimMember, SimRole } from './types.ts';

/** A user known to the simulator. */
export interface SimUser {
  id: string;
  username: string;
  bot: boolean;
}

/** Internal role state (the bot's managed role carries `botId`). */
export type RoleState = SimRole & { botId?: string };

/** A Discord user object. */
export function apiUser(u: SimUser): Record<string, unknown> {
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: u.bot ? null : u.username,
    avatar: null,
    ...(u.bot ? { bot: true } : {}),
    public_flags: 0,
  };
}

/** A Discord guild member object (with the user unless `withUser` is false). */
export function apiMember(m: SimMember, withUser = true): Record<string, unknown> {
  return {
    ...(withUser ? { user: apiUser({ id: m.id, username: m.username, bot: m.bot }) } : {}),
    roles: [...m.roles],
    joined_at: m.joinedAt,
    nick: null,
    avatar: null,
    banner: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    premium_since: null,
    communication_disabled_until: null,
  };
}

/** A Discord role object. */
export function apiRole(r: RoleState): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: r.position,
    permissions: r.permissions,
    managed: r.managed,
    mentionable: false,
    flags: 0,
    ...(r.botId ? { tags: { bot_id: r.botId } } : {}),
  };
}

/** A Discord guild channel object. */
export function apiChannel(c: SimChannel, lastMessageId: string | null): Record<string, unknown> {
  return {
    id: c.id,
    type: c.type,
    guild_id: c.guildId,
    name: c.name,
    position: c.position,
    permission_overwrites: c.permissionOverwrites.map((o) => ({ ...o })),
    parent_id: null,
    topic: null,
    nsfw: false,
    rate_limit_per_user: 0,
    last_message_id: lastMessageId,
    flags: 0,
    ...(c.type === 2 || c.type === 13 ? { bitrate: 64000, user_limit: 0, rtc_region: null } : {}),
  };
}

/** A Discord attachment object. */
export function apiAttachment(a: SimAttachment, ephemeral = false): Record<string, unknown> {
  return {
    id: a.id,
    filename: a.filename,
    size: a.size,
    url: a.url,
    proxy_url: a.url,
    content_type: a.contentType ?? undefined,
    ...(ephemeral ? { ephemeral: true } : {}),
  };
}
