/** Every OAuth scope Kick defines. */
export type KickScope =
  | 'user:read'
  | 'channel:read'
  | 'channel:write'
  | 'channel:rewards:read'
  | 'channel:rewards:write'
  | 'chat:write'
  | 'streamkey:read'
  | 'events:subscribe'
  | 'moderation:ban'
  | 'moderation:chat_message:manage'
  | 'kicks:read';

/**
 * The scopes kickcord asks a streamer for: what its features use, and the scopes behind the events it
 * subscribes to (bans, Kicks, reward redemptions). A connection made before a scope was added keeps working
 * for what it was granted; features that need a missing scope say so and offer a reconnect.
 */
export const KICKCORD_SCOPES = [
  'user:read',
  'channel:read',
  'channel:write',
  'chat:write',
  'events:subscribe',
  'moderation:ban',
  'moderation:chat_message:manage',
  'kicks:read',
  'channel:rewards:read',
  'channel:rewards:write',
] as const satisfies readonly KickScope[];

/** The scopes in {@link KICKCORD_SCOPES}. */
export type KickcordScope = (typeof KICKCORD_SCOPES)[number];

/** Why kickcord needs each scope — shown to streamers on the connect page. */
export const SCOPE_REASONS: Record<KickcordScope, string> = {
  'user:read': 'Identify your Kick account so the bot links it to the right Discord server.',
  'channel:read': 'Read your channel (title, category, live status, viewer count) for go-live announcements.',
  'channel:write': 'Change your stream title and category when a moderator asks (!title, !game).',
  'chat:write': 'Post bot messages in your Kick chat: chat command replies, game and timer messages.',
  'events:subscribe': 'Receive follows, subs, gifts, chat and stream status from Kick via webhooks.',
  'moderation:ban': 'Ban and time out viewers for the chat filters and /mod, and receive ban events for the moderator log.',
  'moderation:chat_message:manage': 'Delete chat messages that break the chat filters.',
  'kicks:read': 'Receive Kicks gifted events for announcements and loyalty bonuses.',
  'channel:rewards:read': 'Receive channel reward redemptions to announce them and run their actions in Discord.',
  'channel:rewards:write': 'Create, edit and pause channel rewards from Discord and accept or reject their redemptions.',
};
