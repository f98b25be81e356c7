/**
 * The web dashboard's foundation against discord-sim's OAuth2 and REST, real PostgreSQL and Redis: login with Discord
 * (one-time state bound to the session, a new session id at login), cookies, CSRF on every POST, who may manage a
 * guild (Manage Server, or a manager role re-checked with the bot's view of the member), tenancy (another guild's ids
 * answer 404/403 on GET and POST), the overview, manager roles and the audit log.
 */
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { recordAudit } from '@kickcord/db';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardSessionPrefix } from '../src/dashboard/session.ts';
import { createHarness, PUBLIC_URL, rawRequest, type Harness, type RawResponse, type WebUnderTest } from './harness.ts';

const SECRET = 'dashboard-session-secret-for-tests-0123456789';
const OWNER = '890000000000000001';
const ADMIN = '890000000000000002';
const MEMBER = '890000000000000003';
const HELPER = '890000000000000004';
const OTHER_ADMIN = '890000000000000005';
const GUILD_A = '890000000000000100';
const GUILD_B = '890000000000000200';
const GUILD_NO_BOT = '890000000000000300';
const ADMIN_ROLE = '890000000000000110';
const HELPER_ROLE = '890000000000000111';
const B_ROLE = '890000000000000210';
const MANAGE_GUILD = String(1n << 5n);

let h: Harness;
let sim: DiscordSim;
let app: WebUnderTest;

beforeAll(async () => {
  h = await createHarness();
  sim = await startDiscordSim({ oauth2: { redirectUris: [`${PUBLIC_URL}/dashboard/callback`] } });
  sim.addGuild({
    id: GUILD_A,
    name: 'Alpha Fans',
    ownerId: OWNER,
    roles: [{ id: ADMIN_ROLE, name: 'Admins', permissions: MANAGE_GUILD }, { id: HELPER_ROLE, name: 'Helpers' }],
    members: [
      { id: OWNER, username: 'owner' },
      { id: ADMIN, username: 'admin', roles: [ADMIN_ROLE] },
      { id: MEMBER, username: 'member' },
      { id: HELPER, username: 'helper', roles: [HELPER_ROLE] },
    ],
  });
  sim.addGuild({ id: GUILD_B, name: 'Beta Fans', ownerId: OTHER_ADMIN, roles: [{ id: B_ROLE, name: 'B helpers' }], members: [{ id: OTHER_ADMIN, username: 'otheradmin' }, { id: MEMBER, username: 'member' }] });
  sim.addGuild({ id: GUILD_NO_BOT, name: 'No Bot Here', ownerId: ADMIN, members: [{ id: ADMIN, username: 'admin' }] });
  app = await h.start({ DISCORD_CLIENT_ID: sim.applicationId, DISCORD_CLIENT_SECRET: sim.oauthClientSecret, DISCORD_API_URL: sim.apiUrl, DISCORD_TOKEN: sim.token, DASHBOARD_SESSION_SECRET: SECRET });
  await waitFor(() => app.deps.redis.status === 'ready', { description: "the web app's Redis connection" });
  await h.db.prisma.guild.createMany({ data: [{ id: GUILD_A, name: 'Alpha Fans' }, { id: GUILD_B, name: 'Beta Fans' }] });
  await h.db.prisma.kickChannel.create({ data: { broadcasterUserId: 4242, slug: 'alpha_streams', displayName: 'Alpha' } });
  await h.db.prisma.kickConnection.create({
    data: { guildId: GUILD_A, broadcasterUserId: 4242, kickUsername: 'alpha_streams', accessTokenEnc: 'x', refreshTokenEnc: 'y', scopes: ['user:read', 'channel:read', 'events:subscribe'], expiresAt: new Date(Date.now() + 3_600_000), connectedByDiscordId: ADMIN },
  });
  await h.db.prisma.guildChannelLink.create({ data: { guildId: GUILD_A, broadcasterUserId: 4242, kind: 'owner', createdByDiscordId: ADMIN } });
  await h.db.prisma.kickSubscription.create({ data: { id: '01JDASHSUB0000000000000001', broadcasterUserId: 4242, event: 'channel.followed', version: 1, lastDeliveryAt: new Date('2026-12-01T10:00:00Z') } });
  await recordAudit(h.db.prisma, { guildId: GUILD_B, actorId: OTHER_ADMIN, actorName: 'otheradmin', source: 'discord', action: 'loyalty.settings', detail: { secretB: { from: 1, to: 2 } } });
});
afterAll(async () => {
  await sim?.close();
  await h?.close();
});

function setCookies(res: RawResponse): string[] {
  const v = res.headers['set-cookie'];
  return Array.isArray(v) ? v : v ? [v] : [];
}
function sessionCookie(res: RawResponse): string | undefined {
  return setCookies(res).find((c) => c.startsWith('kc_dashboard='))?.split(';')[0];
}
function decode(s: string): string {
  return s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
}
function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m?.[1]) throw new Error(`no CSRF token on the page: ${body.slice(0, 300)}`);
  return decode(m[1]);
}
const get = (path: string, cookie?: string) => rawRequest(`${app.url}${path}`, { headers: cookie ? { cookie } : {} });
const post = (path: string, cookie: string | undefined, form: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return rawRequest(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) }, body: body.toString() });
};

/** Logs in through discord-sim's consent as `userId`; returns the session cookie and the one before login. */
async function login(userId: string): Promise<{ cookie: string; before: string; callbackPath: string }> {
  const start = await get('/dashboard/login');
  expect(start.status, start.body).toBe(302);
  const before = sessionCookie(start) as string;
  expect(before).toBeDefined();
  const authorize = new URL(String(start.headers.location));
  authorize.searchParams.set('sim_user_id', userId);
  const consent = await rawRequest(authorize.toString());
  expect(consent.status, consent.body).toBe(302);
  const back = new URL(String(consent.headers.location));
  const callbackPath = `${back.pathname}${back.search}`;
  const done = await get(callbackPath, before);
  expect(done.status, done.body).toBe(303);
  expect(done.headers.location).toBe('/dashboard');
  const cookie = sessionCookie(done) as string;
  expect(cookie).toBeDefined();
  return { cookie, before, callbackPath };
}

describe('login with Discord', () => {
  it('asks Discord for identify and guilds with a one-time state, and sets an HttpOnly, SameSite=Lax session cookie scoped to /dashboard', async () => {
    const start = await get('/dashboard/login');
    const authorize = new URL(String(start.headers.location));
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${sim.baseUrl}/oauth2/authorize`);
    expect(authorize.searchParams.get('scope')).toBe('identify guilds');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/dashboard/callback`);
    expect((authorize.searchParams.get('state') ?? '').length).toBeGreaterThanOrEqual(32);
    const cookie = setCookies(start).find((c) => c.startsWith('kc_dashboard=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/dashboard/);
    expect(cookie).not.toMatch(/Secure/i); // PUBLIC_URL is http here
  });

  it('logs in, gives a new session id, keeps the session in Redis under the install prefix, and lists only the servers the user manages where kickcord is', async () => {
    const { cookie, before } = await login(ADMIN);
    expect(cookie).not.toBe(before);
    const sid = decodeURIComponent(cookie.split('=')[1] ?? '').replace(/^s:/, '').split('.')[0] ?? '';
    expect(await app.deps.redis.exists(`${dashboardSessionPrefix(h.prefix)}${sid}`)).toBe(1);
    const page = await get('/dashboard', cookie);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Logged in as <strong>admin</strong>');
    expect(page.body).toContain(`href="/dashboard/${GUILD_A}"`);
    expect(page.body).not.toContain('No Bot Here');
    expect(page.body).not.toContain('Beta Fans');
    // The session cookie from before login is worth nothing now.
    expect((await get('/dashboard', before)).body).toContain('Log in with Discord');
  });

  it('refuses a replayed callback, and a callback from another browser (state not bound to its session)', async () => {
    const { callbackPath, before } = await login(ADMIN);
    const replay = await get(callbackPath, before);
    expect(replay.status).toBe(400);
    expect(replay.body).not.toContain('Logged in as');
    const start = await get('/dashboard/login');
    const authorize = new URL(String(start.headers.location));
    authorize.searchParams.set('sim_user_id', ADMIN);
    const back = new URL(String((await rawRequest(authorize.toString())).headers.location));
    const stranger = await get(`${back.pathname}${back.search}`); // no session cookie
    expect(stranger.status).toBe(400);
    expect(sessionCookie(stranger)).toBeUndefined();
  });

  it('never logs the code, the state or the access token', async () => {
    const { callbackPath } = await login(ADMIN);
    const q = new URL(callbackPath, PUBLIC_URL).searchParams;
    const logs = app.logs.text();
    expect(logs).toContain('dashboard login');
    expect(logs).not.toContain(q.get('code') as string);
    expect(logs).not.toContain(q.get('state') as string);
  });

  it('pages opened at once right after login carry one CSRF token, so every one of their forms works', async () => {
    const { cookie } = await login(ADMIN);
    const pages = await Promise.all([get('/dashboard', cookie), get(`/dashboard/${GUILD_A}`, cookie), get(`/dashboard/${GUILD_A}/audit`, cookie)]);
    const tokens = new Set(pages.map((p) => csrfOf(p.body)));
    expect(tokens.size).toBe(1);
    const out = await post('/dashboard/logout', cookie, { _csrf: csrfOf(pages[2]?.body ?? '') });
    expect(out.status).toBe(303);
  });

  it('logs out with a POST (CSRF-checked): the session is gone from Redis', async () => {
    const { cookie } = await login(ADMIN);
    const page = await get('/dashboard', cookie);
    expect((await post('/dashboard/logout', cookie, {})).status).toBe(403);
    const sid = decodeURIComponent(cookie.split('=')[1] ?? '').replace(/^s:/, '').split('.')[0] ?? '';
    expect(await app.deps.redis.exists(`${dashboardSessionPrefix(h.prefix)}${sid}`)).toBe(1);
    const out = await post('/dashboard/logout', cookie, { _csrf: csrfOf(page.body) });
    expect(out.status).toBe(303);
    expect(await app.deps.redis.exists(`${dashboardSessionPrefix(h.prefix)}${sid}`)).toBe(0);
    expect((await get('/dashboard', cookie)).body).toContain('Log in with Discord');
    expect((await get(`/dashboard/${GUILD_A}`, cookie)).status).toBe(401);
  });
});

describe('who may manage a guild', () => {
  it('a Manage Server member sees the overview: connection, scopes missing, subscriptions with the last delivery, replies', async () => {
    const { cookie } = await login(ADMIN);
    const page = await get(`/dashboard/${GUILD_A}`, cookie);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<strong>alpha_streams</strong> connected');
    expect(page.body).toContain('Missing Kick permissions');
    expect(page.body).toContain('channel.followed');
    expect(page.body).toContain('2026-12-01 10:00 UTC');
    expect(page.body).toContain('Create a reconnect link');
    // The reconnect link is made on request (POST, CSRF-checked) and recorded.
    const link = await post(`/dashboard/${GUILD_A}/reconnect`, cookie, { _csrf: csrfOf(page.body) });
    expect(link.status).toBe(200);
    expect(decode(link.body)).toMatch(/http:\/\/kickcord\.test\/connect\/[A-Za-z0-9._~-]+/);
    expect(await h.db.prisma.auditLogEntry.count({ where: { guildId: GUILD_A, action: 'kick.connect_link', actorId: ADMIN } })).toBe(1);
  });

  it('a member without Manage Server or a manager role is refused (403) on GET and POST, and sees the server listed as not theirs to manage', async () => {
    const { cookie } = await login(MEMBER);
    const picker = await get('/dashboard', cookie);
    expect(picker.body).toContain('Other servers with kickcord');
    expect(picker.body).not.toContain(`href="/dashboard/${GUILD_A}"`);
    for (const path of ['', '/roles', '/audit']) expect((await get(`/dashboard/${GUILD_A}${path}`, cookie)).status, path).toBe(403);
    const token = csrfOf(picker.body);
    expect((await post(`/dashboard/${GUILD_A}/roles`, cookie, { _csrf: token, roles: HELPER_ROLE })).status).toBe(403);
    expect((await post(`/dashboard/${GUILD_A}/reconnect`, cookie, { _csrf: token })).status).toBe(403);
    expect(await h.db.prisma.dashboardManagerRole.count({ where: { guildId: GUILD_A } })).toBe(0);
  });

  it('a Manage Server member picks a manager role (audited); its members may manage, but not pick roles; removing it refuses them again', async () => {
    const admin = (await login(ADMIN)).cookie;
    const rolesPage = await get(`/dashboard/${GUILD_A}/roles`, admin);
    expect(rolesPage.status).toBe(200);
    expect(rolesPage.body).toContain('Helpers');
    expect(rolesPage.body).not.toContain('@everyone');
    const token = csrfOf(rolesPage.body);
    const saved = await post(`/dashboard/${GUILD_A}/roles`, admin, { _csrf: token, roles: [HELPER_ROLE] });
    expect(saved.status, saved.body).toBe(303);
    expect(await h.db.prisma.dashboardManagerRole.findMany({ where: { guildId: GUILD_A }, select: { roleId: true, addedBy: true } })).toEqual([{ roleId: HELPER_ROLE, addedBy: ADMIN }]);

    const helper = (await login(HELPER)).cookie;
    const overview = await get(`/dashboard/${GUILD_A}`, helper);
    expect(overview.status).toBe(200);
    expect(overview.body).not.toContain('Manager roles');
    expect((await get(`/dashboard/${GUILD_A}/roles`, helper)).status).toBe(403);
    expect((await post(`/dashboard/${GUILD_A}/roles`, helper, { _csrf: csrfOf(overview.body), roles: [HELPER_ROLE, ADMIN_ROLE] })).status).toBe(403);

    expect((await post(`/dashboard/${GUILD_A}/roles`, admin, { _csrf: token })).status).toBe(303);
    expect((await get(`/dashboard/${GUILD_A}`, helper)).status).toBe(403);

    const audit = await get(`/dashboard/${GUILD_A}/audit`, admin);
    expect(audit.status).toBe(200);
    expect(audit.body).toContain('dashboard.manager_roles');
    expect(decode(audit.body)).toContain('added: ["Helpers"]');
    expect(decode(audit.body)).toContain('removed: ["Helpers"]');
    expect(audit.body).not.toContain('secretB');
  });

  it('refuses a role that is not a pickable role of the guild (another guild’s role, @everyone) and changes nothing', async () => {
    const admin = (await login(ADMIN)).cookie;
    const token = csrfOf((await get(`/dashboard/${GUILD_A}/roles`, admin)).body);
    for (const bad of [B_ROLE, GUILD_A, 'abc']) {
      const res = await post(`/dashboard/${GUILD_A}/roles`, admin, { _csrf: token, roles: bad });
      expect(res.status, bad).toBe(400);
      expect(res.body).toContain('Nothing was changed');
    }
    expect(await h.db.prisma.dashboardManagerRole.count({ where: { guildId: GUILD_A } })).toBe(0);
  });

  it('the audit log filters by actor', async () => {
    await recordAudit(h.db.prisma, { guildId: GUILD_A, actorId: OWNER, actorName: 'owner', source: 'discord', action: 'loyalty.settings', detail: { pointsPerMinute: { from: 1, to: 3 } } });
    const admin = (await login(ADMIN)).cookie;
    const all = await get(`/dashboard/${GUILD_A}/audit`, admin);
    expect(all.body).toContain('pointsPerMinute: 1 → 3');
    const byAdmin = await get(`/dashboard/${GUILD_A}/audit?actor=${ADMIN}`, admin);
    expect(byAdmin.body).not.toContain('pointsPerMinute');
    expect(byAdmin.body).toContain('kick.connect_link');
  });
});

describe('tenancy', () => {
  it("another guild's ids answer 404 on every GET and POST, and nothing there changes", async () => {
    const admin = (await login(ADMIN)).cookie;
    const token = csrfOf((await get('/dashboard', admin)).body);
    for (const guild of [GUILD_B, GUILD_NO_BOT, '890000000000009999']) {
      for (const path of ['', '/roles', '/audit', `/audit?actor=${OTHER_ADMIN}`]) expect((await get(`/dashboard/${guild}${path}`, admin)).status, `${guild}${path}`).toBe(404);
      expect((await post(`/dashboard/${guild}/roles`, admin, { _csrf: token, roles: B_ROLE })).status).toBe(404);
      expect((await post(`/dashboard/${guild}/reconnect`, admin, { _csrf: token })).status).toBe(404);
    }
    expect(await h.db.prisma.dashboardManagerRole.count({ where: { guildId: GUILD_B } })).toBe(0);
    expect(await h.db.prisma.connectLink.count({ where: { guildId: GUILD_B } })).toBe(0);
    expect((await get('/dashboard/not-a-guild', admin)).status).toBe(404);
  });

  it('a manager of guild B cannot reach guild A', async () => {
    const other = (await login(OTHER_ADMIN)).cookie;
    expect((await get(`/dashboard/${GUILD_B}`, other)).status).toBe(200);
    expect((await get(`/dashboard/${GUILD_A}`, other)).status).toBe(404);
    expect((await get(`/dashboard/${GUILD_A}/audit`, other)).status).toBe(404);
  });
});

describe('CSRF', () => {
  it('a POST without a token, with a wrong token, or with another session’s token is refused 403 and changes nothing', async () => {
    const admin = (await login(ADMIN)).cookie;
    const other = (await login(OTHER_ADMIN)).cookie;
    const otherToken = csrfOf((await get('/dashboard', other)).body);
    const token = csrfOf((await get(`/dashboard/${GUILD_A}/roles`, admin)).body);
    for (const form of [{ roles: HELPER_ROLE }, { _csrf: 'wrong-token', roles: HELPER_ROLE }, { _csrf: otherToken, roles: HELPER_ROLE }]) {
      const res = await post(`/dashboard/${GUILD_A}/roles`, admin, form);
      expect(res.status).toBe(403);
      expect(res.body).toContain('This form has expired');
    }
    expect(await h.db.prisma.dashboardManagerRole.count({ where: { guildId: GUILD_A } })).toBe(0);
    expect((await post(`/dashboard/${GUILD_A}/roles`, admin, { _csrf: token, roles: HELPER_ROLE })).status).toBe(303);
    await h.db.prisma.dashboardManagerRole.deleteMany({ where: { guildId: GUILD_A } });
  });
});

describe('pages', () => {
  it('have a CSP that allows only this app’s own script, stylesheet, fetches and forms (no inline script), and both assets are served here', async () => {
    const admin = (await login(ADMIN)).cookie;
    const page = await get(`/dashboard/${GUILD_A}`, admin);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'self' 'sha256-[^']+'(;|$)/);
    expect(csp).toContain("form-action 'self'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(page.body).not.toMatch(/<script>/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).not.toMatch(/https?:\/\/(?!kickcord\.test)/);
    const css = await get('/dashboard/assets/dashboard.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    expect(css.body).toContain('@media');
    const js = await get('/dashboard/assets/dashboard.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.body).not.toMatch(/https?:\/\//);
  });

  it('a logged-out visitor gets the login page, and per-guild pages answer 401', async () => {
    expect((await get('/dashboard')).body).toContain('Log in with Discord');
    expect((await get(`/dashboard/${GUILD_A}`)).status).toBe(401);
    expect((await post(`/dashboard/${GUILD_A}/roles`, undefined, { roles: HELPER_ROLE })).status).toBe(403);
  });

  it('without DASHBOARD_SESSION_SECRET the dashboard does not exist (404)', async () => {
    const plain = await h.start({ DISCORD_CLIENT_ID: sim.applicationId, DISCORD_CLIENT_SECRET: sim.oauthClientSecret, DISCORD_API_URL: sim.apiUrl });
    try {
      expect((await rawRequest(`${plain.url}/dashboard`)).status).toBe(404);
      expect((await rawRequest(`${plain.url}/dashboard/login`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('DASHBOARD_SESSION_SECRET without the bot token or the OAuth2 secret is refused at start with what to set', () => {
    expect(() => h.env({ DASHBOARD_SESSION_SECRET: SECRET, DISCORD_CLIENT_ID: sim.applicationId, DISCORD_CLIENT_SECRET: 'x' })).toThrow(/DISCORD_TOKEN/);
    expect(() => h.env({ DASHBOARD_SESSION_SECRET: SECRET, DISCORD_TOKEN: 'x' })).toThrow(/DISCORD_CLIENT_SECRET/);
    expect(() => h.env({ DASHBOARD_SESSION_SECRET: 'short', DISCORD_CLIENT_ID: sim.applicationId, DISCORD_CLIENT_SECRET: 'x', DISCORD_TOKEN: 'x' })).toThrow(/at least 32/);
  });
});
