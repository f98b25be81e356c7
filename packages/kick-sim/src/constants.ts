/**
 * Every Kick fact the simulator has to guess (or that Kick documents as a number) lives here,
 * so a wrong guess is fixed in one place. See Kick's developer documentation (docs.kick.com).
 */
import { KICK_EVENT_TYPES } from '@kickcord/kick';

/** All OAuth scopes Kick knows. Unknown scopes at /oauth/authorize → `invalid_scope`. */
export const KICK_SCOPES = [
  'user:read',
  'channel:read',
  'channel:write',
  'channel:rewards:read',
  'channel:rewards:write',
  'chat:write',
  'streamkey:read',
  'events:subscribe',
  'moderation:ban',
  'moderation:chat_message:manage',
  'kicks:read',
] as const;
export type KickScope = (typeof KICK_SCOPES)[number];

/** Webhook event names the simulator can deliver (all version 1): every event type Kick sends. */
export const SIM_EVENT_TYPES = KICK_EVENT_TYPES;
export type SimEventType = (typeof SIM_EVENT_TYPES)[number];

/**
 * Scope a USER token needs per endpoint (app tokens are not scope-checked). `null` = no scope
 * (Kick's documentation lists none for it); a list = any one of them. Keys are `METHOD path-pattern`.
 */
export const ENDPOINT_SCOPES: Readonly<Record<string, KickScope | readonly KickScope[] | null>> = {
  'GET /public/v1/users': 'user:read',
  'GET /public/v1/channels': null,
  'PATCH /public/v1/channels': 'channel:write',
  'GET /public/v2/livestreams': null,
  'GET /public/v1/livestreams': null,
  'GET /public/v1/livestreams/stats': null,
  'GET /public/v2/categories': null,
  'GET /public/v1/categories/:id': null,
  'POST /public/v1/chat': 'chat:write',
  'DELETE /public/v1/chat/:messageId': 'moderation:chat_message:manage',
  'POST /public/v1/moderation/bans': 'moderation:ban',
  'DELETE /public/v1/moderation/bans': 'moderation:ban',
  'GET /public/v1/events/subscriptions': 'events:subscribe',
  'POST /public/v1/events/subscriptions': 'events:subscribe',
  'DELETE /public/v1/events/subscriptions': 'events:subscribe',
  'GET /public/v1/kicks/leaderboard': 'kicks:read',
  'GET /public/v1/channels/rewards': ['channel:rewards:read', 'channel:rewards:write'],
  'POST /public/v1/channels/rewards': 'channel:rewards:write',
  'PATCH /public/v1/channels/rewards/:id': 'channel:rewards:write',
  'DELETE /public/v1/channels/rewards/:id': 'channel:rewards:write',
  'GET /public/v1/channels/rewards/redemptions': ['channel:rewards:read', 'channel:rewards:write'],
  'POST /public/v1/channels/rewards/redemptions/accept': 'channel:rewards:write',
  'POST /public/v1/channels/rewards/redemptions/reject': 'channel:rewards:write',
};

/** Channel reward limits ⚠ (as Kick's clients document them): title and description length, in characters. */
export const REWARD_TITLE_MAX = 50;
export const REWARD_DESCRIPTION_MAX = 200;
/** A reward's colour when none is given ⚠ (Kick's green). */
export const REWARD_DEFAULT_BACKGROUND_COLOR = '#00e701';
/** Redemption ids per accept/reject request. */
export const REDEMPTION_DECISION_MAX_IDS = 25;
/** Reasons Kick gives for a redemption it could not accept or reject ⚠ (Kick documents only `{id, reason}`). */
export const REDEMPTION_NOT_FOUND = 'redemption not found';
export const REDEMPTION_NOT_PENDING = 'redemption is not pending';
/** ⚠ Like Twitch, only the app that created a reward may decide its redemptions (community Kick code expects this). */
export const REDEMPTION_NOT_OWNED = 'reward was not created by this app';

/** User access token lifetime ⚠ (Kick: 7200 s). */
export const DEFAULT_ACCESS_TOKEN_TTL_SEC = 7200;
/** Refresh token lifetime ⚠ (Kick: ~30 days, sometimes up to 90). */
export const DEFAULT_REFRESH_TOKEN_TTL_SEC = 30 * 24 * 3600;
/** App (client_credentials) token lifetime ⚠ (~60 days). */
export const APP_TOKEN_TTL_SEC = 60 * 24 * 3600;
/** Authorization codes are single use and expire after this many seconds. */
export const AUTH_CODE_TTL_SEC = 600;
/** Unverified app subscription cap (verified apps: 10,000). */
export const DEFAULT_SUBSCRIPTION_CAP = 1000;
/** Chat message maximum length (characters). */
export const CHAT_MAX_LENGTH = 500;
/** Max ids/slugs per GET /public/v1/channels or /users request. */
export const MAX_LOOKUP_IDS = 50;
/** Webhook delivery attempts per message ⚠ (Kick does not document its retry policy). */
export const DEFAULT_WEBHOOK_ATTEMPTS = 3;
/** First retry delay; doubles per attempt ⚠. */
export const DEFAULT_WEBHOOK_RETRY_BASE_MS = 500;
/** Per-attempt HTTP timeout for webhook deliveries ⚠. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Livestream listing page size (default / max). */
export const LIVESTREAMS_DEFAULT_LIMIT = 25;
export const LIVESTREAMS_MAX_LIMIT = 100;
/** Timeout (ban) durations accepted by POST /moderation/bans, in minutes. */
export const BAN_MIN_MINUTES = 1;
export const BAN_MAX_MINUTES = 10_080;
/** First auto-assigned user id (Kick user ids are positive integers). */
export const FIRST_USER_ID = 100_000;

/** Kick's category catalogue as the simulator knows it (ids are Kick's real ids ⚠). */
export const SIM_CATEGORIES: readonly { id: number; name: string; thumbnail: string; tags: string[] }[] = [
  { id: 15, name: 'Just Chatting', tags: ['IRL'] },
  { id: 2, name: 'Grand Theft Auto V', tags: ['Action', 'RP'] },
  { id: 3, name: 'Minecraft', tags: ['Sandbox'] },
  { id: 9, name: 'Fortnite', tags: ['Shooter'] },
  { id: 13, name: 'Counter-Strike 2', tags: ['FPS', 'Shooter'] },
  { id: 28, name: 'Slots & Casino', tags: ['Gambling'] },
  { id: 5, name: 'League of Legends', tags: ['MOBA'] },
  { id: 8549, name: 'Music', tags: ['Creative'] },
].map((c) => ({ ...c, thumbnail: `https://files.kick.com/images/subcategories/${c.id}/banner/sim.webp` }));
