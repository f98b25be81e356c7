import { createPublicKey } from 'node:crypto';
import {
  KICK_EVENT_TYPES,
  KICK_PUBLIC_KEY_PEM,
  KickApiClient,
  KickApiError,
  KickOAuth,
  KickOAuthError,
  parseKickEvent,
  samplePayloads,
  verifyKickWebhook,
} from '@kickcord/kick';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KickSim, startKickSim } from '@kickcord/kick-sim';
import { header, type Receiver, startReceiver } from './receiver.ts';

const REDIRECT = 'http://localhost:3000/auth/kick/callback';

// The real @kickcord/kick client must not be able to tell the simulator from Kick.
describe('cross-check with @kickcord/kick', () => {
  let sim: KickSim;
  let receiver: Receiver;
  let oauth: KickOAuth;
  let streamerId: number;
  let viewerId: number;

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startKickSim({ autoApprove: true, webhookRetryBaseMs: 5 });
    sim.registerApp({ clientId: 'kc-client', clientSecret: 'kc-secret', redirectUris: [REDIRECT], name: 'kickcord', webhookUrl: receiver.url });
    streamerId = sim.createUser({ username: 'Streamer' }).userId;
    viewerId = sim.createUser({ username: 'viewer1' }).userId;
    sim.setAuthorizingUser(streamerId);
    oauth = new KickOAuth({ clientId: 'kc-client', clientSecret: 'kc-secret', authUrl: sim.authUrl, apiUrl: sim.apiUrl });
  });
  afterEach(() => {
    receiver.received.length = 0;
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  async function authorize(scopes: string[]): Promise<Awaited<ReturnType<KickOAuth['exchangeCode']>>> {
    const { verifier, challenge } = KickOAuth.createPkcePair();
    const state = KickOAuth.createState();
    const res = await fetch(oauth.authorizeUrl({ redirectUri: REDIRECT, state, scopes, codeChallenge: challenge }), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') as string);
    expect(location.searchParams.get('state')).toBe(state);
    return oauth.exchangeCode({ code: location.searchParams.get('code') as string, redirectUri: REDIRECT, codeVerifier: verifier });
  }

  it('KickOAuth: code + PKCE, refresh rotation, app token, introspect, revoke', async () => {
    const tokens = await authorize(['user:read', 'chat:write', 'events:subscribe']);
    expect(tokens.scopes).toEqual(['user:read', 'chat:write', 'events:subscribe']);
    expect(tokens.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7000_000);

    const rotated = await oauth.refresh(tokens.refreshToken);
    expect(rotated.refreshToken).not.toBe(tokens.refreshToken);
    const stale = await oauth.refresh(tokens.refreshToken).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(KickOAuthError);
    expect((stale as KickOAuthError).isInvalidGrant).toBe(true);

    const app = await oauth.appToken();
    expect(await oauth.introspect(app)).toMatchObject({ active: true, clientId: 'kc-client', tokenType: 'app' });
    const info = await oauth.introspect(rotated.accessToken);
    expect(info).toMatchObject({ active: true, tokenType: 'user', scopes: ['user:read', 'chat:write', 'events:subscribe'] });

    await oauth.revoke(rotated.accessToken, 'access_token');
    expect((await oauth.introspect(rotated.accessToken)).active).toBe(false);

    const wrongSecret = new KickOAuth({ clientId: 'kc-client', clientSecret: 'nope', authUrl: sim.authUrl });
    const err = await wrongSecret.appToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KickOAuthError);
    expect((err as KickOAuthError).status).toBe(401);
  });

  it('KickApiClient: every endpoint maps cleanly', async () => {
    const tokens = await authorize(['user:read', 'channel:read', 'channel:write', 'chat:write', 'events:subscribe', 'moderation:ban', 'moderation:chat_message:manage', 'kicks:read']);
    const api = new KickApiClient({ apiUrl: sim.apiUrl, token: tokens.accessToken, retryBaseDelayMs: 1 });
    const appApi = new KickApiClient({ apiUrl: sim.apiUrl, token: () => oauth.appToken(), retryBaseDelayMs: 1 });

    expect((await api.getUsers())[0]).toMatchObject({ userId: streamerId });
    const [channel] = await api.getChannels();
    expect(channel).toMatchObject({ broadcasterUserId: streamerId, slug: 'streamer' });
    expect(await appApi.getChannelBySlug('viewer1')).toMatchObject({ broadcasterUserId: viewerId });
    expect(await appApi.getChannelBySlug('nobody_here')).toBeNull();

    await api.updateChannel({ streamTitle: 'Client title', categoryId: 3 });
    expect(sim.getUser(streamerId)?.channel.streamTitle).toBe('Client title');

    await sim.goLive(streamerId, { title: 'live!', viewerCount: 12 });
    const page = await appApi.getLivestreamsPage({ limit: 10 });
    expect(page.livestreams.map((l) => l.broadcasterUserId)).toContain(streamerId);
    expect(page.nextCursor).toBeNull();

    // v1 filters by broadcaster (v2 has no such parameter and would list every live stream).
    const other = sim.createUser({ username: 'otherlive' });
    await sim.goLive(other.userId, { title: 'other', viewerCount: 50, language: 'de' });
    const mine = await appApi.getLivestreams({ broadcasterUserIds: [streamerId] });
    expect(mine.map((l) => [l.broadcasterUserId, l.streamTitle, l.viewerCount])).toEqual([[streamerId, 'live!', 12]]);
    expect(mine[0]?.startedAt).toBeInstanceOf(Date);
    expect((await appApi.getLivestreams({ language: 'de' })).map((l) => l.broadcasterUserId)).toEqual([other.userId]);
    expect((await appApi.getLivestreams({ limit: 1 })).map((l) => l.broadcasterUserId)).toEqual([other.userId]);
    await expect(appApi.getLivestreams({ limit: 101 })).rejects.toThrow(/1 to 100/);
    expect(await appApi.getLivestreamStats()).toEqual({ totalCount: 2 });
    expect(sim.apiCalls.filter((c) => c.path === '/public/v1/livestreams').map((c) => c.status)).toEqual([200, 200, 200]);

    const sent = await api.sendChatMessage({ type: 'bot', content: 'hi from KickApiClient' });
    expect(sent.messageId).toEqual(expect.any(String));
    expect(sim.chatLog(streamerId).find((m) => m.messageId === sent.messageId)?.senderUsername).toBe('kickcord_bot');
    await api.deleteChatMessage(sent.messageId);

    const created = await api.createEventSubscriptions({ broadcasterUserId: streamerId, events: [{ name: 'channel.followed', version: 1 }] });
    expect(created[0]?.subscriptionId).toEqual(expect.any(String));
    const listed = await appApi.listEventSubscriptions({ broadcasterUserId: streamerId });
    expect(listed.map((s) => s.id)).toContain(created[0]?.subscriptionId);
    await appApi.deleteEventSubscriptions([created[0]?.subscriptionId as string]);
    expect(sim.subscriptions({ broadcasterUserId: streamerId })).toHaveLength(0);

    await api.banUser({ broadcasterUserId: streamerId, userId: viewerId, durationMinutes: 5, reason: 'calm down' });
    await api.unbanUser({ broadcasterUserId: streamerId, userId: viewerId });
    await sim.giftKicks(streamerId, viewerId, 25);
    expect((await api.getKicksLeaderboard(3)).lifetime[0]).toMatchObject({ userId: viewerId });
    expect(await api.getPublicKey()).toBe(sim.publicKeyPem);

    const limited = new KickApiClient({ apiUrl: sim.apiUrl, token: sim.issueUserToken({ clientId: 'kc-client', userId: streamerId, scopes: [] }).accessToken, maxRetries: 0 });
    const denied = await limited.sendChatMessage({ type: 'bot', content: 'x' }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KickApiError);
    expect((denied as KickApiError).status).toBe(403);

    sim.failNextRequests({ status: 429, path: '/public/v1/users', retryAfterSec: 0 });
    expect((await api.getUsers())[0]).toMatchObject({ userId: streamerId });
    await sim.goOffline(streamerId);
  });

  it('every helper-produced webhook verifies with verifyKickWebhook and parses with parseKickEvent; Kick’s real key rejects it', async () => {
    const token = sim.issueAppToken('kc-client').accessToken;
    const appApi = new KickApiClient({ apiUrl: sim.apiUrl, token });
    await appApi.createEventSubscriptions({ broadcasterUserId: streamerId, events: KICK_EVENT_TYPES.map((name) => ({ name, version: 1 })) });
    const first = await sim.sendChat(streamerId, viewerId, 'hello', { badges: [{ text: 'VIP', type: 'vip' }] });
    await sim.sendChat(streamerId, streamerId, 'hi!', { replyTo: first.messageId, badges: [{ text: 'Broadcaster', type: 'broadcaster' }] });
    await sim.follow(streamerId, viewerId);
    await sim.subscribe(streamerId, viewerId, 1);
    await sim.subscribe(streamerId, viewerId, 4);
    await sim.giftSubs(streamerId, viewerId, [streamerId]);
    await sim.giftSubs(streamerId, null, [viewerId]);
    await sim.giftKicks(streamerId, viewerId, 100, { message: 'gg' });
    await sim.goLive(streamerId, { title: 'back', category: 'Just Chatting' });
    await sim.updateMetadata(streamerId, { title: 'new title', hasMatureContent: true });
    await sim.ban(streamerId, viewerId, { reason: 'spam', durationMinutes: 10 });
    await sim.redeemReward(streamerId, viewerId, { title: 'Hydrate', cost: 500, userInput: 'drink!' });
    await sim.goOffline(streamerId);
    for (const type of KICK_EVENT_TYPES) await sim.emit(type, {}, { broadcasterUserId: streamerId });
    for (const type of KICK_EVENT_TYPES) await sim.emit(type, structuredClone(samplePayloads[type]) as never, { broadcasterUserId: streamerId });

    const simKey = createPublicKey(sim.publicKeyPem);
    const kickKey = createPublicKey(KICK_PUBLIC_KEY_PEM);
    const seen = new Set<string>();
    expect(receiver.received.length).toBeGreaterThanOrEqual(33);
    for (const r of receiver.received) {
      const rawBody = Buffer.from(r.body, 'utf8');
      const verdict = verifyKickWebhook({ headers: r.headers, rawBody, key: simKey });
      expect(verdict, r.body).toMatchObject({ ok: true, eventType: header(r, 'kick-event-type'), eventVersion: '1' });
      const withKickKey = verifyKickWebhook({ headers: r.headers, rawBody, key: kickKey });
      expect(withKickKey.ok).toBe(false);
      expect(withKickKey.ok ? null : withKickKey.reason).toMatch(/^(signature_mismatch|unknown_key)$/);
      const parsed = parseKickEvent(header(r, 'kick-event-type'), header(r, 'kick-event-version'), JSON.parse(r.body));
      expect(parsed.ok ? 'ok' : JSON.stringify(parsed), `${header(r, 'kick-event-type')}: ${r.body}`).toBe('ok');
      seen.add(header(r, 'kick-event-type'));
    }
    expect([...seen].sort()).toEqual([...KICK_EVENT_TYPES].sort());
  });
});
