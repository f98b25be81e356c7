import {
  guildsForBroadcaster,
  KickConnectionStore,
  linkWatch,
  OWNER_EVENTS,
  processRefreshTokens,
  ReauthRequiredError,
  SubscriptionService,
  TokenRefresher,
} from '@kickcord/connections';
import { KickApiClient, KickOAuth, type KickTokenSet } from '@kickcord/kick';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, CLIENT_SECRET, createChannel, createConnectionsHarness, createGuild, type ConnectionsHarness } from './harness.ts';

let h: ConnectionsHarness;
let store: KickConnectionStore;
let subscriptions: SubscriptionService;

beforeAll(async () => {
  h = await createConnectionsHarness();
  subscriptions = new SubscriptionService({ prisma: h.db.prisma, oauth: h.oauth, apiUrl: h.sim.apiUrl });
  store = new KickConnectionStore({ prisma: h.db.prisma, cipher: h.cipher, oauth: h.oauth, apiUrl: h.sim.apiUrl, subscriptions });
});
afterAll(async () => {
  await h?.close();
});

/** A guild connected to a fresh sim streamer with real sim tokens; `expiresAt` overrides the stored expiry. */
async function connected(username: string, expiresAt = new Date(Date.now() + 2 * 3600_000)) {
  const broadcasterUserId = await createChannel(h, username);
  const guildId = await createGuild(h, `${username} guild`);
  const issued = h.sim.issueUserToken({ clientId: CLIENT_ID, userId: broadcasterUserId, scopes: ['user:read', 'chat:write', 'events:subscribe'] });
  const tokens: KickTokenSet = { accessToken: issued.accessToken, refreshToken: issued.refreshToken, tokenType: 'Bearer', scopes: ['user:read', 'chat:write', 'events:subscribe'], expiresAt };
  await store.save({ guildId, broadcasterUserId, kickUsername: username, tokens, connectedByDiscordId: '77' });
  await h.db.prisma.guildChannelLink.create({ data: { guildId, broadcasterUserId, kind: 'owner', createdByDiscordId: '77' } });
  return { guildId, broadcasterUserId, tokens };
}

async function isActiveAtKick(token: string): Promise<boolean> {
  return (await h.oauth.introspect(token)).active;
}

describe('KickConnectionStore', () => {
  it('stores tokens encrypted (not plaintext), bound to their row and field', async () => {
    const { guildId, tokens, broadcasterUserId } = await connected('cipher_check');
    const row = await h.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId } });
    for (const column of [row.accessTokenEnc, row.refreshTokenEnc]) {
      expect(column).not.toContain(tokens.accessToken);
      expect(column).not.toContain(tokens.refreshToken);
      expect(column.startsWith('v1.')).toBe(true);
    }
    // Swapping the two ciphertexts must not decrypt (AAD binds the field).
    expect(() => h.cipher.decrypt(row.accessTokenEnc, `kick-connection:${broadcasterUserId}:refresh`)).toThrow();
    const loaded = await store.load(guildId);
    expect(loaded).toMatchObject({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, broadcasterUserId, status: 'active' });
  });

  it('returns the stored access token while it is fresh (no refresh)', async () => {
    const { guildId, tokens } = await connected('fresh_one');
    expect(await store.getValidAccessToken(guildId)).toBe(tokens.accessToken);
    expect((await h.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId } })).lastRefreshedAt).toBeNull();
  });

  it('refreshes a token expiring within 5 minutes and persists the ROTATED refresh token', async () => {
    const { guildId, tokens } = await connected('rotating', new Date(Date.now() + 60_000));
    const access = await store.getValidAccessToken(guildId);
    expect(access).not.toBe(tokens.accessToken);
    const loaded = (await store.load(guildId))!;
    expect(loaded.accessToken).toBe(access);
    expect(loaded.refreshToken).not.toBe(tokens.refreshToken);
    expect(loaded.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3600_000);
    // Kick killed the old refresh token; the stored new one works.
    expect(await isActiveAtKick(access)).toBe(true);
    const again = await h.oauth.refresh(loaded.refreshToken);
    expect(again.accessToken).toBeTruthy();
    await expect(h.oauth.refresh(tokens.refreshToken)).rejects.toMatchObject({ isInvalidGrant: true });
  });

  it('refreshes once when many callers ask at the same time (row lock)', async () => {
    const { guildId } = await connected('crowded', new Date(Date.now() + 1_000));
    const tokens = await Promise.all(Array.from({ length: 5 }, () => store.getValidAccessToken(guildId)));
    expect(new Set(tokens).size).toBe(1);
    expect(await isActiveAtKick(tokens[0]!)).toBe(true);
  });

  it('marks needs_reauth and throws ReauthRequiredError when Kick refuses the refresh token', async () => {
    const { guildId, tokens } = await connected('dead_grant', new Date(Date.now() - 1_000));
    h.sim.expireRefreshToken(tokens.refreshToken);
    const error = await store.getValidAccessToken(guildId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReauthRequiredError);
    expect((error as ReauthRequiredError).guildId).toBe(guildId);
    expect((error as Error).message).not.toContain(tokens.refreshToken);
    const row = await h.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId } });
    expect(row.status).toBe('needs_reauth');
    expect(row.lastError).toMatch(/connect again/);
    // Stays dead without calling Kick again.
    await expect(store.getValidAccessToken(guildId)).rejects.toBeInstanceOf(ReauthRequiredError);
  });

  it('keeps the connection active on a transient Kick failure and records the error', async () => {
    const { guildId, tokens } = await connected('kick_hiccup', new Date(Date.now() + 1_000));
    h.sim.failNextRequests({ status: 503, count: 1, path: '/oauth/token' });
    await expect(store.getValidAccessToken(guildId)).rejects.not.toBeInstanceOf(ReauthRequiredError);
    const row = await h.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId } });
    expect(row.status).toBe('active');
    expect(row.lastError).toMatch(/refresh failed/);
    expect((await store.load(guildId))!.refreshToken).toBe(tokens.refreshToken);
    expect(await store.getValidAccessToken(guildId)).not.toBe(tokens.accessToken);
  });

  it('throws ReauthRequiredError for a guild without a connection', async () => {
    await expect(store.getValidAccessToken('123')).rejects.toBeInstanceOf(ReauthRequiredError);
  });

  it('apiClient acts as the streamer', async () => {
    const { guildId, broadcasterUserId } = await connected('api_user');
    const [me] = await store.apiClient(guildId).getUsers();
    expect(me?.userId).toBe(broadcasterUserId);
  });

  it('markRevoked sets the status', async () => {
    const { guildId } = await connected('revoked_one');
    await store.markRevoked(guildId, 'app removed on Kick');
    expect((await h.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId } })).status).toBe('revoked');
    await expect(store.getValidAccessToken(guildId)).rejects.toBeInstanceOf(ReauthRequiredError);
  });

  it('disconnect revokes at Kick, deletes the connection and owner link, and drops subscriptions nobody needs', async () => {
    const { guildId, broadcasterUserId, tokens } = await connected('leaving');
    await subscriptions.ensure(broadcasterUserId, OWNER_EVENTS);
    expect(h.sim.subscriptions({ broadcasterUserId })).toHaveLength(10);
    expect(await store.disconnect(guildId)).toBe(true);
    expect(await isActiveAtKick(tokens.accessToken)).toBe(false);
    expect(await h.db.prisma.kickConnection.findUnique({ where: { guildId } })).toBeNull();
    expect(await h.db.prisma.guildChannelLink.count({ where: { guildId } })).toBe(0);
    expect(h.sim.subscriptions({ broadcasterUserId })).toHaveLength(0);
    expect(await store.disconnect(guildId)).toBe(false);
  });

  it('disconnect keeps what watching guilds still need', async () => {
    const { guildId, broadcasterUserId } = await connected('shared_channel');
    const watcher = await createGuild(h, 'watcher');
    await linkWatch(h.db.prisma, { guildId: watcher, broadcasterUserId, discordUserId: '5' });
    await subscriptions.ensure(broadcasterUserId, OWNER_EVENTS);
    await store.disconnect(guildId);
    expect(h.sim.subscriptions({ broadcasterUserId }).map((s) => s.event)).not.toContain('chat.message.sent');
    expect(h.sim.subscriptions({ broadcasterUserId })).toHaveLength(7);
    expect(await guildsForBroadcaster(h.db.prisma, broadcasterUserId)).toEqual([{ guildId: watcher, kind: 'watch' }]);
  });
});

describe('TokenRefresher', () => {
  it('refreshes every active connection expiring soon; dead grants → needs_reauth; returns counts', async () => {
    // Earlier tests' connections are fresh (2 h) or not active; these three are due.
    const due1 = await connected('due_one', new Date(Date.now() + 10 * 60_000));
    const due2 = await connected('due_two', new Date(Date.now() + 20 * 60_000));
    const dead = await connected('due_dead', new Date(Date.now() + 5 * 60_000));
    h.sim.expireRefreshToken(dead.tokens.refreshToken);
    const refresher = new TokenRefresher({ prisma: h.db.prisma, store });
    const counts = await processRefreshTokens({ refresher, withinMs: 30 * 60_000 });
    expect(counts).toEqual({ checked: 3, refreshed: 2, fresh: 0, needsReauth: 1, failed: 0 });
    for (const c of [due1, due2]) {
      const loaded = (await store.load(c.guildId))!;
      expect(loaded.refreshToken).not.toBe(c.tokens.refreshToken);
      expect(await isActiveAtKick(loaded.accessToken)).toBe(true);
    }
    expect((await h.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId: dead.guildId } })).status).toBe('needs_reauth');
    // Nothing due any more.
    expect(await refresher.refreshExpiring(new Date(), 30 * 60_000)).toEqual({ checked: 0, refreshed: 0, fresh: 0, needsReauth: 0, failed: 0 });
  });
});

describe('a store without subscriptions still disconnects', () => {
  it('works with a minimal OAuth client', async () => {
    const bare = new KickConnectionStore({ prisma: h.db.prisma, cipher: h.cipher, oauth: new KickOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authUrl: h.sim.authUrl }) });
    const { guildId, tokens } = await connected('bare_store');
    expect(await bare.disconnect(guildId)).toBe(true);
    await expect(new KickApiClient({ apiUrl: h.sim.apiUrl, token: tokens.accessToken, maxRetries: 0 }).getUsers()).rejects.toMatchObject({ status: 401 });
  });
});
