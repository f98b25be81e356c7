import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ulid } from 'ulid';
import { createApiRouter } from './apiRouter.ts';
import {
  APP_TOKEN_TTL_SEC,
  DEFAULT_ACCESS_TOKEN_TTL_SEC,
  DEFAULT_REFRESH_TOKEN_TTL_SEC,
  DEFAULT_SUBSCRIPTION_CAP,
  DEFAULT_WEBHOOK_ATTEMPTS,
  DEFAULT_WEBHOOK_RETRY_BASE_MS,
  SIM_CATEGORIES,
} from './constants.ts';
import type { CallLocals, InjectedFailure, SimContext } from './context.ts';
import { sendError } from './http.ts';
import { KickSimError } from './KickSimError.ts';
import type {
  BatchItem,
  DeliveryFilter,
  HelperOptions,
  KickSim,
  KickSimOptions,
  SendChatOptions,
  SentChat,
  SubscriptionFilter,
} from './kickSim.ts';
import { createOAuthRouter } from './oauthRouter.ts';
import { anonymousKickUser, chatIdentity, deepMerge, defaultPayload, type JsonObject, kickUser, payloadBroadcasterId, placeholderKickUser, rfc3339 } from './payloads.ts';
import { pollUntil } from './poll.ts';
import { createRng } from './random.ts';
import { SimState } from './SimState.ts';
import type { ApiCallRecord, ChatLogEntry, KickKnownUserObject, DeliveryRecord, EmitOptions, PayloadOverrides, SimApp, SimCategory, SimEventName, SimSubscription, SimUser } from './types.ts';
import { WebhookDispatcher } from './WebhookDispatcher.ts';
import type { WirePayload, WirePayloadBody } from './wireTypes.ts';

const systemClock = { now: (): Date => new Date() };

function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** The simulator behind {@link startKickSim}. Construct with `new LocalKick(options, keys)` then `await listen()`. */
export class LocalKick implements KickSim {
  readonly publicKeyPem: string;
  private readonly state: SimState;
  private readonly dispatcher: WebhookDispatcher;
  private readonly ctx: SimContext;
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
    this.ctx = {
      state: this.state,
      publicKeyPem: keys.publicKeyPem,
      autoApprove: options.autoApprove ?? false,
      accessTokenTtlSec: options.accessTokenTtlSec ?? DEFAULT_ACCESS_TOKEN_TTL_SEC,
      refreshTokenTtlSec: options.refreshTokenTtlSec ?? DEFAULT_REFRESH_TOKEN_TTL_SEC,
      subscriptionCap: options.subscriptionCap ?? DEFAULT_SUBSCRIPTION_CAP,
      failures: [],
      announceChat: (entry, badges) => {
        if (this.echoApiChat) this.background(this.emitChatEntry(entry, { badges }));
      },
      announceBan: (ban) => {
        const payload = this.banPayload(ban.moderatorUserId, ban.bannedUserId, ban.reason, ban.createdAt, ban.expiresAt);
        this.background(this.emit('moderation.banned', payload, { broadcasterUserId: ban.broadcasterUserId }));
      },
      announceMetadata: (broadcasterUserId) => {
        this.background(this.emit('livestream.metadata.updated', this.metadataPayload(broadcasterUserId), { broadcasterUserId }));
      },
    };
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
    const app = express();
    app.disable('x-powered-by');
    app.set('query parser', 'simple');
    app.use((req, res, next) => this.recordCall(req, res, next));
    app.use((req, res, next) => this.injectFailure(req, res, next));
    app.use(createOAuthRouter(this.ctx));
    app.use(createApiRouter(this.ctx));
    app.use((_req: Request, res: Response) => sendError(res, 404, 'Not found'));
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
      if (status >= 500) console.error('[kick-sim] request failed:', err);
      if (!res.headersSent) sendError(res, status, status === 400 ? 'Invalid request body (malformed JSON?)' : 'Internal server error');
    });
    const host = this.options.host ?? '127.0.0.1';
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(this.options.port ?? 0, host, (error?: Error) => (error ? reject(error) : resolve(s)));
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    this.baseUrl = `http://${urlHost}:${port}`;
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

  private recordCall(req: Request, res: Response, next: NextFunction): void {
    res.on('finish', () => {
      const token = (res.locals as CallLocals).token;
      const clientId = token?.clientId ?? (typeof res.locals['clientId'] === 'string' ? res.locals['clientId'] : undefined);
      const call: ApiCallRecord = { method: req.method, path: req.originalUrl.split('?')[0] ?? req.originalUrl, status: res.statusCode, at: this.now() };
      if (clientId !== undefined) call.clientId = clientId;
      if (token?.userId != null) call.userId = token.userId;
      this.state.apiCalls.push(call);
    });
    next();
  }

  private injectFailure(req: Request, res: Response, next: NextFunction): void {
    const path = req.path;
    const failure = this.ctx.failures.find(
      (f) =>
        f.remaining > 0 &&
        (f.method === undefined || f.method.toUpperCase() === req.method) &&
        (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (!failure) return next();
    failure.remaining--;
    if (failure.retryAfterSec !== undefined) res.set('Retry-After', String(failure.retryAfterSec));
    if (failure.body !== undefined) return void res.status(failure.status).json(failure.body);
    sendError(res, failure.status, failure.status === 429 ? 'Too Many Requests' : 'Injected failure');
  }

  private background(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => console.error('[kick-sim] background delivery failed:', error));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  // ---- apps, users, tokens -------------------------------------------------------------------

  registerApp(input: { clientId: string; clientSecret: string; redirectUris: string[]; webhookUrl?: string; name?: string; botUsername?: string }): SimApp {
    if (!input.clientId || !input.clientSecret) throw new KickSimError('registerApp needs a non-empty clientId and clientSecret.');
    if (this.state.apps.has(input.clientId)) throw new KickSimError(`An app with client id "${input.clientId}" is already registered.`);
    for (const uri of input.redirectUris) {
      try {
        new URL(uri);
      } catch {
        throw new KickSimError(`Redirect URI "${uri}" is not an absolute URL.`);
      }
    }
    const name = input.name ?? 'kickcord';
    let botName = input.botUsername ?? `${name.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 20)}_bot`;
    for (let n = 2; !input.botUsername && this.state.findUserBySlug(botName); n++) botName = `${name.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 18)}_bot${n}`;
    const botUser = this.state.createUser({ username: botName, isBot: true });
    const app: SimApp = {
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      name,
      redirectUris: [...input.redirectUris],
      webhookUrl: input.webhookUrl ?? null,
      webhookEnabled: true,
      botUser,
    };
    this.state.apps.set(app.clientId, app);
    return app;
  }

  getApp(clientId: string): SimApp | undefined {
    return this.state.apps.get(clientId);
  }

  setWebhookUrl(clientId: string, url: string | null): void {
    this.state.requireApp(clientId).webhookUrl = url;
  }

  setWebhookEnabled(clientId: string, enabled: boolean): void {
    const app = this.state.requireApp(clientId);
    app.webhookEnabled = enabled;
    if (!enabled) for (const [id, sub] of this.state.subscriptions) if (sub.clientId === clientId) this.state.subscriptions.delete(id);
  }

  addSubscription(input: { clientId: string; broadcasterUserId: number; event: SimEventName; version?: number }): SimSubscription {
    const app = this.state.requireApp(input.clientId);
    if (!app.webhookEnabled) throw new KickSimError(`Webhooks are disabled for app "${input.clientId}"; setWebhookEnabled(clientId, true) first.`);
    return { ...this.state.newSubscription(app.clientId, input.broadcasterUserId, input.event, input.version ?? 1) };
  }

  createUser(input: { username: string; userId?: number; email?: string; isLive?: boolean; profilePicture?: string }): SimUser {
    return this.state.createUser(input);
  }

  getUser(userId: number): SimUser | undefined {
    return this.state.users.get(userId);
  }

  findUserBySlug(slug: string): SimUser | undefined {
    return this.state.findUserBySlug(slug);
  }

  setAuthorizingUser(userId: number | null): void {
    if (userId !== null) this.state.requireUser(userId);
    this.state.authorizingUserId = userId;
  }

  setViewerCount(broadcasterUserId: number, viewers: number): void {
    this.state.requireUser(broadcasterUserId, 'broadcaster').channel.viewerCount = Math.max(0, Math.floor(viewers));
  }

  issueUserToken(input: { clientId: string; userId: number; scopes: string[] }): { accessToken: string; refreshToken: string; expiresIn: number } {
    this.state.requireApp(input.clientId);
    this.state.requireUser(input.userId);
    const { access, refresh } = this.state.issueTokenPair({
      tokenType: 'user',
      clientId: input.clientId,
      userId: input.userId,
      scopes: input.scopes,
      accessTtlSec: this.ctx.accessTokenTtlSec,
      refreshTtlSec: this.ctx.refreshTokenTtlSec,
    });
    return { accessToken: access.token, refreshToken: (refresh as NonNullable<typeof refresh>).token, expiresIn: this.ctx.accessTokenTtlSec };
  }

  issueAppToken(clientId: string): { accessToken: string; expiresIn: number } {
    this.state.requireApp(clientId);
    const { access } = this.state.issueTokenPair({ tokenType: 'app', clientId, userId: null, scopes: [], accessTtlSec: APP_TOKEN_TTL_SEC, refreshTtlSec: 0 });
    return { accessToken: access.token, expiresIn: APP_TOKEN_TTL_SEC };
  }

  private requireToken(token: string, kind: 'access' | 'refresh'): void {
    const record = this.state.tokens.get(token);
    if (!record || record.kind !== kind) throw new KickSimError(`That is not a ${kind} token issued by this simulator.`);
    record.expiresAt = this.state.nowMs() - 1;
  }

  expireAccessToken(token: string): void {
    this.requireToken(token, 'access');
  }

  expireRefreshToken(token: string): void {
    this.requireToken(token, 'refresh');
  }

  revokeAllTokens(userId: number): void {
    for (const record of this.state.tokens.values()) if (record.userId === userId) record.revoked = true;
  }

  failNextRequests(input: { status: number; count?: number; method?: string; path?: string | RegExp; retryAfterSec?: number; body?: unknown }): void {
    const failure: InjectedFailure = { status: input.status, remaining: input.count ?? 1 };
    if (input.method !== undefined) failure.method = input.method;
    if (input.path !== undefined) failure.path = input.path;
    if (input.retryAfterSec !== undefined) failure.retryAfterSec = input.retryAfterSec;
    if (input.body !== undefined) failure.body = input.body;
    this.ctx.failures.push(failure);
  }

  // ---- webhooks -------------------------------------------------------------------------------

  private kickUserFor(userId: number): KickKnownUserObject {
    const user = this.state.users.get(userId);
    return user ? kickUser(user) : placeholderKickUser(userId, `user_${userId}`);
  }

  private buildPayload(type: string, overrides: PayloadOverrides, broadcasterUserId: number, at: Date): JsonObject {
    return deepMerge(defaultPayload(type, this.kickUserFor(broadcasterUserId), at), overrides);
  }

  private resolveBroadcaster(type: string, overrides: PayloadOverrides, opts: EmitOptions): number {
    const id = opts.broadcasterUserId ?? payloadBroadcasterId(overrides);
    if (id === null) throw new KickSimError(`emit("${type}") needs a broadcaster: pass opts.broadcasterUserId or payload.broadcaster.user_id.`);
    return id;
  }

  async emit(type: SimEventName, payload: PayloadOverrides = {}, opts: EmitOptions & { at?: Date } = {}): Promise<DeliveryRecord[]> {
    const broadcasterUserId = this.resolveBroadcaster(type, payload, opts);
    const at = opts.at ?? this.now();
    const body = this.buildPayload(type, payload, broadcasterUserId, at);
    const timestamp = opts.timestamp ?? rfc3339(at);
    const subs = [...this.state.subscriptions.values()].filter((s) => s.event === type && s.broadcasterUserId === broadcasterUserId);
    const sends = subs.map((sub) => {
      const app = this.state.apps.get(sub.clientId);
      const url = app?.webhookEnabled ? app.webhookUrl : null;
      const message = {
        type,
        version: String(sub.version),
        payload: body,
        subscriptionId: sub.id,
        clientId: sub.clientId,
        broadcasterUserId,
        messageId: opts.messageId ?? ulid(),
        timestamp,
        duplicate: Math.max(0, opts.duplicate ?? 0),
        delayMs: Math.max(0, opts.delayMs ?? 0),
        drop: opts.drop ?? false,
      };
      if (!url) return this.recordUndeliverable({ ...message, url: '' }, 'the app has no webhook URL (registerApp({ webhookUrl }) or setWebhookUrl())');
      return this.dispatcher.send({ ...message, url });
    });
    return (await Promise.all(sends)).flat();
  }

  private async recordUndeliverable(message: Parameters<WebhookDispatcher['send']>[0], error: string): Promise<DeliveryRecord[]> {
    const record: DeliveryRecord = {
      messageId: message.messageId,
      subscriptionId: message.subscriptionId,
      clientId: message.clientId,
      type: message.type,
      version: message.version,
      url: '',
      broadcasterUserId: message.broadcasterUserId,
      timestamp: message.timestamp,
      body: JSON.stringify(message.payload),
      payload: message.payload,
      copy: 0,
      attempts: [{ status: 0, error, at: this.now() }],
      delivered: false,
      dropped: false,
    };
    this.dispatcher.deliveries.push(record);
    return [record];
  }

  async emitBatch(items: BatchItem[], options: { reorder?: boolean; seed?: number } = {}): Promise<DeliveryRecord[]> {
    const ordered = options.reorder ? createRng(options.seed ?? Math.floor(Math.random() * 2 ** 31)).shuffle(items) : items;
    const out: DeliveryRecord[] = [];
    for (const item of ordered) out.push(...(await this.emit(item.type, item.payload ?? {}, item.opts ?? {})));
    return out;
  }

  async deliverTo(url: string, type: SimEventName, payload: PayloadOverrides = {}, opts: EmitOptions & { subscriptionId?: string; at?: Date } = {}): Promise<DeliveryRecord[]> {
    const broadcasterUserId = this.resolveBroadcaster(type, payload, opts);
    const at = opts.at ?? this.now();
    return this.dispatcher.send({
      url,
      type,
      version: '1',
      payload: this.buildPayload(type, payload, broadcasterUserId, at),
      subscriptionId: opts.subscriptionId ?? ulid(),
      clientId: null,
      broadcasterUserId,
      messageId: opts.messageId ?? ulid(),
      timestamp: opts.timestamp ?? rfc3339(at),
      duplicate: Math.max(0, opts.duplicate ?? 0),
      delayMs: Math.max(0, opts.delayMs ?? 0),
      drop: opts.drop ?? false,
    });
  }

  // ---- high-level helpers ---------------------------------------------------------------------

  private emitOpts(broadcasterUserId: number, opts: HelperOptions): EmitOptions & { at?: Date } {
    return { ...opts, broadcasterUserId };
  }

  private emitChatEntry(entry: ChatLogEntry, opts: SendChatOptions): Promise<DeliveryRecord[]> {
    const sender = this.state.requireUser(entry.senderUserId, 'sender');
    const payload: WirePayload<'chat.message.sent'> = {
      message_id: entry.messageId,
      broadcaster: this.kickUserFor(entry.broadcasterUserId),
      sender: kickUser(sender, chatIdentity(sender.userId, opts.badges ?? [])),
      content: entry.content,
      emotes: opts.emotes ?? [],
      created_at: rfc3339(entry.createdAt),
    };
    const original = entry.replyToMessageId ? this.state.chat.find((m) => m.messageId === entry.replyToMessageId) : undefined;
    if (original) {
      payload['replies_to'] = { message_id: original.messageId, content: original.content, sender: this.kickUserFor(original.senderUserId) };
    }
    return this.emit('chat.message.sent', payload, { ...opts, broadcasterUserId: entry.broadcasterUserId, at: entry.createdAt });
  }

  async sendChat(broadcasterUserId: number, senderUserId: number, content: string, opts: SendChatOptions = {}): Promise<SentChat> {
    const broadcaster = this.state.requireUser(broadcasterUserId, 'broadcaster');
    const sender = this.state.requireUser(senderUserId, 'sender');
    if (this.state.activeBan(broadcaster.userId, sender.userId)) throw new KickSimError(`${sender.username} is banned in ${broadcaster.username}'s channel and cannot chat.`);
    const entry: ChatLogEntry = {
      messageId: crypto.randomUUID(),
      broadcasterUserId,
      senderUserId,
      senderUsername: sender.username,
      content,
      type: 'viewer',
      replyToMessageId: opts.replyTo ?? null,
      createdAt: opts.at ?? this.now(),
      deletedAt: null,
      clientId: null,
    };
    this.state.chat.push(entry);
    const deliveries = await this.emitChatEntry(entry, opts);
    return { messageId: entry.messageId, deliveries };
  }

  async follow(broadcasterUserId: number, followerUserId: number, opts: HelperOptions = {}): Promise<DeliveryRecord[]> {
    this.state.requireUser(broadcasterUserId, 'broadcaster');
    const follower = this.state.requireUser(followerUserId, 'follower');
    this.state.setOf(this.state.followers, broadcasterUserId).add(followerUserId);
    const payload: WirePayloadBody<'channel.followed'> = { follower: kickUser(follower) };
    return this.emit('channel.followed', payload, this.emitOpts(broadcasterUserId, opts));
  }

  async subscribe(broadcasterUserId: number, subscriberUserId: number, months = 1, opts: HelperOptions = {}): Promise<DeliveryRecord[]> {
    const broadcaster = this.state.requireUser(broadcasterUserId, 'broadcaster');
    const subscriber = this.state.requireUser(subscriberUserId, 'subscriber');
    if (!Number.isInteger(months) || months < 1) throw new KickSimError(`months must be a positive integer, got ${months}.`);
    const subs = this.state.setOf(this.state.subscribers, broadcasterUserId);
    const isNew = months === 1 && !subs.has(subscriberUserId);
    if (!subs.has(subscriberUserId)) broadcaster.channel.activeSubscribersCount++;
    subs.add(subscriberUserId);
    const at = opts.at ?? this.now();
    const type = isNew ? 'channel.subscription.new' : 'channel.subscription.renewal';
    const payload: WirePayloadBody<'channel.subscription.new'> = { subscriber: kickUser(subscriber), duration: months, created_at: rfc3339(at), expires_at: rfc3339(addMonths(at, 1)) };
    return this.emit(type, payload, { ...this.emitOpts(broadcasterUserId, opts), at });
  }

  async giftSubs(broadcasterUserId: number, gifterUserId: number | null, gifteeUserIds: number[], opts: HelperOptions = {}): Promise<DeliveryRecord[]> {
    const broadcaster = this.state.requireUser(broadcasterUserId, 'broadcaster');
    if (gifteeUserIds.length === 0) throw new KickSimError('giftSubs needs at least one giftee.');
    const gifter = gifterUserId === null ? anonymousKickUser() : kickUser(this.state.requireUser(gifterUserId, 'gifter'));
    const giftees = gifteeUserIds.map((id) => kickUser(this.state.requireUser(id, 'giftee')));
    const subs = this.state.setOf(this.state.subscribers, broadcasterUserId);
    for (const id of gifteeUserIds) {
      if (!subs.has(id)) broadcaster.channel.activeSubscribersCount++;
      subs.add(id);
    }
    const at = opts.at ?? this.now();
    const payload: WirePayloadBody<'channel.subscription.gifts'> = { gifter, giftees, created_at: rfc3339(at), expires_at: rfc3339(addMonths(at, 1)) };
    return this.emit('channel.subscription.gifts', payload, { ...this.emitOpts(broadcasterUserId, opts), at });
  }

  async giftKicks(
    broadcasterUserId: number,
    senderUserId: number,
    amount: number,
    opts: HelperOptions & { name?: string; type?: string; tier?: string; message?: string; pinnedTimeSeconds?: number } = {},
  ): Promise<DeliveryRecord[]> {
    this.state.requireUser(broadcasterUserId, 'broadcaster');
    const sender = this.state.requireUser(senderUserId, 'sender');
    if (!Number.isInteger(amount) || amount <= 0) throw new KickSimError(`amount must be a positive integer number of kicks, got ${amount}.`);
    const at = opts.at ?? this.now();
    this.state.kicks.push({ broadcasterUserId, senderUserId, amount, at });
    const { name, type, tier, message, pinnedTimeSeconds, ...emitOpts } = opts;
    const payload: WirePayloadBody<'kicks.gifted'> = {
      sender: kickUser(sender),
      gift: { amount, name: name ?? 'Full Send', type: type ?? 'BASIC', tier: tier ?? 'BASIC', message: message ?? '', pinned_time_seconds: pinnedTimeSeconds ?? 0 },
      created_at: rfc3339(at),
    };
    return this.emit('kicks.gifted', payload, { ...this.emitOpts(broadcasterUserId, emitOpts), at });
  }

  private resolveCategory(category: number | string | undefined, fallback: SimCategory): SimCategory {
    if (category === undefined) return fallback;
    const found = SIM_CATEGORIES.find((c) => (typeof category === 'number' ? c.id === category : c.name.toLowerCase() === category.toLowerCase()));
    if (!found) throw new KickSimError(`Unknown category ${JSON.stringify(category)}; known: ${SIM_CATEGORIES.map((c) => `${c.id} ${c.name}`).join(', ')}.`);
    return { id: found.id, name: found.name, thumbnail: found.thumbnail };
  }

  async goLive(
    broadcasterUserId: number,
    stream: { title: string; category?: number | string; language?: string; isMature?: boolean; viewerCount?: number },
    opts: HelperOptions = {},
  ): Promise<DeliveryRecord[]> {
    const channel = this.state.requireUser(broadcasterUserId, 'broadcaster').channel;
    const at = opts.at ?? this.now();
    channel.category = this.resolveCategory(stream.category, channel.category);
    channel.streamTitle = stream.title;
    channel.isLive = true;
    channel.startTime = at;
    if (stream.language !== undefined) channel.language = stream.language;
    if (stream.isMature !== undefined) channel.isMature = stream.isMature;
    if (stream.viewerCount !== undefined) channel.viewerCount = stream.viewerCount;
    const payload: WirePayloadBody<'livestream.status.updated'> = { is_live: true, title: stream.title, started_at: rfc3339(at), ended_at: null };
    return this.emit('livestream.status.updated', payload, { ...this.emitOpts(broadcasterUserId, opts), at });
  }

  async goOffline(broadcasterUserId: number, opts: HelperOptions = {}): Promise<DeliveryRecord[]> {
    const channel = this.state.requireUser(broadcasterUserId, 'broadcaster').channel;
    const at = opts.at ?? this.now();
    const startedAt = channel.startTime ?? at;
    channel.isLive = false;
    channel.viewerCount = 0;
    const payload: WirePayloadBody<'livestream.status.updated'> = { is_live: false, title: channel.streamTitle, started_at: rfc3339(startedAt), ended_at: rfc3339(at) };
    return this.emit('livestream.status.updated', payload, { ...this.emitOpts(broadcasterUserId, opts), at });
  }

  private metadataPayload(broadcasterUserId: number): WirePayloadBody<'livestream.metadata.updated'> {
    const c = this.state.requireUser(broadcasterUserId, 'broadcaster').channel;
    return { metadata: { title: c.streamTitle, language: c.language, has_mature_content: c.isMature, category: { ...c.category } } };
  }

  async updateMetadata(
    broadcasterUserId: number,
    metadata: { title?: string; category?: number | string; language?: string; hasMatureContent?: boolean },
    opts: HelperOptions = {},
  ): Promise<DeliveryRecord[]> {
    const channel = this.state.requireUser(broadcasterUserId, 'broadcaster').channel;
    channel.category = this.resolveCategory(metadata.category, channel.category);
    if (metadata.title !== undefined) channel.streamTitle = metadata.title;
    if (metadata.language !== undefined) channel.language = metadata.language;
    if (metadata.hasMatureContent !== undefined) channel.isMature = metadata.hasMatureContent;
    return this.emit('livestream.metadata.updated', this.metadataPayload(broadcasterUserId), this.emitOpts(broadcasterUserId, opts));
  }

  private banPayload(moderatorUserId: number, bannedUserId: number, reason: string, createdAt: Date, expiresAt: Date | null): WirePayloadBody<'moderation.banned'> {
    return {
      moderator: this.kickUserFor(moderatorUserId),
      banned_user: this.kickUserFor(bannedUserId),
      metadata: { reason, created_at: rfc3339(createdAt), expires_at: expiresAt ? rfc3339(expiresAt) : null },
    };
  }

  async ban(broadcasterUserId: number, bannedUserId: number, opts: HelperOptions & { moderatorUserId?: number; reason?: string; durationMinutes?: number } = {}): Promise<DeliveryRecord[]> {
    this.state.requireUser(broadcasterUserId, 'broadcaster');
    this.state.requireUser(bannedUserId, 'banned user');
    const { moderatorUserId, reason, durationMinutes, ...emitOpts } = opts;
    const createdAt = opts.at ?? this.now();
    const expiresAt = durationMinutes === undefined ? null : new Date(createdAt.getTime() + durationMinutes * 60_000);
    this.state.unban(broadcasterUserId, bannedUserId);
    this.state.bans.push({ broadcasterUserId, userId: bannedUserId, reason: reason ?? '', createdAt, expiresAt });
    const payload = this.banPayload(moderatorUserId ?? broadcasterUserId, bannedUserId, reason ?? '', createdAt, expiresAt);
    return this.emit('moderation.banned', payload, { ...this.emitOpts(broadcasterUserId, emitOpts), at: createdAt });
  }

  async redeemReward(
    broadcasterUserId: number,
    redeemerUserId: number,
    reward: { title: string; cost?: number; description?: string; userInput?: string; status?: 'pending' | 'accepted' | 'rejected'; rewardId?: string; redemptionId?: string },
    opts: HelperOptions = {},
  ): Promise<DeliveryRecord[]> {
    this.state.requireUser(broadcasterUserId, 'broadcaster');
    const redeemer = this.state.requireUser(redeemerUserId, 'redeemer');
    const at = opts.at ?? this.now();
    const payload: WirePayloadBody<'channel.reward.redemption.updated'> = {
      id: reward.redemptionId ?? ulid(),
      user_input: reward.userInput ?? '',
      status: reward.status ?? 'pending',
      redeemed_at: rfc3339(at),
      reward: { id: reward.rewardId ?? ulid(), title: reward.title, cost: reward.cost ?? 100, description: reward.description ?? '' },
      redeemer: kickUser(redeemer),
    };
    return this.emit('channel.reward.redemption.updated', payload, { ...this.emitOpts(broadcasterUserId, opts), at });
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

