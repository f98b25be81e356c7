import { describe, expect, it } from 'vitest';
import { KickOAuthError } from '../src/errors/KickOAuthError.ts';
import { KickTimeoutError } from '../src/errors/KickTimeoutError.ts';
import { KickValidationError } from '../src/errors/KickValidationError.ts';
import { KickOAuth } from '../src/oauth/KickOAuth.ts';
import { pkceChallenge } from '../src/oauth/pkce.ts';
import { KICKCORD_SCOPES, SCOPE_REASONS } from '../src/oauth/scopes.ts';
import { closedPortUrl, type HttpStub, useHttpStub } from './helpers/httpStub.ts';

const CLIENT_ID = '01JCLIENTIDXXXXXXXXXXXXXXX';
const CLIENT_SECRET = 'super-secret-client-value-123';

let stub: HttpStub;
useHttpStub((started) => {
  stub = started;
});

const oauth = (extra: { timeoutMs?: number; now?: () => number } = {}) =>
  new KickOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authUrl: stub.url, apiUrl: stub.url, ...extra });

const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('PKCE and state', () => {
  it('computes the RFC 7636 appendix B challenge', () => {
    // RFC 7636 appendix B: BASE64URL(SHA256("dBjftJeZ…")) = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('creates verifier/challenge pairs that match and are unique', () => {
    const a = KickOAuth.createPkcePair();
    const b = KickOAuth.createPkcePair();
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(a.challenge).toBe(pkceChallenge(a.verifier));
    expect(a.verifier).not.toBe(b.verifier);
    expect(KickOAuth.createState()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(KickOAuth.createState()).not.toBe(KickOAuth.createState());
  });
});

describe('scopes', () => {
  it('requests exactly the kickcord scopes, each with a reason', () => {
    expect([...KICKCORD_SCOPES].join(' ')).toBe(
      'user:read channel:read channel:write chat:write events:subscribe moderation:ban moderation:chat_message:manage kicks:read channel:rewards:read channel:rewards:write',
    );
    for (const scope of KICKCORD_SCOPES) expect(SCOPE_REASONS[scope].length).toBeGreaterThan(10);
  });
});

describe('KickOAuth', () => {
  it('refuses to start without credentials, with a message saying where to get them', () => {
    expect(() => new KickOAuth({ clientId: CLIENT_ID, clientSecret: '' })).toThrow(/KICK_CLIENT_SECRET .*kick\.com/);
    expect(() => new KickOAuth({ clientId: '', clientSecret: CLIENT_SECRET })).toThrow(KickValidationError);
  });

  it('builds the authorize URL', () => {
    const url = new URL(
      oauth().authorizeUrl({ redirectUri: 'http://localhost:3000/callback', state: 'st4te', scopes: [...KICKCORD_SCOPES], codeChallenge: 'chal' }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${stub.url}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT_ID,
      response_type: 'code',
      redirect_uri: 'http://localhost:3000/callback',
      state: 'st4te',
      scope: KICKCORD_SCOPES.join(' '),
      code_challenge: 'chal',
      code_challenge_method: 'S256',
    });
    expect(url.toString()).not.toContain(CLIENT_SECRET);
  });

  it('exchanges a code with the PKCE verifier as a form post', async () => {
    stub.handler = () => ({
      json: { access_token: 'AT1', token_type: 'Bearer', refresh_token: 'RT1', expires_in: 7200, scope: 'user:read chat:write' },
    });
    const before = Date.now();
    const tokens = await oauth().exchangeCode({ code: 'the-code', redirectUri: 'http://localhost:3000/callback', codeVerifier: 'the-verifier' });
    expect(tokens).toMatchObject({ accessToken: 'AT1', refreshToken: 'RT1', tokenType: 'Bearer', scopes: ['user:read', 'chat:write'] });
    expect(tokens.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 7200_000);
    expect(tokens.expiresAt.getTime()).toBeLessThan(before + 7200_000 + 60_000);

    const [req] = stub.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url.pathname).toBe('/oauth/token');
    expect(req?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(form(req!.body)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'http://localhost:3000/callback',
      code_verifier: 'the-verifier',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('refreshes and returns the rotated refresh token', async () => {
    stub.handler = () => ({ json: { access_token: 'AT2', token_type: 'Bearer', refresh_token: 'RT2-rotated', expires_in: 7200, scope: 'user:read' } });
    const tokens = await oauth().refresh('RT1');
    expect(tokens.refreshToken).toBe('RT2-rotated');
    expect(tokens.accessToken).toBe('AT2');
    expect(form(stub.requests[0]!.body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'RT1', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
  });

  it('marks a refused refresh token as invalid grant, without leaking tokens or the secret', async () => {
    stub.handler = () => ({ status: 400, json: { error: 'invalid_grant', error_description: 'The refresh token is invalid.' } });
    const error = await oauth()
      .refresh('RT-dead-token-value')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KickOAuthError);
    const e = error as KickOAuthError;
    expect(e.name).toBe('KickOAuthError');
    expect(e).toMatchObject({ status: 400, error: 'invalid_grant', grant: 'refresh_token', isInvalidGrant: true });
    expect(e.message).toMatch(/connect Kick again/);
    for (const secret of ['RT-dead-token-value', CLIENT_SECRET]) {
      expect(e.message).not.toContain(secret);
      expect(JSON.stringify(e)).not.toContain(secret);
      expect(String(e.stack)).not.toContain(secret);
    }
  });

  it('treats a 401 refresh without a standard code as invalid grant, but not a client error', async () => {
    stub.handler = () => ({ status: 401, json: { message: 'Unauthenticated.' } });
    const dead = (await oauth().refresh('x').catch((e: unknown) => e)) as KickOAuthError;
    expect(dead.isInvalidGrant).toBe(true);

    stub.handler = () => ({ status: 401, json: { error: 'invalid_client' } });
    const misconfigured = (await oauth().refresh('x').catch((e: unknown) => e)) as KickOAuthError;
    expect(misconfigured.isInvalidGrant).toBe(false);
    expect(misconfigured.message).toMatch(/KICK_CLIENT_SECRET/);

    stub.handler = () => ({ status: 500, text: 'oops' });
    const down = (await oauth().refresh('x').catch((e: unknown) => e)) as KickOAuthError;
    expect(down).toBeInstanceOf(KickOAuthError);
    expect(down.status).toBe(500);
    expect(down.isInvalidGrant).toBe(false);
  });

  it('revokes with the token in the query string and token_hint_type', async () => {
    stub.handler = () => ({ text: 'OK' });
    await oauth().revoke('AT-to-revoke', 'access_token');
    const [req] = stub.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url.pathname).toBe('/oauth/revoke');
    expect(Object.fromEntries(req!.url.searchParams)).toEqual({ token: 'AT-to-revoke', token_hint_type: 'access_token' });

    stub.handler = () => ({ status: 400, json: { error: 'invalid_request' } });
    const error = (await oauth()
      .revoke('RT-secret', 'refresh_token')
      .catch((e: unknown) => e)) as KickOAuthError;
    expect(error).toMatchObject({ name: 'KickOAuthError', status: 400, grant: 'revoke' });
    expect(error.message).not.toContain('RT-secret');
  });

  it('caches the app token: one request for many concurrent callers, renewed 60 s before expiry', async () => {
    let n = 0;
    stub.handler = async () => {
      n++;
      await new Promise((r) => setImmediate(r));
      return { json: { access_token: `APP${n}`, token_type: 'Bearer', expires_in: 3600 } };
    };
    let now = 1_700_000_000_000;
    const client = oauth({ now: () => now });
    const tokens = await Promise.all(Array.from({ length: 25 }, () => client.appToken()));
    expect(new Set(tokens)).toEqual(new Set(['APP1']));
    expect(stub.requests).toHaveLength(1);
    expect(form(stub.requests[0]!.body)).toEqual({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });

    now += 3600_000 - 61_000;
    expect(await client.appToken()).toBe('APP1');
    now += 2_000;
    expect(await client.appToken()).toBe('APP2');
    expect(stub.requests).toHaveLength(2);
  });

  it('does not cache a failed app token request', async () => {
    let fail = true;
    stub.handler = () => (fail ? { status: 401, json: { error: 'invalid_client' } } : { json: { access_token: 'APPOK', expires_in: 3600 } });
    const client = oauth();
    await expect(client.appToken()).rejects.toMatchObject({ name: 'KickOAuthError', grant: 'client_credentials', status: 401 });
    fail = false;
    expect(await client.appToken()).toBe('APPOK');
  });

  it('introspects a token', async () => {
    stub.handler = () => ({
      json: { data: { active: true, client_id: CLIENT_ID, token_type: 'user', scope: 'user:read chat:write', exp: 1771046347 }, message: 'OK' },
    });
    expect(await oauth().introspect('AT-x')).toEqual({
      active: true,
      clientId: CLIENT_ID,
      tokenType: 'user',
      scopes: ['user:read', 'chat:write'],
      expiresAt: new Date(1771046347 * 1000),
    });
    const [req] = stub.requests;
    expect(req?.url.pathname).toBe('/oauth/token/introspect');
    expect(req?.method).toBe('POST');
    expect(req?.headers.authorization).toBe('Bearer AT-x');

    stub.handler = () => ({ json: { data: { active: false, client_id: '', token_type: 'app', scope: '', exp: 0 }, message: 'OK' } });
    expect(await oauth().introspect('dead')).toEqual({ active: false, clientId: '', tokenType: 'app', scopes: [], expiresAt: null });
  });

  it('times out token requests with KickTimeoutError', async () => {
    stub.handler = () => ({ hang: true });
    await expect(oauth({ timeoutMs: 150 }).exchangeCode({ code: 'c', redirectUri: 'http://localhost/cb', codeVerifier: 'v' })).rejects.toBeInstanceOf(
      KickTimeoutError,
    );
    await expect(oauth({ timeoutMs: 150 }).introspect('t')).rejects.toBeInstanceOf(KickTimeoutError);
  });

  it('reports an unreachable OAuth host as a KickOAuthError with status 0', async () => {
    const client = new KickOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authUrl: await closedPortUrl() });
    const error = (await client.appToken().catch((e: unknown) => e)) as KickOAuthError;
    expect(error).toBeInstanceOf(KickOAuthError);
    expect(error.status).toBe(0);
    expect(error.message).not.toContain(CLIENT_SECRET);
  });
});
