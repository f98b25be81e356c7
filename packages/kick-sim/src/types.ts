import type { SimEventType } from './constants.ts';

/** Kick badge as it appears in `identity.badges`. */
export type SimBadge = {
  text: string;
  type: string;
  count?: number;
};

/** A chat sender's `identity` (null for everybody else). */
export type KickIdentityObject = { username_color: string; badges: SimBadge[] };

/** Kick's user object (as in Kick's API documentation) for a user Kick identifies. */
export type KickKnownUserObject = {
  is_anonymous: boolean;
  user_id: number;
  username: string;
  is_verified: boolean;
  profile_picture: string | null;
  channel_slug: string;
  identity: KickIdentityObject | null;
};

/** Kick's user object as sent in webhook payloads; an anonymous gifter has every field null. */
export type KickUserObject =
  | KickKnownUserObject
  | { is_anonymous: true; user_id: null; username: null; is_verified: null; profile_picture: null; channel_slug: null; identity: null };

/** A category as Kick serves it. */
export interface SimCategory {
  id: number;
  name: string;
  thumbnail: string;
}

/** A channel (one per user; `broadcasterUserId` = the user's id). Mutable sim state. */
export interface SimChannel {
  broadcasterUserId: number;
  slug: string;
  description: string;
  bannerPicture: string;
  streamTitle: string;
  category: SimCategory;
  customTags: string[];
  isLive: boolean;
  isMature: boolean;
  language: string;
  /** When the current (or last) stream started; null if never live. */
  startTime: Date | null;
  viewerCount: number;
  thumbnail: string;
  activeSubscribersCount: number;
  canceledSubscribersCount: number;
}

/** A Kick user. `channel.slug` is the lowercase username. */
export interface SimUser {
  userId: number;
  username: string;
  email: string;
  profilePicture: string;
  isVerified: boolean;
  /** True for an app's bot account (the sender of `type:"bot"` chat messages). */
  isBot: boolean;
  channel: SimChannel;
}

/** A registered Kick app (one webhook URL per app, as on kick.com). */
export interface SimApp {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
  webhookUrl: string | null;
  webhookEnabled: boolean;
  /** The app's bot account (posts `type:"bot"` chat messages). */
  botUser: SimUser;
  /**
   * Whether the bot is enabled in the app's settings on kick.com (default true). Without it Kick refuses
   * `type:"bot"` chat with a 500; `type:"user"` still works.
   */
  botEnabled: boolean;
}

/** A message in a channel's chat, whether posted through the API or by {@link KickSim.sendChat}. */
export interface ChatLogEntry {
  messageId: string;
  broadcasterUserId: number;
  senderUserId: number;
  senderUsername: string;
  content: string;
  /** `bot`/`user`: posted via POST /public/v1/chat; `viewer`: injected with `sendChat`. */
  type: 'bot' | 'user' | 'viewer';
  replyToMessageId: string | null;
  createdAt: Date;
  /** Set when DELETE /public/v1/chat/{id} removed it. */
  deletedAt: Date | null;
  /** Client id of the app that posted it (API messages only). */
  clientId: string | null;
}

/** An event subscription, as stored by the simulator. */
export interface SimSubscription {
  id: string;
  clientId: string;
  broadcasterUserId: number;
  event: string;
  version: number;
  method: 'webhook';
  createdAt: Date;
  updatedAt: Date;
}

/** One HTTP attempt of a webhook delivery. `status` is 0 on a network error / timeout. */
export interface DeliveryAttempt {
  status: number;
  error?: string;
  at: Date;
}

/** One webhook message (one message id) sent to one URL; duplicates get their own record. */
export interface DeliveryRecord {
  messageId: string;
  /** Empty string for `deliverTo` (no subscription). */
  subscriptionId: string;
  clientId: string | null;
  type: string;
  version: string;
  url: string;
  broadcasterUserId: number | null;
  timestamp: string;
  /** The exact body bytes sent (UTF-8). */
  body: string;
  payload: unknown;
  /** 0 for the original, 1.. for injected duplicates. */
  copy: number;
  attempts: DeliveryAttempt[];
  delivered: boolean;
  /** True when the delivery was dropped on purpose (`drop` injection): nothing was sent. */
  dropped: boolean;
}

/** A REST/OAuth request the simulator served. */
export interface ApiCallRecord {
  method: string;
  path: string;
  status: number;
  clientId?: string;
  userId?: number;
  at: Date;
}

/** Options for {@link KickSim.emit} and every high-level helper. */
export interface EmitOptions {
  /** Whose subscriptions receive it (default: the payload's `broadcaster.user_id`). */
  broadcasterUserId?: number;
  /** Extra copies sent with the SAME message id (Kick's duplicate deliveries). */
  duplicate?: number;
  /**
   * Extra copies of the same event re-sent under NEW message ids (default 0): Kick re-sends events (a go-live
   * among them) this way, so a receiver that dedupes on message id alone acts twice.
   */
  resend?: number;
  /** Wait this long before sending (late delivery). */
  delayMs?: number;
  /** Force the message id (default: a fresh ULID per subscription). */
  messageId?: string;
  /** Force `Kick-Event-Message-Timestamp` (default: the sim clock, RFC 3339). */
  timestamp?: string;
  /** Record the delivery but never send it (Kick's silently missing events). */
  drop?: boolean;
}

/** A deep-partial of an event payload, used as overrides in {@link KickSim.emit}. */
export type PayloadOverrides = { [key: string]: unknown };

/** Names of the event types the simulator knows, plus any string for forward compatibility. */
export type SimEventName = SimEventType | (string & {});

/** A clock the simulator reads "now" from. */
export interface SimClock {
  now(): Date;
}

/** A redemption's status, as Kick reports it. */
export type SimRedemptionStatus = 'pending' | 'accepted' | 'rejected';

/** One channel reward. `clientId` is the app that created it (null: the streamer made it on kick.com). */
export interface SimReward extends RewardFields {
  id: string;
  broadcasterUserId: number;
  clientId: string | null;
}

/** One viewer's redemption of a reward (the reward's fields as they were when redeemed). */
export interface SimRedemption {
  id: string;
  broadcasterUserId: number;
  rewardId: string;
  /** The app that owns the reward (only it may accept or reject ⚠). */
  rewardClientId: string | null;
  reward: { id: string; title: string; cost: number; description: string };
  redeemerUserId: number;
  userInput: string;
  status: SimRedemptionStatus;
  redeemedAt: Date;
}

/** The fields of a reward an app (or the streamer) sets. */
export interface RewardFields {
  title: string;
  cost: number;
  description: string;
  backgroundColor: string;
  isEnabled: boolean;
  isPaused: boolean;
  isUserInputRequired: boolean;
  shouldRedemptionsSkipRequestQueue: boolean;
}

/** Changes to a reward: a field left undefined stays as it is. */
export type RewardChanges = { [K in keyof RewardFields]?: RewardFields[K] | undefined };
