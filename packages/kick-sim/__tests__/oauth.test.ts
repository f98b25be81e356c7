import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KickSim, startKickSim } from '@kickcord/kick-sim';

const REDIRECT = 'http://localhost:3000/auth/kick/callback';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(sim: KickSim, params: Record<string, string>): string {
  const url = new URL('/oauth/authorize', sim.authUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

async function tokenRequest(sim: KickSim, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.authUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('OAuth (id.kick.com)', () => {
  let sim: KickSim;
  let auto: KickSim;
  let aliceId: number;

  beforeAll(async () => {
    sim = await startKickSim();
    auto = await startKickSim({ autoApprove: true });
    for (const s of [sim, auto]) s.registerApp({ clientId: 'client-1', clientSecret: 'secret-1', redirectUris: [REDIRECT], name: 'kickcord' });
    aliceId = sim.createUser({ username: 'Alice' }).userId;
    sim.createUser({ username: 'bob' });
    auto.createUser({ username: 'carol' });
  });
  afterAll(async () => {
    await sim.close();
    await auto.close();
  });

  /** Walks the consent page as `simUser` and returns the redirect Location. */
  async function consent(challenge: string, decision: 'approve' | 'deny', simUser = 'alice', scope = 'user:read chat:write'): Promise<URL> {
    const page = await fetch(
      authorizeUrl(sim, { client_id: 'client-1', response_type: 'code', redirect_uri: REDIRECT, state: 'st-1', scope, code_challenge: challenge, code_challenge_method: 'S256', sim_user: simUser }),
      { redirect: 'manual' },
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Approve');
    expect(html).toContain('Deny');
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    expect(requestId).toBeTruthy();
    const answer = await fetch(`${sim.authUrl}/oauth/authorize/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId as string, decision }).toString(),
      redirect: 'manual',
    });
    expect(answer.status).toBe(302);
    return new URL(answer.headers.get('location') as string);
  }

  it('runs the authorization_code + PKCE flow through the consent page', async () => {
    const { verifier, challenge } = pkce();
    const location = await consent(challenge, 'approve');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-1');
    const code = location.searchParams.get('code') as string;
    expect(code).toBeTruthy();

    const { status, body } = await tokenRequest(sim, { grant_type: 'authorization_code', code, client_id: 'client-1', client_secret: 'secret-1', redirect_uri: REDIRECT, code_verifier: verifier });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 7200, scope: 'user:read chat:write' });
    expect(typeof body['access_token']).toBe('string');
    expect(typeof body['refresh_token']).toBe('string');

    const me = await fetch(`${sim.apiUrl}/public/v1/users`, { headers: { authorization: `Bearer ${String(body['access_token'])}` } });
    expect(await me.json()).toEqual({ data: [expect.objectContaining({ user_id: aliceId, name: 'Alice' })], message: 'OK' });

    // The code is single use.
    const reuse = await tokenRequest(sim, { grant_type: 'authorization_code', code, client_id: 'client-1', client_secret: 'secret-1', redirect_uri: REDIRECT, code_verifier: verifier });
    expect(reuse).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
  });

  it('rejects a wrong code_verifier and a mismatched redirect_uri with invalid_grant', async () => {
    const a = pkce();
    const codeA = (await consent(a.challenge, 'approve')).searchParams.get('code') as string;
    const wrong = await tokenRequest(sim, { grant_type: 'authorization_code', code: codeA, client_id: 'client-1', client_secret: 'secret-1', redirect_uri: REDIRECT, code_verifier: pkce().verifier });
    expect(wrong).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant', error_description: expect.stringContaining('code_verifier') }) });

    const b = pkce();
    const codeB = (await consent(b.challenge, 'approve')).searchParams.get('code') as string;
    const mismatch = await tokenRequest(sim, { grant_type: 'authorization_code', code: codeB, client_id: 'client-1', client_secret: 'secret-1', redirect_uri: 'http://localhost:3000/other', code_verifier: b.verifier });
    expect(mismatch).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant', error_description: expect.stringContaining('redirect_uri') }) });
  });

  it('redirects with error=access_denied and the state when the user denies', async () => {
    const location = await consent(pkce().challenge, 'deny', 'bob');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-1');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('validates /oauth/authorize parameters', async () => {
    const { challenge } = pkce();
    const base = { client_id: 'client-1', response_type: 'code', redirect_uri: REDIRECT, state: 's', scope: 'user:read', code_challenge: challenge, code_challenge_method: 'S256', sim_user: 'alice' };
    const cases: [Record<string, string>, string][] = [
      [{ ...base, client_id: 'nope' }, 'invalid_client'],
      [{ ...base, redirect_uri: 'http://evil.example/cb' }, 'invalid_request'],
      [{ ...base, response_type: 'token' }, 'unsupported_response_type'],
      [{ ...base, state: '' }, 'invalid_request'],
      [{ ...base, code_challenge: '' }, 'invalid_request'],
      [{ ...base, code_challenge_method: 'plain' }, 'invalid_request'],
      [{ ...base, scope: 'user:read admin:all' }, 'invalid_scope'],
      [{ ...base, sim_user: 'nobody' }, 'invalid_request'],
    ];
    for (const [params, error] of cases) {
      const res = await fetch(authorizeUrl(sim, params), { redirect: 'manual' });
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(((await res.json()) as { error: string }).error, JSON.stringify(params)).toBe(error);
    }
  });

  it('autoApprove redirects at once; the default authorizing user is used', async () => {
    const { verifier, challenge } = pkce();
    const res = await fetch(
      authorizeUrl(auto, { client_id: 'client-1', response_type: 'code', redirect_uri: REDIRECT, state: 'xyz', scope: 'events:subscribe', code_challenge: challenge, code_challenge_method: 'S256' }),
      { redirect: 'manual' },
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') as string);
    expect(location.searchParams.get('state')).toBe('xyz');
    const { body } = await tokenRequest(auto, { grant_type: 'authorization_code', code: location.searchParams.get('code') as string, client_id: 'client-1', client_secret: 'secret-1', redirect_uri: REDIRECT, code_verifier: verifier });
    const introspect = await fetch(`${auto.authUrl}/oauth/token/introspect`, { method: 'POST', headers: { authorization: `Bearer ${String(body['access_token'])}` } });
    expect(await introspect.json()).toMatchObject({ data: { active: true, client_id: 'client-1', token_type: 'user', scope: 'events:subscribe' }, message: 'OK' });
  });

  it('rotates refresh tokens: the old one dies, the new one works', async () => {
    const issued = sim.issueUserToken({ clientId: 'client-1', userId: aliceId, scopes: ['user:read'] });
    const first = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: issued.refreshToken, client_id: 'client-1', client_secret: 'secret-1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: 'Bearer', expires_in: 7200, scope: 'user:read' });
    expect(first.body['refresh_token']).not.toBe(issued.refreshToken);

    const again = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: issued.refreshToken, client_id: 'client-1', client_secret: 'secret-1' });
    expect(again).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });

    const second = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: String(first.body['refresh_token']), client_id: 'client-1', client_secret: 'secret-1' });
    expect(second.status).toBe(200);

    sim.expireRefreshToken(String(second.body['refresh_token']));
    const expired = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: String(second.body['refresh_token']), client_id: 'client-1', client_secret: 'secret-1' });
    expect(expired).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
  });

  it('a rotated refresh token keeps the grant\'s expiry: 30 days after consent, however often it is used', async () => {
    let t = Date.parse('2030-01-01T00:00:00Z');
    const timed = await startKickSim({ clock: { now: () => new Date(t) }, refreshTokenTtlSec: 30 * 86_400 });
    try {
      timed.registerApp({ clientId: 'grant-app', clientSecret: 'grant-secret', redirectUris: [REDIRECT] });
      const user = timed.createUser({ username: 'grantuser' });
      let refreshToken = timed.issueUserToken({ clientId: 'grant-app', userId: user.userId, scopes: ['user:read'] }).refreshToken;
      const refresh = () => tokenRequest(timed, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'grant-app', client_secret: 'grant-secret' });
      for (let day = 1; day <= 29; day += 7) {
        t = Date.parse('2030-01-01T00:00:00Z') + day * 86_400_000;
        const ok = await refresh();
        expect(ok.status).toBe(200);
        refreshToken = String(ok.body['refresh_token']);
      }
      t = Date.parse('2030-01-31T00:00:01Z');
      const dead = await refresh();
      expect(dead.status).toBe(400);
      expect(dead.body['error']).toBe('invalid_grant');
    } finally {
      await timed.close();
    }
  });

  it('client_credentials issues an app token without refresh token; bad clients get 401 invalid_client', async () => {
    const ok = await tokenRequest(sim, { grant_type: 'client_credentials', client_id: 'client-1', client_secret: 'secret-1' });
    expect(ok.status).toBe(200);
    expect(ok.body['token_type']).toBe('Bearer');
    expect(ok.body['refresh_token']).toBeUndefined();
    expect(ok.body['expires_in']).toBeGreaterThan(7200);
    const introspect = await fetch(`${sim.authUrl}/oauth/token/introspect`, { method: 'POST', headers: { authorization: `Bearer ${String(ok.body['access_token'])}` } });
    expect(((await introspect.json()) as { data: { token_type: string } }).data.token_type).toBe('app');

    const basic = Buffer.from('client-1:secret-1').toString('base64');
    expect((await tokenRequest(sim, { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` })).status).toBe(200);

    const bad = await tokenRequest(sim, { grant_type: 'client_credentials', client_id: 'client-1', client_secret: 'wrong' });
    expect(bad).toEqual({ status: 401, body: { error: 'invalid_client', error_description: expect.any(String) } });
    expect(JSON.stringify(bad.body)).not.toContain('secret-1');
    const unsupported = await tokenRequest(sim, { grant_type: 'password', client_id: 'client-1', client_secret: 'secret-1' });
    expect(unsupported).toEqual({ status: 400, body: expect.objectContaining({ error: 'unsupported_grant_type' }) });
  });

  it('revokes tokens with plain OK and introspection reflects it', async () => {
    const issued = sim.issueUserToken({ clientId: 'client-1', userId: aliceId, scopes: ['user:read'] });
    const auth = { authorization: `Bearer ${issued.accessToken}` };
    const introspect = async (): Promise<unknown> => (await fetch(`${sim.authUrl}/oauth/token/introspect`, { method: 'POST', headers: auth })).json();
    const before = (await introspect()) as { data: { active: boolean; exp: number } };
    expect(before.data.active).toBe(true);
    expect(before.data.exp).toBeGreaterThan(Math.floor(Date.now() / 1000) + 7000);

    const res = await fetch(`${sim.authUrl}/oauth/revoke?token=${encodeURIComponent(issued.accessToken)}&token_hint_type=access_token`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('OK');
    expect(await introspect()).toEqual({ data: { active: false }, message: 'OK' });
    expect((await fetch(`${sim.apiUrl}/public/v1/users`, { headers: auth })).status).toBe(401);

    // Revoking the refresh token kills it (and its access token).
    const pair = sim.issueUserToken({ clientId: 'client-1', userId: aliceId, scopes: ['user:read'] });
    await fetch(`${sim.authUrl}/oauth/revoke?token=${encodeURIComponent(pair.refreshToken)}&token_hint_type=refresh_token`, { method: 'POST' });
    expect((await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: pair.refreshToken, client_id: 'client-1', client_secret: 'secret-1' })).status).toBe(400);
    expect((await fetch(`${sim.apiUrl}/public/v1/users`, { headers: { authorization: `Bearer ${pair.accessToken}` } })).status).toBe(401);
    expect((await fetch(`${sim.authUrl}/oauth/token/introspect`, { method: 'POST' })).status).toBe(401);
  });

  it('expired and revoked-by-user access tokens get 401', async () => {
    const a = sim.issueUserToken({ clientId: 'client-1', userId: aliceId, scopes: ['user:read'] });
    sim.expireAccessToken(a.accessToken);
    const res = await fetch(`${sim.apiUrl}/public/v1/users`, { headers: { authorization: `Bearer ${a.accessToken}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'Unauthorized' });
    const b = sim.issueUserToken({ clientId: 'client-1', userId: aliceId, scopes: ['user:read'] });
    sim.revokeAllTokens(aliceId);
    expect((await fetch(`${sim.apiUrl}/public/v1/users`, { headers: { authorization: `Bearer ${b.accessToken}` } })).status).toBe(401);
  });

  it('codes expire after 10 minutes and access tokens after accessTokenTtlSec (sim clock)', async () => {
    let now = Date.parse('2026-05-01T12:00:00Z');
    const clocked = await startKickSim({ autoApprove: true, accessTokenTtlSec: 60, clock: { now: () => new Date(now) } });
    try {
      clocked.registerApp({ clientId: 'c', clientSecret: 's', redirectUris: [REDIRECT] });
      const userId = clocked.createUser({ username: 'dave' }).userId;
      const { verifier, challenge } = pkce();
      const res = await fetch(authorizeUrl(clocked, { client_id: 'c', response_type: 'code', redirect_uri: REDIRECT, state: 'x', scope: 'user:read', code_challenge: challenge, code_challenge_method: 'S256' }), { redirect: 'manual' });
      const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
      now += 10 * 60_000 + 1000;
      const late = await tokenRequest(clocked, { grant_type: 'authorization_code', code, client_id: 'c', client_secret: 's', redirect_uri: REDIRECT, code_verifier: verifier });
      expect(late).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant', error_description: expect.stringContaining('expired') }) });

      const token = clocked.issueUserToken({ clientId: 'c', userId, scopes: ['user:read'] });
      expect(token.expiresIn).toBe(60);
      const get = (): Promise<Response> => fetch(`${clocked.apiUrl}/public/v1/users`, { headers: { authorization: `Bearer ${token.accessToken}` } });
      expect((await get()).status).toBe(200);
      now += 61_000;
      expect((await get()).status).toBe(401);
    } finally {
      await clocked.close();
    }
  });
});
