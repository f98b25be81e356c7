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

/** The scopes kickcord asks a streamer for (least privilege: nothing in here goes unused). */
export const KICKCORD_SCOPES = [
  'user:read',
  'channel:read',
  'chat:write',
  'events:subscribe',
  'moderation:ban',
  'moderation:chat_message:manage',
  'kicks:read',
  'channel:rewards:read',
] as const satisfies readonly KickScope[];

/** The scopes in {@link KICKCORD_SCOPES}. */
export type KickcordScope = (typeof KICKCORD_SCOPES)[number];

/** Why kickcord needs each scope — shown to streamers on the connect page. */
export const SCOPE_REASONS: Record<KickcordScope, string> = {
  'user:read': 'Identify your Kick account so the bot links it to the right Discord server.',
  'channel:read': 'Read your channel (title, category, live status, viewer count) for go-live announcements.',
  'chat:write': 'Post bot messages in your Kick chat (e.g. command replies and Discord relay notices).',
  'events:subscribe': 'Receive follows, subs, gifts, chat and stream status from Kick via webhooks.',
  'moderation:ban': 'Ban or time out users in your Kick chat when you moderate from Discord.',
  'moderation:chat_message:manage': 'Delete messages in your Kick chat when moderating from Discord.',
  'kicks:read': 'Read the Kicks leaderboard to show top supporters in Discord.',
  'channel:rewards:read': 'See channel point reward redemptions to announce or reward them in Discord.',
};
