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
 * subscribes to (bans, Kicks, reward redemptions). Chat-message moderation is not requested: nothing uses it.
 */
export const KICKCORD_SCOPES = [
  'user:read',
  'channel:read',
  'chat:write',
  'events:subscribe',
  'moderation:ban',
  'kicks:read',
  'channel:rewards:read',
] as const satisfies readonly KickScope[];

/** The scopes in {@link KICKCORD_SCOPES}. */
export type KickcordScope = (typeof KICKCORD_SCOPES)[number];

/** Why kickcord needs each scope — shown to streamers on the connect page. */
export const SCOPE_REASONS: Record<KickcordScope, string> = {
  'user:read': 'Identify your Kick account so the bot links it to the right Discord server.',
  'channel:read': 'Read your channel (title, category, live status, viewer count) for go-live announcements.',
  'chat:write': 'Post bot messages in your Kick chat: chat command replies, game and timer messages.',
  'events:subscribe': 'Receive follows, subs, gifts, chat and stream status from Kick via webhooks.',
  'moderation:ban': 'Receive ban and timeout events for the moderator log in Discord.',
  'kicks:read': 'Receive Kicks gifted events for announcements and loyalty bonuses.',
  'channel:rewards:read': 'Receive channel reward redemptions to announce them in Discord.',
};
