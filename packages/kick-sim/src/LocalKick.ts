/**
 * The simulator behind {@link startKickSim}: wires the state, the HTTP server and the webhook dispatcher, and
 * offers the {@link KickSim} API. The work is done by SimSetup (apps, users, tokens, failures), EventDelivery
 * (webhook events) and ChannelActivity (chat, follows, subs, streams, bans); inspection lives here.
 */
import type { Server } from 'node:http';
import { DEFAULT_ACCESS_TOKEN_TTL_SEC, DEFAULT_REFRESH_TOKEN_TTL_SEC, DEFAULT_SUBSCRIPTION_CAP, DEFAULT_WEBHOOK_ATTEMPTS, DEFAULT_WEBHOOK_RETRY_BASE_MS } from './constants.ts';
import { ChannelActivity } from './ChannelActivity.ts';
import { ChannelRewards } from './ChannelRewards.ts';
import type { SimContext } from './context.ts';
import { EventDelivery } from './EventDelivery.ts';
import { KickSimError } from './KickSimError.ts';
import type { DeliveryFilter, KickSim, KickSimOptions, SubscriptionFilter } from './kickSim.ts';
import { pollUntil } from './poll.ts';
import { createSimHttpApp, listenHttp } from './simHttpServer.ts';
import { SimSetup } from './SimSetup.ts';
import { SimState } from './SimState.ts';
import type { ApiCallRecord, ChatLogEntry, DeliveryRecord, SimRedemption, SimSubscription } from './types.ts';
import { WebhookDispatcher } from './WebhookDispatcher.ts';

const systemClock = { now: (): Date => new Date() };

type Args<K extends keyof KickSim> = KickSim[K] extends (...args: infer A) => unknown ? A : never;
type Result<K extends keyof KickSim> = KickSim[K] extends (...args: never[]) => infer R ? R : never;

/** Construct with `new LocalKick(options, keys)` then `await listen()`. */
export class LocalKick implements KickSim {
  readonly publicKeyPem: string;
  private readonly state: SimState;
  private readonly dispatcher: WebhookDispatcher;
  private readonly ctx: SimContext;
  private readonly setup: SimSetup;
  private readonly events: EventDelivery;
  private readonly activity: ChannelActivity;
  private readonly rewards: ChannelRewards;
  private readonly echoApiChat: boolean;
  private server: Server | null = null;
  private baseUrl = '';
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly options: KickSimOptions,
    keys: { privateKeyPem: string; publicKeyPem: string },
  ) {
    this.publicKeyPem = keys.publicKeyPem;
    const clock = options.clock ?? systemClock;
    this.state = new SimState(clock);
    this.echoApiChat = options.echoApiChat ?? true;
    this.dispatcher = new WebhookDispatcher(keys.privateKeyPem, clock, Math.max(1, options.webhookRetries ?? DEFAULT_WEBHOOK_ATTEMPTS), options.webhookRetryBaseMs ?? DEFAULT_WEBHOOK_RETRY_BASE_MS);
    this.events = new EventDelivery(this.state, this.dispatcher);
    this.activity = new ChannelActivity(this.state, this.events);
    this.rewards = new ChannelRewards(this.state, (payload, options) => this.events.emit('channel.reward.redemption.updated', payload, options));
    this.ctx = {
      state: this.state,
      publicKeyPem: keys.publicKeyPem,
      autoApprove: options.autoApprove ?? false,
      accessTokenTtlSec: options.accessTokenTtlSec ?? DEFAULT_ACCESS_TOKEN_TTL_SEC,
      refreshTokenTtlSec: options.refreshTokenTtlSec ?? DEFAULT_REFRESH_TOKEN_TTL_SEC,
      subscriptionCap: options.subscriptionCap ?? DEFAULT_SUBSCRIPTION_CAP,
      failures: [],
      announceChat: (entry, badges) => {
        if (this.echoApiChat) this.background(this.activity.emitChatEntry(entry, { badges }));
      },
      announceBan: (ban) => {
        const payload = this.activity.banPayload(ban.moderatorUserId, ban.bannedUserId, ban.reason, ban.createdAt, ban.expiresAt);
        this.background(this.events.emit('moderation.banned', payload, { broadcasterUserId: ban.broadcasterUserId }));
      },
      announceMetadata: (broadcasterUserId) => {
        this.background(this.events.emit('livestream.metadata.updated', this.activity.metadataPayload(broadcasterUserId), { broadcasterUserId }));
      },
      rewards: this.rewards,
      announceRedemption: (redemption) => {
        this.background(this.rewards.announce(redemption));
      },
    };
    this.setup = new SimSetup(this.state, this.ctx);
  }

  get url(): string {
    if (!this.baseUrl) throw new KickSimError('The simulator is not listening; use `await startKickSim()`.');
    return this.baseUrl;
  }
  get apiUrl(): string {
    return this.url;
  }
  get authUrl(): string {
    return this.url;
  }
  get apiCalls(): readonly ApiCallRecord[] {
    return [...this.state.apiCalls];
  }

  now(): Date {
    return this.state.clock.now();
  }

  /** Starts the HTTP server. */
  async listen(): Promise<void> {
    const { server, url } = await listenHttp(createSimHttpApp(this.ctx), this.options.host ?? '127.0.0.1', this.options.port ?? 0);
    this.server = server;
    this.baseUrl = url;
  }

  async close(): Promise<void> {
    this.dispatcher.close();
    await Promise.allSettled([...this.inFlight]);
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private background(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => console.error('[kick-sim] background delivery failed:', error));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  // ---- setup: apps, users, tokens, failures (SimSetup) ----------------------------------------

  registerApp(...args: Args<'registerApp'>): Result<'registerApp'> {
    return this.setup.registerApp(...args);
  }
  getApp(...args: Args<'getApp'>): Result<'getApp'> {
    return this.setup.getApp(...args);
  }
  setWebhookUrl(...args: Args<'setWebhookUrl'>): void {
    this.setup.setWebhookUrl(...args);
  }
  setWebhookEnabled(...args: Args<'setWebhookEnabled'>): void {
    this.setup.setWebhookEnabled(...args);
  }
  addSubscription(...args: Args<'addSubscription'>): Result<'addSubscription'> {
    return this.setup.addSubscription(...args);
  }
  createUser(...args: Args<'createUser'>): Result<'createUser'> {
    return this.setup.createUser(...args);
  }
  getUser(...args: Args<'getUser'>): Result<'getUser'> {
    return this.setup.getUser(...args);
  }
  findUserBySlug(...args: Args<'findUserBySlug'>): Result<'findUserBySlug'> {
    return this.setup.findUserBySlug(...args);
  }
  setAuthorizingUser(...args: Args<'setAuthorizingUser'>): void {
    this.setup.setAuthorizingUser(...args);
  }
  setViewerCount(...args: Args<'setViewerCount'>): void {
    this.setup.setViewerCount(...args);
  }
  issueUserToken(...args: Args<'issueUserToken'>): Result<'issueUserToken'> {
    return this.setup.issueUserToken(...args);
  }
  issueAppToken(...args: Args<'issueAppToken'>): Result<'issueAppToken'> {
    return this.setup.issueAppToken(...args);
  }
  expireAccessToken(...args: Args<'expireAccessToken'>): void {
    this.setup.expireAccessToken(...args);
  }
  expireRefreshToken(...args: Args<'expireRefreshToken'>): void {
    this.setup.expireRefreshToken(...args);
  }
  revokeAllTokens(...args: Args<'revokeAllTokens'>): void {
    this.setup.revokeAllTokens(...args);
  }
  failNextRequests(...args: Args<'failNextRequests'>): void {
    this.setup.failNextRequests(...args);
  }

  // ---- webhook events (EventDelivery) and channel activity (ChannelActivity) ------------------

  emit(...args: Args<'emit'>): Result<'emit'> {
    return this.events.emit(...args);
  }
  emitBatch(...args: Args<'emitBatch'>): Result<'emitBatch'> {
    return this.events.emitBatch(...args);
  }
  deliverTo(...args: Args<'deliverTo'>): Result<'deliverTo'> {
    return this.events.deliverTo(...args);
  }
  sendChat(...args: Args<'sendChat'>): Result<'sendChat'> {
    return this.activity.sendChat(...args);
  }
  follow(...args: Args<'follow'>): Result<'follow'> {
    return this.activity.follow(...args);
  }
  subscribe(...args: Args<'subscribe'>): Result<'subscribe'> {
    return this.activity.subscribe(...args);
  }
  giftSubs(...args: Args<'giftSubs'>): Result<'giftSubs'> {
    return this.activity.giftSubs(...args);
  }
  giftKicks(...args: Args<'giftKicks'>): Result<'giftKicks'> {
    return this.activity.giftKicks(...args);
  }
  goLive(...args: Args<'goLive'>): Result<'goLive'> {
    return this.activity.goLive(...args);
  }
  goOffline(...args: Args<'goOffline'>): Result<'goOffline'> {
    return this.activity.goOffline(...args);
  }
  updateMetadata(...args: Args<'updateMetadata'>): Result<'updateMetadata'> {
    return this.activity.updateMetadata(...args);
  }
  ban(...args: Args<'ban'>): Result<'ban'> {
    return this.activity.ban(...args);
  }
  redeemReward(...args: Args<'redeemReward'>): Result<'redeemReward'> {
    return this.activity.redeemReward(...args);
  }

  // ---- channel rewards (ChannelRewards) -------------------------------------------------------

  createChannelReward(broadcasterUserId: number, reward: Args<'createChannelReward'>[1]): Result<'createChannelReward'> {
    return { ...this.rewards.create(broadcasterUserId, reward.clientId ?? null, reward) };
  }
  channelRewards(broadcasterUserId: number): Result<'channelRewards'> {
    return this.rewards.list(broadcasterUserId).map((r) => ({ ...r }));
  }
  async redeemChannelReward(...args: Args<'redeemChannelReward'>): Result<'redeemChannelReward'> {
    const { redemption, deliveries } = await this.rewards.redeem(...args);
    return { redemption: { ...redemption, reward: { ...redemption.reward } }, deliveries };
  }
  redemptions(broadcasterUserId: number, filter?: Args<'redemptions'>[1]): Result<'redemptions'> {
    return this.rewards.listRedemptions(broadcasterUserId, filter).map((r) => ({ ...r, reward: { ...r.reward } }));
  }
  async decideRedemption(broadcasterUserId: number, redemptionId: string, status: 'accepted' | 'rejected'): Result<'decideRedemption'> {
    const { failed, decided } = this.rewards.decide(broadcasterUserId, null, [redemptionId], status);
    if (failed[0]) throw new KickSimError(`Cannot ${status === 'accepted' ? 'accept' : 'reject'} redemption ${redemptionId}: ${failed[0].reason}.`);
    return this.rewards.announce(decided[0] as SimRedemption);
  }

  // ---- inspection -----------------------------------------------------------------------------

  chatLog(broadcasterUserId?: number): ChatLogEntry[] {
    return this.state.chat.filter((m) => broadcasterUserId === undefined || m.broadcasterUserId === broadcasterUserId).map((m) => ({ ...m }));
  }

  subscriptions(filter: SubscriptionFilter = {}): SimSubscription[] {
    return [...this.state.subscriptions.values()]
      .filter((s) => (filter.clientId === undefined || s.clientId === filter.clientId) && (filter.broadcasterUserId === undefined || s.broadcasterUserId === filter.broadcasterUserId) && (filter.event === undefined || s.event === filter.event))
      .map((s) => ({ ...s }));
  }

  deliveries(filter: DeliveryFilter | ((d: DeliveryRecord) => boolean) = {}): DeliveryRecord[] {
    const all = this.dispatcher.deliveries;
    if (typeof filter === 'function') return all.filter(filter);
    return all.filter(
      (d) =>
        (filter.type === undefined || d.type === filter.type) &&
        (filter.messageId === undefined || d.messageId === filter.messageId) &&
        (filter.subscriptionId === undefined || d.subscriptionId === filter.subscriptionId) &&
        (filter.clientId === undefined || d.clientId === filter.clientId) &&
        (filter.url === undefined || d.url === filter.url) &&
        (filter.broadcasterUserId === undefined || d.broadcasterUserId === filter.broadcasterUserId) &&
        (filter.delivered === undefined || d.delivered === filter.delivered),
    );
  }

  waitForChat(broadcasterUserId: number, predicate: (m: ChatLogEntry) => boolean, timeoutMs = 5000): Promise<ChatLogEntry> {
    return pollUntil(
      () => this.state.chat.find((m) => m.broadcasterUserId === broadcasterUserId && predicate(m)),
      timeoutMs,
      () => {
        const recent = this.chatLog(broadcasterUserId).slice(-5);
        const shown = recent.map((m) => `${m.senderUsername}: ${JSON.stringify(m.content)}`).join('; ') || 'none';
        return `a matching chat message in channel ${broadcasterUserId} (last messages: ${shown})`;
      },
    );
  }

  async waitForDeliveries(predicate: (d: DeliveryRecord) => boolean, timeoutMs = 5000, count = 1): Promise<DeliveryRecord[]> {
    return pollUntil(
      () => {
        const matching = this.dispatcher.deliveries.filter(predicate);
        return matching.length >= count ? matching : null;
      },
      timeoutMs,
      () => {
        const all = this.dispatcher.deliveries;
        const summary = all.slice(-5).map((d) => `${d.type} → ${d.url || '(no url)'} ${d.delivered ? 'delivered' : `attempts=${d.attempts.length}`}`).join('; ') || 'none';
        return `${count} matching webhook deliveries (matching now: ${all.filter(predicate).length}; ${all.length} recorded; last: ${summary})`;
      },
    );
  }

  clearLogs(): void {
    this.dispatcher.deliveries.length = 0;
    this.state.apiCalls.length = 0;
    this.state.chat.length = 0;
  }
}
