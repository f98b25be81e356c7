import { issueConnectLink, KickConnectionStore } from '@kickcord/connections';
import { TokenCipher } from '@kickcord/db';
import { KICK_EVENT_TYPES, KickApiClient, KickOAuth } from '@kickcord/kick';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@kickcord/queue';
import { redactUrl } from '../src/index.ts';
import { CLIENT_ID, CLIENT_SECRET, createHarness, ENCRYPTION_KEY, PUBLIC_URL, rawRequest, uniqueGuildId, type Harness, type WebUnderTest } from './harness.ts';

let h: Harness;
let app: WebUnderTest;
const cipher = new TokenCipher(ENCRYPTION_KEY);

beforeAll(async () => {
  h = await createHarness();
  app = await h.start();
});

afterAll(async () => {
  await h?.close();
});

/** Turns a URL the browser would open on PUBLIC_URL into the same path on the server under test. */
function local(url: string): string {
  expect(url.startsWith(PUBLIC_URL)).toBe(true);
  return `${app.url}${url.slice(PUBLIC_URL.length)}`;
}

async function newGuild(name = 'Test Server'): Promise<string> {
  const id = uniqueGuildId();
  await h.db.prisma.guild.create({ data: { id, name } });
  return id;
}

async function linkFor(guildId: string, ttlMs?: number): Promise<string> {
  const { url } = await issueConnectLink(h.db.prisma, cipher, { guildId, discordUserId: '200000000000000001', publicUrl: PUBLIC_URL, ...(ttlMs === undefined ? {} : { ttlMs }) });
  return url;
}

/** Opens the connect link and Kick's authorize page (autoApprove) as `kickUserId`; returns the callback URL Kick redirects to. */
async function authorize(connectUrl: string, kickUserId: number): Promise<{ callback: URL; authorizeUrl: URL }> {
  const start = await rawRequest(local(connectUrl));
  expect(start.status, start.body).toBe(302);
  const authorizeUrl = new URL(String(start.headers.location));
  expect(authorizeUrl.origin).toBe(new URL(h.sim.authUrl).origin);
  authorizeUrl.searchParams.set('sim_user', String(kickUserId));
  const consent = await rawRequest(authorizeUrl.toString());
  expect(consent.status, consent.body).toBe(302);
  return { callback: new URL(String(consent.headers.location)), authorizeUrl };
}

async function snapshot(guildId: string) {
  const p = h.db.prisma;
  return {
    connection: await p.kickConnection.findUnique({ where: { guildId } }),
    links: await p.guildChannelLink.findMany({ where: { guildId } }),
    usedLinks: await p.connectLink.count({ where: { guildId, usedAt: { not: null } } }),
  };
}

describe('OAuth connect round trip', () => {
  let guildId: string;
  let streamer: { userId: number; username: string };
  let callback: URL;

  it('connect link → Kick authorize (PKCE) → callback saves an encrypted connection, owner link and subscriptions', async () => {
    guildId = await newGuild('Cozy Corner');
    streamer = h.sim.createUser({ username: 'streamer_one' });
    const { callback: cb, authorizeUrl } = await authorize(await linkFor(guildId), streamer.userId);
    callback = cb;
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/oauth/kick/callback`);
    expect(authorizeUrl.searchParams.get('scope')?.split(' ')).toContain('events:subscribe');
    const state = await h.db.prisma.oAuthState.findUnique({ where: { state: authorizeUrl.searchParams.get('state')! } });
    expect(state?.codeVerifierEnc.startsWith('v1.')).toBe(true);

    const done = await rawRequest(local(callback.toString()));
    expect(done.status, done.body).toBe(200);
    expect(done.headers['content-type']).toMatch(/html/);
    expect(done.body).toContain('Connected streamer_one to Cozy Corner');

    const p = h.db.prisma;
    const conn = await p.kickConnection.findUniqueOrThrow({ where: { guildId } });
    expect(conn.broadcasterUserId).toBe(streamer.userId);
    expect(conn.status).toBe('active');
    expect(conn.connectedByDiscordId).toBe('200000000000000001');
    const store = new KickConnectionStore({ prisma: p, cipher, oauth: new KickOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authUrl: h.sim.authUrl }) });
    const tokens = (await store.load(guildId))!;
    expect(conn.accessTokenEnc).not.toContain(tokens.accessToken);
    expect(conn.refreshTokenEnc).not.toContain(tokens.refreshToken);
    // The stored token is the streamer's real token.
    const [me] = await new KickApiClient({ apiUrl: h.sim.apiUrl, token: tokens.accessToken }).getUsers();
    expect(me?.userId).toBe(streamer.userId);

    expect(await p.kickChannel.findUnique({ where: { broadcasterUserId: streamer.userId } })).toMatchObject({ slug: 'streamer_one' });
    expect(await p.guildChannelLink.findMany({ where: { guildId } })).toMatchObject([{ broadcasterUserId: streamer.userId, kind: 'owner' }]);
    expect(await p.connectLink.count({ where: { guildId, usedAt: null } })).toBe(0);
    expect(await p.oAuthState.count({ where: { connectLink: { guildId }, usedAt: null } })).toBe(0);

    const atKick = h.sim.subscriptions({ broadcasterUserId: streamer.userId });
    expect(atKick.map((s) => s.event).sort()).toEqual([...KICK_EVENT_TYPES].sort());
    expect(await p.kickSubscription.count({ where: { broadcasterUserId: streamer.userId, status: 'active' } })).toBe(10);
    expect(await p.subscriptionAudit.count({ where: { broadcasterUserId: streamer.userId, action: 'created' } })).toBe(10);
    expect(app.logs.text()).not.toContain(tokens.accessToken);
    expect(app.logs.text()).not.toContain(tokens.refreshToken);
    expect(app.logs.text()).not.toContain(callback.searchParams.get('code')!);
  });

  it('refuses a reused state (the same callback again) without writing anything', async () => {
    const before = await snapshot(guildId);
    const again = await rawRequest(local(callback.toString()));
    expect(again.status).toBe(410);
    expect(again.body).toContain('already completed');
    expect(await snapshot(guildId)).toEqual(before);
  });

  it('refuses a used connect link', async () => {
    const url = await linkFor(guildId);
    await rawRequest(local((await authorize(url, streamer.userId)).callback.toString()));
    const res = await rawRequest(local(url));
    expect(res.status).toBe(410);
    expect(res.body).toContain('already used');
  });

  it('refuses when ANOTHER guild already owns the channel, and writes nothing for this guild', async () => {
    const other = await newGuild('Other Place');
    const url = await linkFor(other);
    const { callback: cb } = await authorize(url, streamer.userId);
    const res = await rawRequest(local(cb.toString()));
    expect(res.status).toBe(409);
    expect(res.body).toContain('connected to another Discord server');
    expect(res.body).toContain('streamer_one');
    expect(await snapshot(other)).toEqual({ connection: null, links: [], usedLinks: 0 });
    // The owner is untouched.
    expect((await h.db.prisma.kickConnection.findUniqueOrThrow({ where: { broadcasterUserId: streamer.userId } })).guildId).toBe(guildId);
  });
});

describe('request logs of the connect flow', () => {
  it('carry neither the OAuth state, the PKCE challenge, the code nor the connect token; the logged redirect has them redacted', async () => {
    const guildId = await newGuild('Quiet Logs');
    const user = h.sim.createUser({ username: 'quiet_streamer' });
    const connectUrl = await linkFor(guildId);
    const token = new URL(connectUrl).searchParams.get('t')!;
    const from = app.logs.lines.length;
    const { callback, authorizeUrl } = await authorize(connectUrl, user.userId);
    const done = await rawRequest(local(callback.toString()));
    expect(done.status, done.body).toBe(200);
    const secrets = {
      state: authorizeUrl.searchParams.get('state')!,
      code_challenge: authorizeUrl.searchParams.get('code_challenge')!,
      code: callback.searchParams.get('code')!,
      t: token,
    };
    for (const [name, value] of Object.entries(secrets)) expect(value, name).toMatch(/.{16,}/);
    const logged = () => app.logs.lines.slice(from).map((l) => JSON.parse(l) as { level: number; res?: { statusCode: number; headers?: Record<string, string> } });
    await waitFor(() => logged().some((l) => l.res?.statusCode === 302) && logged().some((l) => l.res?.statusCode === 200), { description: 'both requests logged' });
    const text = app.logs.lines.slice(from).join('\n');
    for (const [name, value] of Object.entries(secrets)) expect(text, `${name} in the logs`).not.toContain(value);
    // The redirect to Kick is still logged at info level, its other parameters intact.
    const redirect = logged().find((l) => l.res?.statusCode === 302)!;
    expect(redirect.level).toBe(30);
    const location = new URL(redirect.res!.headers!.location!);
    expect(location.searchParams.get('state')).toBe('[redacted]');
    expect(location.searchParams.get('code_challenge')).toBe('[redacted]');
    expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('redactUrl replaces the values of secret query parameters only', () => {
    expect(redactUrl('https://id.kick.com/oauth/authorize?client_id=c&state=s3cr3t&code_challenge=abc&scope=a+b')).toBe(
      'https://id.kick.com/oauth/authorize?client_id=c&state=[redacted]&code_challenge=[redacted]&scope=a+b',
    );
    expect(redactUrl('/oauth/kick/callback?code=xyz&STATE=q#frag')).toBe('/oauth/kick/callback?code=[redacted]&STATE=[redacted]#frag');
    expect(redactUrl('/connect/kick?t=tok&x=1&code%5Fverifier=v')).toBe('/connect/kick?t=[redacted]&x=1&code%5Fverifier=[redacted]');
    expect(redactUrl('/leaderboard/1')).toBe('/leaderboard/1');
  });
});

describe('connect failure pages (nothing half-written)', () => {
  it('denied on Kick → denied page; the link stays usable', async () => {
    const guildId = await newGuild();
    const user = h.sim.createUser({ username: 'shy_streamer' });
    const url = await linkFor(guildId);
    const { authorizeUrl } = await authorize(url, user.userId);
    const state = authorizeUrl.searchParams.get('state')!;
    const res = await rawRequest(`${app.url}/oauth/kick/callback?error=access_denied&error_description=The+user+denied&state=${state}`);
    expect(res.status).toBe(403);
    expect(res.body).toContain('Connection cancelled');
    expect(await snapshot(guildId)).toEqual({ connection: null, links: [], usedLinks: 0 });
    expect(await h.db.prisma.kickChannel.findUnique({ where: { broadcasterUserId: user.userId } })).toBeNull();
    // The state is spent, the link is not: opening it again starts a new attempt.
    expect((await rawRequest(`${app.url}/oauth/kick/callback?error=access_denied&state=${state}`)).status).toBe(410);
    expect((await rawRequest(local(url))).status).toBe(302);
  });

  it('expired link → expired page, no OAuth state created', async () => {
    const guildId = await newGuild();
    const url = await linkFor(guildId, -1_000);
    const res = await rawRequest(local(url));
    expect(res.status).toBe(410);
    expect(res.body).toContain('expired');
    expect(await h.db.prisma.oAuthState.count({ where: { connectLink: { guildId } } })).toBe(0);
  });

  it('tampered token → invalid link page (payload or signature changed, or garbage)', async () => {
    const guildId = await newGuild();
    const url = new URL(await linkFor(guildId));
    const token = url.searchParams.get('t')!;
    const [payload, mac] = token.split('.') as [string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    forged.g = uniqueGuildId();
    const variants = [
      `${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`,
      `${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
      'garbage',
      '',
    ];
    for (const t of variants) {
      const res = await rawRequest(`${app.url}/connect/kick?t=${encodeURIComponent(t)}`);
      expect(res.status, t).toBe(400);
      expect(res.body).toContain('not valid');
    }
    expect(await h.db.prisma.oAuthState.count({ where: { connectLink: { guildId } } })).toBe(0);
  });

  it('unknown or expired state → error page', async () => {
    expect((await rawRequest(`${app.url}/oauth/kick/callback?code=x&state=nope`)).status).toBe(400);
    const guildId = await newGuild();
    const user = h.sim.createUser({ username: 'slow_streamer' });
    const { callback } = await authorize(await linkFor(guildId), user.userId);
    await h.db.prisma.oAuthState.updateMany({ where: { connectLink: { guildId } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await rawRequest(local(callback.toString()));
    expect(res.status).toBe(410);
    expect(res.body).toContain('took too long');
    expect(await snapshot(guildId)).toEqual({ connection: null, links: [], usedLinks: 0 });
  });

  it('token exchange failure → error page, nothing saved', async () => {
    const guildId = await newGuild();
    const user = h.sim.createUser({ username: 'unlucky_streamer' });
    const { callback } = await authorize(await linkFor(guildId), user.userId);
    callback.searchParams.set('code', 'not-a-code-kick-issued');
    const res = await rawRequest(local(callback.toString()));
    expect(res.status).toBe(502);
    expect(res.body).toContain('Kick did not complete the sign-in');
    expect(await snapshot(guildId)).toEqual({ connection: null, links: [], usedLinks: 0 });
    expect(await h.db.prisma.kickChannel.findUnique({ where: { broadcasterUserId: user.userId } })).toBeNull();
  });

  it('escapes everything it echoes (channel names in pages)', async () => {
    const guildId = await newGuild('<img src=x onerror=alert(1)>');
    const user = h.sim.createUser({ username: 'escape_me' });
    const res = await rawRequest(local((await authorize(await linkFor(guildId), user.userId)).callback.toString()));
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('<img src=x');
    expect(res.body).toContain('&#60;img src&#61;x onerror&#61;alert(1)&#62;');
  });
  it('subscription failure after a successful connect → connection saved, page says it will be retried', async () => {
    const guildId = await newGuild('Retry Land');
    const user = h.sim.createUser({ username: 'busy_streamer' });
    const { callback } = await authorize(await linkFor(guildId), user.userId);
    // Last test of the file: the leftover injected failures hit nobody.
    h.sim.failNextRequests({ status: 503, count: 50, path: '/public/v1/events/subscriptions' });
    const res = await rawRequest(local(callback.toString()));
    expect(res.status).toBe(200);
    expect(res.body).toContain('Connected busy_streamer to Retry Land');
    expect(res.body).toContain('retried automatically');
    expect((await snapshot(guildId)).connection?.status).toBe('active');
    expect(h.sim.subscriptions({ broadcasterUserId: user.userId })).toHaveLength(0);
  });

});
