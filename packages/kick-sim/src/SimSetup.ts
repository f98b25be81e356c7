/**
 * Seeding and steering the simulator's state from a test: apps, users, tokens, channel numbers and scripted
 * API failures. Nothing here sends a webhook.
 */
import { APP_TOKEN_TTL_SEC } from './constants.ts';
import type { InjectedFailure, SimContext } from './context.ts';
import { KickSimError } from './KickSimError.ts';
import type { SimState } from './SimState.ts';
import type { SimApp, SimEventName, SimSubscription, SimUser } from './types.ts';

/** The setup half of {@link KickSim} (see kickSim.ts for each method's contract). */
export class SimSetup {
  constructor(
    private readonly state: SimState,
    private readonly ctx: SimContext,
  ) {}

  registerApp(input: { clientId: string; clientSecret: string; redirectUris: string[]; webhookUrl?: string; name?: string; botUsername?: string; botEnabled?: boolean }): SimApp {
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
      botEnabled: input.botEnabled ?? true,
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
}
