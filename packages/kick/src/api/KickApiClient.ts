import { KickApiError } from '../errors/KickApiError.ts';
import { KickError } from '../errors/KickError.ts';
import { KickTimeoutError } from '../errors/KickTimeoutError.ts';
import { KickValidationError } from '../errors/KickValidationError.ts';
import {
  mapChannel,
  mapChatSend,
  mapEventSubscription,
  mapEventSubscriptionResult,
  mapLeaderboard,
  mapLivestream,
  mapCategory,
  mapLivestreamsPage,
  mapRedemption,
  mapRedemptionFailure,
  mapReward,
  mapUser,
} from './mapping.ts';
import { backoffDelay, networkErrorCode, NOT_SENT_ERROR_CODES, parseRetryAfter, type RetryMode } from './retryPolicy.ts';
import type {
  KickApiUser,
  KickCategory,
  KickChannel,
  KickChatSendResult,
  KickEventSubscription,
  KickEventSubscriptionResult,
  KickLeaderboard,
  KickLivestream,
  KickLivestreamsPage,
  KickLivestreamStats,
  KickRedemptionFailure,
  KickRedemptionsPage,
  KickRedemptionStatus,
  KickReward,
  KickRewardChanges,
  KickRewardInput,
} from './types.ts';
import type {
  KickCategoryWire,
  KickChannelWire,
  KickChatSendWire,
  KickEnvelope,
  KickEventSubscriptionResultWire,
  KickEventSubscriptionWire,
  KickLeaderboardWire,
  KickLivestreamWire,
  KickLivestreamsPageWire,
  KickPageWire,
  KickPublicKeyWire,
  KickRedemptionFailureWire,
  KickRedemptionWire,
  KickRewardWire,
  KickUserWire,
} from './wire.ts';

/** Kick's chat message limit (characters, counted as Unicode code points). */
export const KICK_CHAT_MAX_LENGTH = 500;
/** Kick's cap on repeated `broadcaster_user_id` / `slug` parameters of GET /channels. */
export const KICK_CHANNELS_MAX_LOOKUP = 50;
/** Redemption ids per accept/reject request (Kick's limit). */
export const KICK_REDEMPTION_DECISION_MAX = 25;
/** Subscription ids per DELETE request (keeps the URL short). */
export const KICK_SUBSCRIPTION_DELETE_CHUNK = 50;

/** Passed to `onRetry` before each retry. */
export type KickRetryInfo = {
  method: string;
  /** Path without query string. */
  path: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  reason: 'rate_limited' | 'server_error' | 'network_error' | 'timeout';
  status?: number;
};

/** Options of {@link KickApiClient}. */
export type KickApiClientOptions = {
  /** API base URL; default `https://api.kick.com`. */
  apiUrl?: string;
  /** Bearer token, or a function returning a current one (called once per attempt, so a refreshed token is picked up). */
  token: string | (() => Promise<string>);
  /** Per-attempt timeout; default 10000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt; default 3. */
  maxRetries?: number;
  /** Backoff base (doubles per attempt, with jitter); default 500 ms. */
  retryBaseDelayMs?: number;
  /**
   * Longest single wait between attempts; default 30000 ms. A 429 whose `Retry-After` asks for more
   * is not waited out: it throws {@link KickApiError} with `retryAfterMs` so a job queue can reschedule.
   */
  maxRetryDelayMs?: number;
  /** fetch implementation; default global fetch. */
  fetch?: typeof fetch;
  /** User-Agent header; default `kickcord`. */
  userAgent?: string;
  /** Called before each retry (for logging). Never receives the token. */
  onRetry?: (info: KickRetryInfo) => void;
};

type RequestSpec = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  query?: URLSearchParams;
  body?: unknown;
  retry?: RetryMode;
  auth?: boolean;
};

/**
 * Typed client for Kick's public REST API. Every request has a timeout, retries with backoff
 * (see {@link RetryMode}), and fails with {@link KickApiError} / {@link KickTimeoutError}.
 */
export class KickApiClient {
  readonly #apiUrl: string;
  readonly #token: () => Promise<string>;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #fetch: typeof fetch;
  readonly #userAgent: string;
  readonly #onRetry: KickApiClientOptions['onRetry'];

  constructor(options: KickApiClientOptions) {
    this.#apiUrl = (options.apiUrl ?? 'https://api.kick.com').replace(/\/+$/, '');
    const token = options.token;
    this.#token = typeof token === 'function' ? token : () => Promise.resolve(token);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#baseDelayMs = options.retryBaseDelayMs ?? 500;
    this.#maxDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.#fetch = options.fetch ?? fetch;
    this.#userAgent = options.userAgent ?? 'kickcord';
    this.#onRetry = options.onRetry;
  }

  /** Users by id (`user:read`); without ids, the token's own user. */
  async getUsers(ids?: number[]): Promise<KickApiUser[]> {
    const query = new URLSearchParams();
    for (const id of ids ?? []) query.append('id', String(id));
    const body = await this.#request<KickEnvelope<KickUserWire[]>>({ method: 'GET', path: '/public/v1/users', query });
    return (body?.data ?? []).map(mapUser);
  }

  /**
   * Channels by broadcaster user id or by slug (at most 50, not both); with neither, the token
   * user's own channel.
   */
  async getChannels(input: { broadcasterUserIds?: number[]; slugs?: string[] } = {}): Promise<KickChannel[]> {
    const ids = input.broadcasterUserIds ?? [];
    const slugs = input.slugs ?? [];
    if (ids.length > 0 && slugs.length > 0) {
      throw new KickValidationError('broadcasterUserIds', 'getChannels takes broadcasterUserIds or slugs, not both — make two calls');
    }
    if (ids.length > KICK_CHANNELS_MAX_LOOKUP || slugs.length > KICK_CHANNELS_MAX_LOOKUP) {
      throw new KickValidationError(
        ids.length > 0 ? 'broadcasterUserIds' : 'slugs',
        `getChannels looks up at most ${KICK_CHANNELS_MAX_LOOKUP} channels per call — split the list into chunks of ${KICK_CHANNELS_MAX_LOOKUP}`,
      );
    }
    const query = new URLSearchParams();
    for (const id of ids) query.append('broadcaster_user_id', String(id));
    for (const slug of slugs) query.append('slug', slug);
    const body = await this.#request<KickEnvelope<KickChannelWire[]>>({ method: 'GET', path: '/public/v1/channels', query });
    return (body?.data ?? []).map(mapChannel);
  }

  /** One channel by slug, or null when Kick knows no such channel. */
  async getChannelBySlug(slug: string): Promise<KickChannel | null> {
    try {
      const [channel] = await this.getChannels({ slugs: [slug] });
      return channel ?? null;
    } catch (error) {
      if (error instanceof KickApiError && (error.status === 404 || (error.status === 400 && /not found/i.test(JSON.stringify(error.body))))) {
        return null;
      }
      throw error;
    }
  }

  /** Updates the token user's channel (`channel:write`). */
  async updateChannel(input: { categoryId?: number; streamTitle?: string; customTags?: string[] }): Promise<void> {
    const body: Record<string, unknown> = {};
    if (input.categoryId !== undefined) body.category_id = input.categoryId;
    if (input.streamTitle !== undefined) body.stream_title = input.streamTitle;
    if (input.customTags !== undefined) body.custom_tags = input.customTags;
    if (Object.keys(body).length === 0) {
      throw new KickValidationError('input', 'updateChannel needs at least one of categoryId, streamTitle, customTags');
    }
    await this.#request({ method: 'PATCH', path: '/public/v1/channels', body });
  }

  /**
   * Kick's categories whose name contains `name` (`GET /public/v2/categories`, first page, Kick's order), e.g. to
   * find the category id for {@link updateChannel}.
   */
  async searchCategories(name: string, options: { limit?: number } = {}): Promise<KickCategory[]> {
    if (name.trim() === '') throw new KickValidationError('name', 'searchCategories needs part of a category name');
    const query = new URLSearchParams({ name: name.trim() });
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const body = await this.#request<KickPageWire<KickCategoryWire>>({ method: 'GET', path: '/public/v2/categories', query });
    return (body?.data ?? []).map(mapCategory).filter((c) => c !== null);
  }

  /** The token user's channel rewards (`channel:rewards:read` or `channel:rewards:write`). */
  async listRewards(): Promise<KickReward[]> {
    const body = await this.#request<KickEnvelope<KickRewardWire[]>>({ method: 'GET', path: '/public/v1/channels/rewards' });
    return (body?.data ?? []).map(mapReward);
  }

  /**
   * Creates a reward on the token user's channel (`channel:rewards:write`). Kick refuses bad fields with a 400
   * whose reason {@link KickApiError.reason} names the field. Not retried after a 5xx/timeout: Kick may have made it.
   */
  async createReward(input: KickRewardInput): Promise<KickReward> {
    const body = await this.#request<KickEnvelope<KickRewardWire>>({ method: 'POST', path: '/public/v1/channels/rewards', body: rewardBody(input), retry: 'at_most_once' });
    if (!body?.data) throw new KickError('Kick answered POST /public/v1/channels/rewards without the reward');
    return mapReward(body.data);
  }

  /** Changes the given fields of a reward (`channel:rewards:write`); returns the reward as Kick now has it. */
  async updateReward(rewardId: string, changes: KickRewardChanges): Promise<KickReward> {
    if (!rewardId) throw new KickValidationError('rewardId', 'updateReward needs a reward id');
    const payload = rewardBody(changes);
    if (changes.isPaused !== undefined) payload.is_paused = changes.isPaused;
    if (Object.keys(payload).length === 0) throw new KickValidationError('changes', 'updateReward needs at least one field to change');
    const body = await this.#request<KickEnvelope<KickRewardWire>>({ method: 'PATCH', path: `/public/v1/channels/rewards/${encodeURIComponent(rewardId)}`, body: payload });
    if (!body?.data) throw new KickError(`Kick answered PATCH /public/v1/channels/rewards/${rewardId} without the reward`);
    return mapReward(body.data);
  }

  /** Deletes a reward (`channel:rewards:write`). */
  async deleteReward(rewardId: string): Promise<void> {
    if (!rewardId) throw new KickValidationError('rewardId', 'deleteReward needs a reward id');
    await this.#request({ method: 'DELETE', path: `/public/v1/channels/rewards/${encodeURIComponent(rewardId)}` });
  }

  /** One page of the token user's channel redemptions, optionally by status and reward. */
  async listRedemptions(input: { status?: KickRedemptionStatus; rewardId?: string; cursor?: string } = {}): Promise<KickRedemptionsPage> {
    const query = new URLSearchParams();
    if (input.status !== undefined) query.set('status', input.status);
    if (input.rewardId !== undefined) query.set('reward_id', input.rewardId);
    if (input.cursor !== undefined) query.set('cursor', input.cursor);
    const body = await this.#request<KickPageWire<KickRedemptionWire>>({ method: 'GET', path: '/public/v1/channels/rewards/redemptions', query });
    return { redemptions: (body?.data ?? []).map(mapRedemption), nextCursor: body?.pagination?.next_cursor || null };
  }

  /**
   * Accepts pending redemptions (`channel:rewards:write`, at most {@link KICK_REDEMPTION_DECISION_MAX}). Returns
   * the ones Kick could NOT accept, each with its reason — an empty list means all were accepted.
   */
  async acceptRedemptions(ids: readonly string[]): Promise<KickRedemptionFailure[]> {
    return this.#decideRedemptions('accept', ids);
  }

  /** Rejects pending redemptions; returns the ones Kick could NOT reject, like {@link acceptRedemptions}. */
  async rejectRedemptions(ids: readonly string[]): Promise<KickRedemptionFailure[]> {
    return this.#decideRedemptions('reject', ids);
  }

  async #decideRedemptions(action: 'accept' | 'reject', ids: readonly string[]): Promise<KickRedemptionFailure[]> {
    if (ids.length === 0) return [];
    if (ids.length > KICK_REDEMPTION_DECISION_MAX) {
      throw new KickValidationError('ids', `Kick ${action}s at most ${KICK_REDEMPTION_DECISION_MAX} redemptions per call — split the list`);
    }
    const body = await this.#request<KickEnvelope<KickRedemptionFailureWire[]>>({ method: 'POST', path: `/public/v1/channels/rewards/redemptions/${action}`, body: { ids } });
    return (body?.data ?? []).map(mapRedemptionFailure);
  }

  /**
   * Posts a chat message (`chat:write`). `type: 'bot'` posts as the app's bot in the token owner's
   * channel; `type: 'user'` posts as the token's user in `broadcasterUserId`'s chat.
   *
   * Retries only on 429 or when the connection failed before sending — never after a 5xx or
   * timeout, because Kick may already have posted it and a retry would duplicate the message.
   */
  async sendChatMessage(input: {
    type: 'bot' | 'user';
    content: string;
    broadcasterUserId?: number;
    replyToMessageId?: string;
  }): Promise<KickChatSendResult> {
    const length = [...input.content].length;
    if (input.content.trim() === '') {
      throw new KickValidationError('content', 'Chat message content is empty — Kick rejects empty messages');
    }
    if (length > KICK_CHAT_MAX_LENGTH) {
      throw new KickValidationError(
        'content',
        `Chat message is ${length} characters; Kick allows at most ${KICK_CHAT_MAX_LENGTH} — shorten or split it`,
      );
    }
    if (input.type === 'user' && input.broadcasterUserId === undefined) {
      throw new KickValidationError('broadcasterUserId', "sendChatMessage with type 'user' needs broadcasterUserId (the channel to post in)");
    }
    const body: Record<string, unknown> = { type: input.type, content: input.content };
    if (input.broadcasterUserId !== undefined) body.broadcaster_user_id = input.broadcasterUserId;
    if (input.replyToMessageId !== undefined) body.reply_to_message_id = input.replyToMessageId;
    const res = await this.#request<KickEnvelope<KickChatSendWire>>({ method: 'POST', path: '/public/v1/chat', body, retry: 'at_most_once' });
    return mapChatSend(res?.data ?? { is_sent: false, message_id: '' });
  }

  /** Deletes a chat message (`moderation:chat_message:manage`). */
  async deleteChatMessage(messageId: string): Promise<void> {
    if (!messageId) throw new KickValidationError('messageId', 'deleteChatMessage needs a message id');
    await this.#request({ method: 'DELETE', path: `/public/v1/chat/${encodeURIComponent(messageId)}` });
  }

  /** Bans a user, or times them out for `durationMinutes` (`moderation:ban`). */
  async banUser(input: { broadcasterUserId: number; userId: number; durationMinutes?: number; reason?: string }): Promise<void> {
    if (input.durationMinutes !== undefined && (!Number.isInteger(input.durationMinutes) || input.durationMinutes < 1)) {
      throw new KickValidationError('durationMinutes', 'durationMinutes must be a whole number of minutes ≥ 1 (omit it for a permanent ban)');
    }
    const body: Record<string, unknown> = { broadcaster_user_id: input.broadcasterUserId, user_id: input.userId };
    if (input.durationMinutes !== undefined) body.duration = input.durationMinutes;
    if (input.reason !== undefined) body.reason = input.reason;
    await this.#request({ method: 'POST', path: '/public/v1/moderation/bans', body });
  }

  /** Lifts a ban or timeout (`moderation:ban`). */
  async unbanUser(input: { broadcasterUserId: number; userId: number }): Promise<void> {
    await this.#request({
      method: 'DELETE',
      path: '/public/v1/moderation/bans',
      body: { broadcaster_user_id: input.broadcasterUserId, user_id: input.userId },
    });
  }

  /** The app's webhook subscriptions (optionally only one broadcaster's). */
  async listEventSubscriptions(input: { broadcasterUserId?: number } = {}): Promise<KickEventSubscription[]> {
    const query = new URLSearchParams();
    if (input.broadcasterUserId !== undefined) query.set('broadcaster_user_id', String(input.broadcasterUserId));
    const body = await this.#request<KickEnvelope<KickEventSubscriptionWire[]>>({ method: 'GET', path: '/public/v1/events/subscriptions', query });
    return (body?.data ?? []).map(mapEventSubscription);
  }

  /**
   * Subscribes a broadcaster's events to the app's webhook (`events:subscribe`). Kick stores
   * duplicates (and then delivers twice) — list first. Not retried after a 5xx/timeout, for the same reason.
   */
  async createEventSubscriptions(input: {
    broadcasterUserId: number;
    events: { name: string; version: number }[];
  }): Promise<KickEventSubscriptionResult[]> {
    if (input.events.length === 0) return [];
    const body = { events: input.events, method: 'webhook', broadcaster_user_id: input.broadcasterUserId };
    const res = await this.#request<KickEnvelope<KickEventSubscriptionResultWire[]>>({
      method: 'POST',
      path: '/public/v1/events/subscriptions',
      body,
      retry: 'at_most_once',
    });
    return (res?.data ?? []).map(mapEventSubscriptionResult);
  }

  /** Deletes subscriptions by id (chunked, {@link KICK_SUBSCRIPTION_DELETE_CHUNK} per request). */
  async deleteEventSubscriptions(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += KICK_SUBSCRIPTION_DELETE_CHUNK) {
      const query = new URLSearchParams();
      for (const id of ids.slice(i, i + KICK_SUBSCRIPTION_DELETE_CHUNK)) query.append('id', id);
      await this.#request({ method: 'DELETE', path: '/public/v1/events/subscriptions', query });
    }
  }

  /** Kick's current webhook public key (PEM). Sent without a token. */
  async getPublicKey(): Promise<string> {
    const body = await this.#request<KickEnvelope<KickPublicKeyWire>>({ method: 'GET', path: '/public/v1/public-key', auth: false });
    const pem = body?.data?.public_key;
    if (typeof pem !== 'string' || !pem.includes('PUBLIC KEY')) {
      throw new KickError('Kick answered /public/v1/public-key without data.public_key — use the pinned KICK_PUBLIC_KEY_PEM');
    }
    return pem;
  }

  /**
   * Live streams filtered by broadcaster, category or language (`GET /public/v1/livestreams`): one list,
   * at most `limit` (1–100, Kick's default 25), sorted by `viewer_count` (default) or `started_at`.
   */
  async getLivestreams(
    input: { broadcasterUserIds?: number[]; categoryId?: number; language?: string; limit?: number; sort?: 'viewer_count' | 'started_at' } = {},
  ): Promise<KickLivestream[]> {
    if (input.limit !== undefined && (!Number.isInteger(input.limit) || input.limit < 1 || input.limit > 100)) {
      throw new KickValidationError('limit', 'getLivestreams limit must be a whole number from 1 to 100');
    }
    const query = new URLSearchParams();
    for (const id of input.broadcasterUserIds ?? []) query.append('broadcaster_user_id', String(id));
    if (input.categoryId !== undefined) query.set('category_id', String(input.categoryId));
    if (input.language !== undefined) query.set('language', input.language);
    if (input.limit !== undefined) query.set('limit', String(input.limit));
    if (input.sort !== undefined) query.set('sort', input.sort);
    const body = await this.#request<KickEnvelope<KickLivestreamWire[]>>({ method: 'GET', path: '/public/v1/livestreams', query });
    return (body?.data ?? []).map(mapLivestream);
  }

  /**
   * One page of all live streams (`GET /public/v2/livestreams`), optionally by category or language; pass
   * `nextCursor` back as `cursor` for the next page (null on the last). v2 has no broadcaster filter — use
   * {@link getLivestreams} for that.
   */
  async getLivestreamsPage(input: { categoryId?: number; languageCode?: string; limit?: number; cursor?: string } = {}): Promise<KickLivestreamsPage> {
    const query = new URLSearchParams();
    if (input.categoryId !== undefined) query.set('category_id', String(input.categoryId));
    if (input.languageCode !== undefined) query.set('language_code', input.languageCode);
    if (input.limit !== undefined) query.set('limit', String(input.limit));
    if (input.cursor !== undefined) query.set('cursor', input.cursor);
    const body = await this.#request<KickLivestreamsPageWire>({ method: 'GET', path: '/public/v2/livestreams', query });
    return mapLivestreamsPage(body ?? { data: [] });
  }

  /** How many streams are live on Kick right now (`GET /public/v1/livestreams/stats`). */
  async getLivestreamStats(): Promise<KickLivestreamStats> {
    const body = await this.#request<KickEnvelope<{ total_count?: number | null }>>({ method: 'GET', path: '/public/v1/livestreams/stats' });
    return { totalCount: body?.data?.total_count ?? 0 };
  }

  /** The token user's Kicks leaderboard (`kicks:read`); `top` is 1–100. */
  async getKicksLeaderboard(top?: number): Promise<KickLeaderboard> {
    const query = new URLSearchParams();
    if (top !== undefined) {
      if (!Number.isInteger(top) || top < 1 || top > 100) throw new KickValidationError('top', 'top must be a whole number from 1 to 100');
      query.set('top', String(top));
    }
    const body = await this.#request<KickEnvelope<KickLeaderboardWire>>({ method: 'GET', path: '/public/v1/kicks/leaderboard', query });
    return mapLeaderboard(body?.data ?? {});
  }

  async #request<T>(spec: RequestSpec): Promise<T | null> {
    const mode = spec.retry ?? 'idempotent';
    const qs = spec.query?.toString();
    const url = `${this.#apiUrl}${spec.path}${qs ? `?${qs}` : ''}`;
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.#userAgent };
      if (spec.auth !== false) headers.authorization = `Bearer ${await this.#token()}`;
      if (spec.body !== undefined) headers['content-type'] = 'application/json';
      const canRetry = attempt < this.#maxRetries;

      let res: Response;
      try {
        res = await this.#fetch(url, {
          method: spec.method,
          headers,
          ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        const timedOut = isTimeout(error);
        const notSent = NOT_SENT_ERROR_CODES.has(networkErrorCode(error) ?? '');
        if (canRetry && (mode === 'idempotent' || (notSent && !timedOut))) {
          await this.#wait(spec, attempt, backoffDelay(attempt, this.#baseDelayMs, this.#maxDelayMs), timedOut ? 'timeout' : 'network_error');
          continue;
        }
        if (timedOut) throw new KickTimeoutError({ method: spec.method, path: spec.path, timeoutMs: this.#timeoutMs });
        throw new KickError(
          `Could not reach Kick for ${spec.method} ${spec.path} (${networkErrorCode(error) ?? 'network error'}) — check connectivity to ${this.#apiUrl}`,
        );
      }

      let body: unknown;
      try {
        body = await readBody(res);
      } catch (error) {
        // Body stream timed out or broke mid-read.
        if (canRetry && mode === 'idempotent') {
          await this.#wait(spec, attempt, backoffDelay(attempt, this.#baseDelayMs, this.#maxDelayMs), isTimeout(error) ? 'timeout' : 'network_error');
          continue;
        }
        if (isTimeout(error)) throw new KickTimeoutError({ method: spec.method, path: spec.path, timeoutMs: this.#timeoutMs });
        throw new KickError(`Kick's response to ${spec.method} ${spec.path} broke off while reading — retry later`);
      }
      if (res.ok) return body as T | null;

      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now());
      const error = new KickApiError({
        status: res.status,
        method: spec.method,
        path: spec.path,
        body,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
      if (res.status === 429) {
        if (!canRetry || (retryAfterMs !== undefined && retryAfterMs > this.#maxDelayMs)) throw error;
        await this.#wait(spec, attempt, retryAfterMs ?? backoffDelay(attempt, this.#baseDelayMs, this.#maxDelayMs), 'rate_limited', 429);
        continue;
      }
      if (res.status >= 500 && canRetry && mode === 'idempotent') {
        await this.#wait(spec, attempt, backoffDelay(attempt, this.#baseDelayMs, this.#maxDelayMs), 'server_error', res.status);
        continue;
      }
      throw error;
    }
  }

  async #wait(spec: RequestSpec, attempt: number, delayMs: number, reason: KickRetryInfo['reason'], status?: number): Promise<void> {
    try {
      this.#onRetry?.({ method: spec.method, path: spec.path, attempt: attempt + 1, delayMs, reason, ...(status !== undefined ? { status } : {}) });
    } catch {
      // A logging hook must not change request behaviour.
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** The wire body of a reward's fields (only those given). */
function rewardBody(input: Partial<KickRewardInput>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (input.title !== undefined) body.title = input.title;
  if (input.cost !== undefined) body.cost = input.cost;
  if (input.description !== undefined) body.description = input.description;
  if (input.backgroundColor !== undefined) body.background_color = input.backgroundColor;
  if (input.isEnabled !== undefined) body.is_enabled = input.isEnabled;
  if (input.isUserInputRequired !== undefined) body.is_user_input_required = input.isUserInputRequired;
  if (input.shouldRedemptionsSkipRequestQueue !== undefined) body.should_redemptions_skip_request_queue = input.shouldRedemptionsSkipRequestQueue;
  return body;
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}
