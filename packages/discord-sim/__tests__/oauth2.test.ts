import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordSim, type DiscordSim } from '../src/index.ts';

const GUILD = '830000000000000001';
const OTHER_GUILD = '830000000000000002';
const ALICE = '830000000000000010';
const BOB = '830000000000000011';
const REDIRECT = 'https://kickcord.example/linked-roles/callback';

describe('user OAuth2: authorize, token, refresh, revoke and bearer-token routes', () => {
  let sim: DiscordSim;
  beforeAll(async () => {
    sim = await startDiscordSim({ oauth2: { redirectUris: [REDIRECT] } });
    sim.addGuild({ id: GUILD, name: 'Kick fans', members: [{ id: ALICE, username: 'alice' }] });
    sim.addGuild({ id: OTHER_GUILD, name: 'Elsewhere', ownerId: BOB, members: [{ id: BOB, username: 'bob' }, { id: ALICE, username: 'alice' }] });
  });
  afterAll(async () => {
    await sim.close();
  });

  const authorizeUrl = (params: Record<string, string>) =>
    `${sim.baseUrl}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: sim.applicationId, redirect_uri: REDIRECT, state: 'st-1', ...params })}`;

  async function authorize(params: Record<string, string>): Promise<URL> {
    const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location') as string);
  }

  async function token(form: Record<string, string>, basic = true): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = new URLSearchParams(form);
    if (basic) headers.authorization = `Basic ${Buffer.from(`${sim.applicationId}:${sim.oauthClientSecret}`).toString('base64')}`;
    else {
      body.set('client_id', sim.applicationId);
      body.set('client_secret', sim.oauthClientSecret);
    }
    const res = await fetch(`${sim.apiUrl}/v10/oauth2/token`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function login(userId: string, scope: string): Promise<Record<string, unknown>> {
    const back = await authorize({ scope, sim_user_id: userId });
    const t = await token({ grant_type: 'authorization_code', code: back.searchParams.get('code') as string, redirect_uri: REDIRECT });
    expect(t.status).toBe(200);
    return t.body;
  }

  const get = (path: string, accessToken: string) => fetch(`${sim.apiUrl}/v10${path}`, { headers: { authorization: `Bearer ${accessToken}` } });

  it('consent redirects back with a code and the state; the code gives a 7-day bearer token with the granted scopes', async () => {
    sim.setOAuthConsent({ userId: ALICE });
    const back = await authorize({ scope: 'identify role_connections.write' });
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') as string;
    expect(code.length).toBeGreaterThan(10);
    const t = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, false);
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: 'Bearer', expires_in: 604800, scope: 'identify role_connections.write' });
    const me = await get('/users/@me', t.body.access_token as string);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: ALICE, username: 'alice', discriminator: '0' });
    // a code works once
    const again = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    expect(again).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid "code" in request.' } });
    sim.setOAuthConsent(null);
  });

  it('Cancel on the consent page redirects with error=access_denied; bad requests are refused like Discord', async () => {
    const denied = await authorize({ scope: 'identify', sim_user_id: ALICE, sim_deny: '1' });
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('st-1');
    expect(denied.searchParams.has('code')).toBe(false);
    const badScope = await authorize({ scope: 'identify admin.everything', sim_user_id: ALICE });
    expect(badScope.searchParams.get('error')).toBe('invalid_scope');
    const badRedirect = await fetch(authorizeUrl({ scope: 'identify', sim_user_id: ALICE, redirect_uri: 'https://evil.example/cb' }), { redirect: 'manual' });
    expect(badRedirect.status).toBe(400);
    expect(await badRedirect.json()).toEqual({ redirect_uri: ['Invalid "redirect_uri" in request.'] });
  });

  it('a browser with nobody chosen gets a consent page: Authorize as each user, or Cancel', async () => {
    const res = await fetch(authorizeUrl({ scope: 'identify' }), { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    expect(page).toContain('Authorize as alice');
    const href = /href="([^"]*sim_user_id=830000000000000010[^"]*)"/.exec(page)?.[1]?.replace(/&#38;/g, '&');
    expect(href).toBeDefined();
    const approved = await fetch(`${sim.baseUrl}${href}`, { redirect: 'manual' });
    expect(approved.status).toBe(302);
    expect(new URL(approved.headers.get('location') as string).searchParams.get('code')).toBeTruthy();
    // Without a browser (no text/html), nobody to approve is an error that says what to do.
    const api = await fetch(authorizeUrl({ scope: 'identify' }), { redirect: 'manual' });
    expect(api.status).toBe(400);
    expect(((await api.json()) as { message: string }).message).toContain('setOAuthConsent');
  });

  it('token endpoint errors: wrong client secret 401 invalid_client, redirect_uri mismatch invalid_grant, unknown grant type', async () => {
    const back = await authorize({ scope: 'identify', sim_user_id: ALICE });
    const code = back.searchParams.get('code') as string;
    const wrongSecret = await fetch(`${sim.apiUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: sim.applicationId, client_secret: 'nope' }),
    });
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toEqual({ error: 'invalid_client' });
    expect(await token({ grant_type: 'authorization_code', code, redirect_uri: `${REDIRECT}/x` })).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Invalid "redirect_uri" in request.' },
    });
    expect(await token({ grant_type: 'password', username: 'a', password: 'b' })).toEqual({ status: 400, body: { error: 'unsupported_grant_type' } });
    // the recorded call never holds the client secret or the code
    const recorded = sim.restCalls.filter((c) => c.path === '/oauth2/token').map((c) => JSON.stringify(c.body));
    expect(recorded.length).toBeGreaterThan(0);
    for (const r of recorded) {
      expect(r).not.toContain(code);
      expect(r).not.toContain(sim.oauthClientSecret);
    }
  });

  it('refresh_token grant rotates the refresh token; an expired access token gets 401 until refreshed', async () => {
    const first = await login(ALICE, 'identify');
    sim.expireUserAccessTokens(ALICE);
    const expired = await get('/users/@me', first.access_token as string);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    expect((await get('/users/@me', refreshed.body.access_token as string)).status).toBe(200);
    // the old refresh token was used up
    expect(await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token as string })).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('scopes are enforced: /users/@me/guilds needs guilds and lists the member guilds with permissions as a string', async () => {
    const identifyOnly = await login(ALICE, 'identify');
    expect((await get('/users/@me/guilds', identifyOnly.access_token as string)).status).toBe(401);
    const withGuilds = await login(BOB, 'identify guilds');
    const res = await get('/users/@me/guilds', withGuilds.access_token as string);
    expect(res.status).toBe(200);
    const guilds = (await res.json()) as { id: string; owner: boolean; permissions: unknown }[];
    expect(guilds.map((g) => g.id)).toEqual([OTHER_GUILD]);
    expect(guilds[0]?.owner).toBe(true);
    expect(typeof guilds[0]?.permissions).toBe('string');
    expect(BigInt(guilds[0]?.permissions as string) > 0n).toBe(true);
  });

  it('a user who removes the app: access and refresh tokens stop working (401, invalid_grant)', async () => {
    const t = await login(ALICE, 'identify');
    expect((await get('/users/@me', t.access_token as string)).status).toBe(200);
    sim.revokeUserAuthorization(ALICE);
    expect((await get('/users/@me', t.access_token as string)).status).toBe(401);
    expect(await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token as string })).toEqual({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('the bot token still reaches the bot user at /users/@me; a bearer token cannot use bot routes', async () => {
    const bot = await fetch(`${sim.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${sim.token}` } });
    expect(await bot.json()).toMatchObject({ id: sim.botUserId, bot: true });
    const t = await login(ALICE, 'identify');
    expect((await get(`/applications/${sim.applicationId}/commands`, t.access_token as string)).status).toBe(401);
  });
});
