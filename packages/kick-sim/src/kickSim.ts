import type { InjectedFailure } from './context.ts';
import type {
  ApiCallRecord,
  ChatLogEntry,
  DeliveryRecord,
  EmitOptions,
  PayloadOverrides,
  RewardFields,
  SimApp,
  SimBadge,
  SimClock,
  SimEventName,
  SimRedemption,
  SimRedemptionStatus,
  SimReward,
  SimSubscription,
  SimUser,
} from './types.ts';

/** Options of {@link startKickSim}. */
export interface KickSimOptions {
  /** Port to listen on (default 0 = any free port). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Skip the consent page: /oauth/authorize redirects with a code at once. */
  autoApprove?: boolean;
  /** User access token lifetime in seconds (default 7200). */
  accessTokenTtlSec?: number;
  /** Refresh token lifetime in seconds (default 30 days). */
  refreshTokenTtlSec?: number;
  /** Webhook attempts per message, first try included (default 3). */
  webhookRetries?: number;
  /** Delay before the first retry; doubles each time (default 500 ms). */
  webhookRetryBaseMs?: number;
  /** Subscriptions per app before `event subscription limit reached` (default 1000). */
  subscriptionCap?: number;
  /** Webhook signing key (PKCS#8/PKCS#1 PEM); default: a fresh RSA-2048 key. */
  privateKeyPem?: string;
  /** Where "now" comes from (token expiry, timestamps); default the system clock. */
  clock?: SimClock;
  /** Deliver `chat.message.sent` for messages posted via POST /public/v1/chat, as Kick does (default true). */
  echoApiChat?: boolean;
}

/** Options for helpers that emit: {@link EmitOptions} plus `at`, the event time used inside the payload. */
export interface HelperOptions extends EmitOptions {
  at?: Date;
}

/** Options of {@link KickSim.sendChat}. */
export interface SendChatOptions extends HelperOptions {
  badges?: SimBadge[];
  /** Message id this message replies to (fills `replies_to` when the original is in the chat log). */
  replyTo?: string;
  emotes?: { emote_id: string; positions: { s: number; e: number }[] }[];
}

/** Result of {@link KickSim.sendChat}. */
export interface SentChat {
  messageId: string;
  deliveries: DeliveryRecord[];
}

/** Filter of {@link KickSim.deliveries}. */
export interface DeliveryFilter {
  type?: string;
  messageId?: string;
  subscriptionId?: string;
  clientId?: string;
  url?: string;
  broadcasterUserId?: number;
  delivered?: boolean;
}

/** Filter of {@link KickSim.subscriptions}. */
export interface SubscriptionFilter {
  clientId?: string;
  broadcasterUserId?: number;
  event?: string;
}

/** One item of {@link KickSim.emitBatch}. */
export interface BatchItem {
  type: SimEventName;
  payload?: PayloadOverrides;
  opts?: EmitOptions;
}

/** A running local Kick: id.kick.com + api.kick.com on one URL, plus webhook delivery and test controls. */
export interface KickSim {
  /** Base URL serving both hosts (OAuth and API). */
  readonly url: string;
  /** Same as `url` (api.kick.com stand-in). */
  readonly apiUrl: string;
  /** Same as `url` (id.kick.com stand-in). */
  readonly authUrl: string;
  /** SPKI PEM of the webhook signing key (also served at GET /public/v1/public-key). */
  readonly publicKeyPem: string;
  /** Every REST/OAuth request served, oldest first. */
  readonly apiCalls: readonly ApiCallRecord[];
  /** Stops the server and any pending deliveries. */
  close(): Promise<void>;

  registerApp(input: { clientId: string; clientSecret: string; redirectUris: string[]; webhookUrl?: string; name?: string; botUsername?: string; botEnabled?: boolean }): SimApp;
  getApp(clientId: string): SimApp | undefined;
  setWebhookUrl(clientId: string, url: string | null): void;
  /** Disabling removes all of the app's subscriptions, as Kick does. */
  setWebhookEnabled(clientId: string, enabled: boolean): void;
  /** Creates a subscription directly (as if the app had called POST /public/v1/events/subscriptions); returns it. */
  addSubscription(input: { clientId: string; broadcasterUserId: number; event: SimEventName; version?: number }): SimSubscription;

  createUser(input: { username: string; userId?: number; email?: string; isLive?: boolean; profilePicture?: string }): SimUser;
  getUser(userId: number): SimUser | undefined;
  findUserBySlug(slug: string): SimUser | undefined;
  /** Default user that approves /oauth/authorize when no `sim_user` query parameter is given. */
  setAuthorizingUser(userId: number | null): void;
  setViewerCount(broadcasterUserId: number, viewers: number): void;

  issueUserToken(input: { clientId: string; userId: number; scopes: string[] }): { accessToken: string; refreshToken: string; expiresIn: number };
  issueAppToken(clientId: string): { accessToken: string; expiresIn: number };
  expireAccessToken(token: string): void;
  expireRefreshToken(token: string): void;
  revokeAllTokens(userId: number): void;
  /** Serve the next `count` matching requests with `status` (e.g. 429 + Retry-After) instead of routing them. */
  failNextRequests(input: { status: number; count?: number; method?: string; path?: string | RegExp; retryAfterSec?: number; body?: unknown }): void;

  /** Delivers `type` to every matching subscription (any app). `payload` is a full payload or overrides deep-merged over a realistic default. */
  emit(type: SimEventName, payload?: PayloadOverrides, opts?: EmitOptions): Promise<DeliveryRecord[]>;
  /** Emits several events one after another; `reorder` shuffles them first (seeded when `seed` is given). */
  emitBatch(items: BatchItem[], options?: { reorder?: boolean; seed?: number }): Promise<DeliveryRecord[]>;
  /** Signs and sends one event straight to `url`, no subscription needed (CLI `trigger`). */
  deliverTo(url: string, type: SimEventName, payload?: PayloadOverrides, opts?: EmitOptions & { subscriptionId?: string }): Promise<DeliveryRecord[]>;

  sendChat(broadcasterUserId: number, senderUserId: number, content: string, opts?: SendChatOptions): Promise<SentChat>;
  follow(broadcasterUserId: number, followerUserId: number, opts?: HelperOptions): Promise<DeliveryRecord[]>;
  /** months = 1 for a first subscription → `channel.subscription.new`; otherwise `.renewal` with `duration = months`. */
  subscribe(broadcasterUserId: number, subscriberUserId: number, months?: number, opts?: HelperOptions): Promise<DeliveryRecord[]>;
  giftSubs(broadcasterUserId: number, gifterUserId: number | null, gifteeUserIds: number[], opts?: HelperOptions): Promise<DeliveryRecord[]>;
  giftKicks(
    broadcasterUserId: number,
    senderUserId: number,
    amount: number,
    opts?: HelperOptions & { name?: string; type?: string; tier?: string; message?: string; pinnedTimeSeconds?: number },
  ): Promise<DeliveryRecord[]>;
  goLive(broadcasterUserId: number, stream: { title: string; category?: number | string; language?: string; isMature?: boolean; viewerCount?: number }, opts?: HelperOptions): Promise<DeliveryRecord[]>;
  goOffline(broadcasterUserId: number, opts?: HelperOptions): Promise<DeliveryRecord[]>;
  updateMetadata(broadcasterUserId: number, metadata: { title?: string; category?: number | string; language?: string; hasMatureContent?: boolean }, opts?: HelperOptions): Promise<DeliveryRecord[]>;
  ban(broadcasterUserId: number, bannedUserId: number, opts?: HelperOptions & { moderatorUserId?: number; reason?: string; durationMinutes?: number }): Promise<DeliveryRecord[]>;
  redeemReward(
    broadcasterUserId: number,
    redeemerUserId: number,
    reward: { title: string; cost?: number; description?: string; userInput?: string; status?: 'pending' | 'accepted' | 'rejected'; rewardId?: string; redemptionId?: string },
    opts?: HelperOptions,
  ): Promise<DeliveryRecord[]>;

  /**
   * A channel reward made by the streamer on kick.com (or, with `clientId`, as if that app had created it through the
   * API — only the creating app may accept or reject its redemptions ⚠). Validated as Kick validates it.
   */
  createChannelReward(broadcasterUserId: number, reward: Partial<RewardFields> & { title: string; cost: number; clientId?: string }): SimReward;
  /** A channel's rewards as the simulator holds them. */
  channelRewards(broadcasterUserId: number): SimReward[];
  /**
   * A viewer redeems a stored reward, as on kick.com: refused (KickSimError) while it is disabled or paused or
   * without required input; `pending`, or `accepted` at once when the reward skips the request queue; delivered as
   * `channel.reward.redemption.updated`. (`redeemReward` sends the event alone, with no reward stored.)
   */
  redeemChannelReward(
    broadcasterUserId: number,
    redeemerUserId: number,
    rewardId: string,
    opts?: HelperOptions & { userInput?: string },
  ): Promise<{ redemption: SimRedemption; deliveries: DeliveryRecord[] }>;
  /** A channel's redemptions, oldest first. */
  redemptions(broadcasterUserId: number, filter?: { status?: SimRedemptionStatus; rewardId?: string }): SimRedemption[];
  /** The streamer accepts or rejects a pending redemption on kick.com (any reward); delivers the new status. */
  decideRedemption(broadcasterUserId: number, redemptionId: string, status: 'accepted' | 'rejected'): Promise<DeliveryRecord[]>;

  chatLog(broadcasterUserId?: number): ChatLogEntry[];
  subscriptions(filter?: SubscriptionFilter): SimSubscription[];
  deliveries(filter?: DeliveryFilter | ((d: DeliveryRecord) => boolean)): DeliveryRecord[];
  /** Resolves with the first chat message matching `predicate`; rejects with a descriptive error after `timeoutMs`. */
  waitForChat(broadcasterUserId: number, predicate: (m: ChatLogEntry) => boolean, timeoutMs?: number): Promise<ChatLogEntry>;
  /** Resolves once at least `count` deliveries match (default 1); rejects after `timeoutMs` (default 5000). */
  waitForDeliveries(predicate: (d: DeliveryRecord) => boolean, timeoutMs?: number, count?: number): Promise<DeliveryRecord[]>;
  /** Forgets recorded deliveries, API calls and chat (state like users/tokens stays). */
  clearLogs(): void;
  /** The simulator's current time. */
  now(): Date;
}

export type { InjectedFailure };
