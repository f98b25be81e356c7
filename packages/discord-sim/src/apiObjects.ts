import type { SimAttachment, SimChannel, SimGuild, SimMember, SimRole } from './types.ts';

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

/** A Discord guild object (as `GET /guilds/{id}` answers; GUILD_CREATE adds to it). */
export function apiGuild(g: SimGuild & { roles: RoleState[] }): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: g.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    nsfw_level: 0,
    max_members: 500000,
    max_video_channel_users: 25,
    roles: g.roles.map(apiRole),
    emojis: [],
    stickers: [],
  };
}
