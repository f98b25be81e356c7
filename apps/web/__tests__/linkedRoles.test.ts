/**
 * Discord Linked Roles verification: `/linked-roles` → discord-sim's consent page → `/linked-roles/callback` →
 * tokens stored encrypted, role connection written; against discord-sim, real PostgreSQL and Redis.
 */
import { DiscordUserApi, LINKED_ROLES_METADATA } from '@kickcord/connections';
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINKED_ROLES_STARTS_PER_WINDOW } from '../src/routes/linkedRolesRoutes.ts';
import { createHarness, PUBLIC_URL, rawRequest, type Harness, type RawResponse, type WebUnderTest } from './harness.ts';

const ALICE = '870000000000000001';
const BOB = '870000000000000002';
const GUILD = '870000000000000100';

let h: Harness;
let sim: DiscordSim;
let app: WebUnderTest;

beforeAll(async () => {
  h = await createHarness();
  sim = await startDiscordSim({ oauth2: { redirectUris: [`${PUBLIC_URL}/linked-roles/callback`] } });
  sim.addUser({ id: ALICE, username: 'alice' });
  sim.addUser({ id: BOB, username: 'bob' });
  await new DiscordUserApi({ apiUrl: sim.apiUrl }).putRoleConnectionMetadata(sim.token, sim.applicationId, LINKED_ROLES_METADATA);
  app = await h.start({ DISCORD_CLIENT_ID: sim.applicationId, DISCORD_CLIENT_SECRET: sim.oauthClientSecret, DISCORD_API_URL: sim.apiUrl });
  await waitFor(() => app.deps.redis.status === 'ready', { description: "the web app's Redis connection" });
  await h.db.prisma.guild.create({ data: { id: GUILD, name: 'Fans' } });
});
afterAll(async () => {
  await sim?.close();
  await h?.close();
});

/** Starts the verification, approves (or cancels) on discord-sim as `userId`, and follows the redirect back. */
async function verify(userId: string, opts: { deny?: boolean; cookie?: 'keep' | 'drop' } = {}): Promise<{ start: RawResponse; done: RawResponse; callbackPath: string; cookie: string }> {
  const start = await rawRequest(`${app.url}/linked-roles`);
  expect(start.status, start.body).toBe(302);
  const cookie = String((start.headers['set-cookie'] as string[] | undefined)?.[0] ?? '').split(';')[0] ?? '';
  const authorize = new URL(String(start.headers.location));
  authorize.searchParams.set('sim_user_id', userId);
  if (opts.deny) authorize.searchParams.set('sim_deny', '1');
  const consent = await rawRequest(authorize.toString());
  expect(consent.status, consent.body).toBe(302);
  const back = new URL(String(consent.headers.location));
  expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC_URL}/linked-roles/callback`);
  const callbackPath = `${back.pathname}${back.search}`;
  const done = await rawRequest(`${app.url}${callbackPath}`, { headers: opts.cookie === 'drop' ? {} : { cookie } });
  return { start, done, callbackPath, cookie };
}

describe('Linked Roles verification URL', () => {
  it('sends the user to Discord for identify and role_connections.write with a one-time state bound by a cookie', async () => {
    const start = await rawRequest(`${app.url}/linked-roles`);
    expect(start.status).toBe(302);
    const authorize = new URL(String(start.headers.location));
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${sim.baseUrl}/oauth2/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(sim.applicationId);
    expect(authorize.searchParams.get('scope')).toBe('identify role_connections.write');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/linked-roles/callback`);
    const state = authorize.searchParams.get('state') as string;
    expect(state.length).toBeGreaterThanOrEqual(32);
    expect(String(start.headers['set-cookie'])).toContain(`kc_linked_roles_state=${state}`);
    expect(String(start.headers['set-cookie'])).toMatch(/HttpOnly/i);
  });

  it('a user without a Kick link: the grant is stored encrypted, the connection names Kick only, the page offers linking', async () => {
    const { done } = await verify(ALICE);
    expect(done.status, done.body).toBe(200);
    expect(done.body).toContain('One more step: link your Kick account');
    // Attribute values are entity-escaped; a browser decodes them.
    const decoded = done.body.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
    expect(decoded).toMatch(/href="http:\/\/kickcord\.test\/link\/kick\?t=[^"]+"/);
    expect(done.body).toContain('/link start');
    expect(sim.roleConnection(ALICE)).toEqual({ platform_name: 'Kick', platform_username: null, metadata: {} });
    const row = await h.db.prisma.discordRoleConnection.findUniqueOrThrow({ where: { discordUserId: ALICE } });
    expect(row.scopes).toEqual(['identify', 'role_connections.write']);
    expect(row.accessTokenEnc).not.toMatch(/^[A-Za-z0-9_-]{20,40}$/);
  });

  it('a linked user: the role connection carries the Kick username and values, and the page shows them', async () => {
    const linkedAt = new Date('2026-10-01T00:00:00.000Z');
    await h.db.prisma.accountLink.create({ data: { discordUserId: BOB, kickUserId: 8801, kickUsername: 'bob_on_kick', verifiedAt: linkedAt } });
    await h.db.prisma.viewerStats.create({ data: { guildId: GUILD, kickUserId: 8801, username: 'bob_on_kick', points: 4321, activeMinutes: 185 } });
    const subscribedSince = new Date('2026-09-15T00:00:00.000Z');
    await h.db.prisma.roleRewardSubscription.create({ data: { guildId: GUILD, kickUserId: 8801, expiresAt: new Date(Date.now() + 86_400_000), since: subscribedSince } });
    const { done, callbackPath } = await verify(BOB);
    expect(done.status, done.body).toBe(200);
    expect(done.body).toContain('Verified: Kick account bob_on_kick');
    expect(sim.roleConnection(BOB)).toEqual({
      platform_name: 'Kick',
      platform_username: 'bob_on_kick',
      metadata: { kick_subscriber: '1', watch_hours: '3', points: '4321', linked_since: linkedAt.toISOString(), subscribed_since: subscribedSince.toISOString() },
    });
    // Nothing secret in the logs: neither the code nor the state nor a token.
    const code = new URL(`http://x${callbackPath}`).searchParams.get('code') as string;
    const state = new URL(`http://x${callbackPath}`).searchParams.get('state') as string;
    expect(app.logs.text()).not.toContain(code);
    expect(app.logs.text()).not.toContain(state);
    expect(app.logs.text()).toContain('linked roles verified');
  });

  it('refuses a callback without the browser cookie, a replayed state, and shows a cancel on Discord', async () => {
    const noCookie = await verify(ALICE, { cookie: 'drop' });
    expect(noCookie.done.status).toBe(400);
    expect(noCookie.done.body).toContain('could not be matched');

    const ok = await verify(ALICE);
    expect(ok.done.status).toBe(200);
    const replay = await rawRequest(`${app.url}${ok.callbackPath}`, { headers: { cookie: ok.cookie } });
    expect(replay.status).toBe(400);

    const denied = await verify(ALICE, { deny: true });
    expect(denied.done.status).toBe(403);
    expect(denied.done.body).toContain('Verification cancelled');
  });

  it('limits how many verifications one address starts (each keeps a state in Redis): 429 with Retry-After', async () => {
    const keys = await app.deps.redis.keys(`${h.prefix}:linked-roles:starts*`);
    if (keys.length > 0) await app.deps.redis.del(...keys);
    const statuses: number[] = [];
    for (let i = 0; i < LINKED_ROLES_STARTS_PER_WINDOW + 1; i++) statuses.push((await rawRequest(`${app.url}/linked-roles`)).status);
    expect(statuses.filter((s) => s === 302)).toHaveLength(LINKED_ROLES_STARTS_PER_WINDOW);
    const last = await rawRequest(`${app.url}/linked-roles`);
    expect(last.status).toBe(429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    const again = await app.deps.redis.keys(`${h.prefix}:linked-roles:starts*`);
    await app.deps.redis.del(...again);
  });

  it('without DISCORD_CLIENT_SECRET the page says Linked Roles is not set up (503)', async () => {
    const plain = await h.start();
    try {
      const res = await rawRequest(`${plain.url}/linked-roles`);
      expect(res.status).toBe(503);
      expect(res.body).toContain('DISCORD_CLIENT_SECRET');
    } finally {
      await plain.close();
    }
  });
});
