/**
 * "Link with Kick" for viewers: the signed URL of `/link start` → Kick consent (`user:read`, PKCE) → the shared
 * callback → `GET /public/v1/users` → AccountLink; relinks asked first; against kick-sim, real PostgreSQL and Redis.
 */
import { findLinkByDiscord, findLinkByKick, issueAccountLinkUrl, linkAccounts } from '@kickcord/connections';
import { TokenCipher } from '@kickcord/db';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, ENCRYPTION_KEY, PUBLIC_URL, rawRequest, type Harness, type WebUnderTest } from './harness.ts';

let h: Harness;
let app: WebUnderTest;
const cipher = new TokenCipher(ENCRYPTION_KEY);

beforeAll(async () => {
  h = await createHarness();
  app = await h.start();
  // The web app's Redis connection fails fast (no offline queue): start once it is up.
  await waitFor(() => app.deps.redis.status === 'ready', { description: "the web app's Redis connection" });
});
afterAll(async () => {
  await h?.close();
});

function local(url: string): string {
  expect(url.startsWith(PUBLIC_URL)).toBe(true);
  return `${app.url}${url.slice(PUBLIC_URL.length)}`;
}

let seq = 0;
function discordId(): string {
  return String(300000000000000000n + BigInt(Date.now() % 1_000_000) * 1000n + BigInt(seq++));
}

/** Opens a link URL and Kick's (auto-approving) consent as `kickUserId`; returns the response of the callback. */
async function signIn(linkUrl: string, kickUserId: number, expectScope = 'user:read') {
  const start = await rawRequest(local(linkUrl));
  expect(start.status, start.body).toBe(302);
  const authorize = new URL(String(start.headers.location));
  expect(authorize.searchParams.get('scope')).toBe(expectScope);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('state')?.startsWith('lk.')).toBe(true);
  authorize.searchParams.set('sim_user', String(kickUserId));
  const consent = await rawRequest(authorize.toString());
  expect(consent.status, consent.body).toBe(302);
  const callback = new URL(String(consent.headers.location));
  return rawRequest(`${app.url}${callback.pathname}${callback.search}`);
}

describe('Link with Kick (viewer OAuth)', () => {
  it('links the Discord user of the signed URL to the Kick account that signed in, and the URL works once', async () => {
    const viewer = h.sim.createUser({ username: 'oauth_viewer' });
    const discordUserId = discordId();
    const { url } = issueAccountLinkUrl(cipher, { discordUserId, publicUrl: PUBLIC_URL });
    const done = await signIn(url, viewer.userId);
    expect(done.status, done.body).toBe(200);
    expect(done.body).toContain('Linked to the Kick account oauth_viewer');
    expect(await findLinkByDiscord(h.db.prisma, discordUserId)).toMatchObject({ kickUserId: viewer.userId, kickUsername: 'oauth_viewer', method: 'oauth' });

    const again = await rawRequest(local(url));
    expect(again.status).toBe(410);
    expect(again.body).toContain('already used');
    // Nothing secret reaches the logs: not the link token, the state, the code or the verifier.
    const token = new URL(url).searchParams.get('t') ?? '';
    expect(app.logs.text()).not.toContain(token.split('.')[1]);
    expect(app.logs.text()).toContain('account linked with Kick sign-in');
  });

  it('asks before replacing a link, changes nothing until confirmed, and the confirmation works once', async () => {
    const owned = h.sim.createUser({ username: 'oauth_taken' });
    const holder = discordId();
    await linkAccounts(h.db.prisma, { discordUserId: holder, kickUserId: owned.userId, kickUsername: owned.username, method: 'code' });
    const asker = discordId();
    const page = await signIn(issueAccountLinkUrl(cipher, { discordUserId: asker, publicUrl: PUBLIC_URL }).url, owned.userId);
    expect(page.status).toBe(409);
    expect(page.body).toContain('is linked to another Discord account now');
    expect(String(page.headers['content-security-policy'])).toContain("form-action 'self'");
    expect(await findLinkByKick(h.db.prisma, owned.userId)).toMatchObject({ discordUserId: holder });

    const pending = /name="pending" value="([^"]+)"/.exec(page.body)?.[1];
    expect(pending).toBeDefined();
    const body = `pending=${encodeURIComponent(pending ?? '')}`;
    const post = () => rawRequest(`${app.url}/link/kick/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const confirmed = await post();
    expect(confirmed.status, confirmed.body).toBe(200);
    expect(confirmed.body).toContain('previous link was replaced');
    expect(await findLinkByKick(h.db.prisma, owned.userId)).toMatchObject({ discordUserId: asker, method: 'oauth' });
    expect(await findLinkByDiscord(h.db.prisma, holder)).toBeNull();
    expect((await post()).status).toBe(410);
  });

  it('refuses tampered, expired and unknown links and states without linking anything', async () => {
    const discordUserId = discordId();
    const { url } = issueAccountLinkUrl(cipher, { discordUserId, publicUrl: PUBLIC_URL });
    const tampered = url.replace(/t=([A-Za-z0-9_-]+)\./, (_m, p: string) => `t=${p.slice(0, -2)}AA.`);
    expect((await rawRequest(local(tampered))).status).toBe(400);
    const expired = issueAccountLinkUrl(cipher, { discordUserId, publicUrl: PUBLIC_URL, now: new Date(Date.now() - 11 * 60_000) });
    expect((await rawRequest(local(expired.url))).status).toBe(410);
    const forged = issueAccountLinkUrl(new TokenCipher(Buffer.alloc(32, 7)), { discordUserId, publicUrl: PUBLIC_URL });
    expect((await rawRequest(local(forged.url))).status).toBe(400);
    const unknownState = await rawRequest(`${app.url}/oauth/kick/callback?state=lk.nope&code=x`);
    expect(unknownState.status).toBe(400);
    expect(await findLinkByDiscord(h.db.prisma, discordUserId)).toBeNull();
  });

  it('a viewer who declines on Kick gets a clear page and no link', async () => {
    const discordUserId = discordId();
    const start = await rawRequest(local(issueAccountLinkUrl(cipher, { discordUserId, publicUrl: PUBLIC_URL }).url));
    const state = new URL(String(start.headers.location)).searchParams.get('state') ?? '';
    const declined = await rawRequest(`${app.url}/oauth/kick/callback?state=${encodeURIComponent(state)}&error=access_denied`);
    expect(declined.status).toBe(403);
    expect(declined.body).toContain('Linking cancelled');
    expect(await findLinkByDiscord(h.db.prisma, discordUserId)).toBeNull();
  });
});
