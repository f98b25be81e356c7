import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { ulid } from 'ulid';
import { APP_TOKEN_TTL_SEC, AUTH_CODE_TTL_SEC, KICK_SCOPES } from './constants.ts';
import type { CallLocals, SimContext } from './context.ts';
import { bearerToken, sendError, sendOAuthError, sendOk } from './http.ts';
import { randomToken } from './random.ts';
import type { PendingAuthorization, TokenRecord } from './SimState.ts';
import type { SimApp, SimUser } from './types.ts';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** base64url(SHA-256(verifier)) — PKCE S256. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function redirectWith(res: Response, redirectUri: string, params: Record<string, string>): void {
  const target = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  res.redirect(302, target.toString());
}

/** Client credentials from the form body (Kick's documented way) or HTTP Basic (simple-oauth2's default). */
function clientCredentials(req: Request): { clientId?: string; clientSecret?: string } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const header = req.get('authorization');
  if (header && /^Basic\s+/i.test(header)) {
    const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      const unform = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
      try {
        return { clientId: unform(decoded.slice(0, colon)), clientSecret: unform(decoded.slice(colon + 1)) };
      } catch {
        return {};
      }
    }
  }
  const clientId = str(body['client_id']);
  const clientSecret = str(body['client_secret']);
  return { ...(clientId === undefined ? {} : { clientId }), ...(clientSecret === undefined ? {} : { clientSecret }) };
}

function consentPage(app: SimApp, user: SimUser, pending: PendingAuthorization): string {
  const scopes = pending.scopes.length > 0 ? pending.scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('') : '<li>(no scopes)</li>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize ${escapeHtml(app.name)} — Kick (simulated)</title>
<style>body{font-family:system-ui,sans-serif;background:#0b0e0f;color:#fff;display:flex;justify-content:center;padding:4rem}main{background:#191b1f;padding:2rem;border-radius:12px;max-width:28rem}button{font-size:1rem;padding:.6rem 1.4rem;border-radius:8px;border:0;margin-right:.5rem;cursor:pointer}.approve{background:#53fc18}.deny{background:#333;color:#fff}</style>
</head><body><main data-request-id="${escapeHtml(pending.id)}">
<h1>${escapeHtml(app.name)} wants to access your Kick account</h1>
<p>Signed in as <strong data-user-id="${user.userId}">${escapeHtml(user.username)}</strong> (kick-sim).</p>
<ul>${scopes}</ul>
<form method="post" action="/oauth/authorize/decision">
<input type="hidden" name="request_id" value="${escapeHtml(pending.id)}">
<button class="approve" name="decision" value="approve" type="submit">Approve</button>
<button class="deny" name="decision" value="deny" type="submit">Deny</button>
</form></main></body></html>`;
}

/** id.kick.com: /oauth/authorize (+ consent decision), /oauth/token, /oauth/revoke, /oauth/token/introspect. */
export function createOAuthRouter(ctx: SimContext): Router {
  const router = express.Router();
  const { state } = ctx;

  const issueCode = (pending: Omit<PendingAuthorization, 'id'>): string => {
    const code = randomToken(40);
    state.codes.set(code, {
      code,
      clientId: pending.clientId,
      userId: pending.userId,
      redirectUri: pending.redirectUri,
      scopes: pending.scopes,
      codeChallenge: pending.codeChallenge,
      expiresAt: state.nowMs() + AUTH_CODE_TTL_SEC * 1000,
      used: false,
    });
    return code;
  };

  router.get('/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const clientId = str(q['client_id']);
    const app = clientId ? state.apps.get(clientId) : undefined;
    if (!app) return sendOAuthError(res, 400, 'invalid_client', 'Unknown client_id.');
    const redirectUri = str(q['redirect_uri']);
    if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
      return sendOAuthError(res, 400, 'invalid_request', 'redirect_uri is missing or not registered for this app.');
    }
    if (q['response_type'] !== 'code') return sendOAuthError(res, 400, 'unsupported_response_type', 'response_type must be "code".');
    const stateParam = str(q['state']);
    if (!stateParam) return sendOAuthError(res, 400, 'invalid_request', 'state is required.');
    const codeChallenge = str(q['code_challenge']);
    if (!codeChallenge) return sendOAuthError(res, 400, 'invalid_request', 'code_challenge is required (PKCE).');
    if (q['code_challenge_method'] !== 'S256') return sendOAuthError(res, 400, 'invalid_request', 'code_challenge_method must be S256.');
    const scopes = (str(q['scope']) ?? '').split(/[\s+]+/).filter((s) => s.length > 0);
    const unknown = scopes.filter((s) => !(KICK_SCOPES as readonly string[]).includes(s));
    if (unknown.length > 0) return sendOAuthError(res, 400, 'invalid_scope', `Unknown scope(s): ${unknown.join(', ')}.`);

    const simUser = str(q['sim_user']);
    let user: SimUser | undefined;
    if (simUser) user = /^\d+$/.test(simUser) ? state.users.get(Number(simUser)) : state.findUserBySlug(simUser);
    else if (state.authorizingUserId !== null) user = state.users.get(state.authorizingUserId);
    else user = [...state.users.values()].find((u) => !u.isBot);
    if (!user) {
      return sendOAuthError(res, 400, 'invalid_request', 'No simulated user to sign in as: pass ?sim_user=<id|username>, call setAuthorizingUser(), or createUser() first.');
    }
    const request = { clientId: app.clientId, userId: user.userId, redirectUri, state: stateParam, scopes: [...new Set(scopes)], codeChallenge };
    if (ctx.autoApprove) return redirectWith(res, redirectUri, { code: issueCode(request), state: stateParam });
    const pending: PendingAuthorization = { id: ulid(), ...request };
    state.pending.set(pending.id, pending);
    res.status(200).type('html').send(consentPage(app, user, pending));
  });

  router.post('/oauth/authorize/decision', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const id = str(body['request_id']);
    const pending = id ? state.pending.get(id) : undefined;
    if (!pending) return sendOAuthError(res, 400, 'invalid_request', 'Unknown or already answered authorization request; start again at /oauth/authorize.');
    state.pending.delete(pending.id);
    if (body['decision'] === 'approve') return redirectWith(res, pending.redirectUri, { code: issueCode(pending), state: pending.state });
    redirectWith(res, pending.redirectUri, { error: 'access_denied', error_description: 'The user denied the request.', state: pending.state });
  });

  router.post('/oauth/token', express.urlencoded({ extended: false }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grantType = str(body['grant_type']);
    if (!grantType) return sendOAuthError(res, 400, 'invalid_request', 'grant_type is required.');
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
      return sendOAuthError(res, 400, 'unsupported_grant_type', `Unsupported grant_type "${grantType}".`);
    }
    const { clientId, clientSecret } = clientCredentials(req);
    const app = clientId ? state.apps.get(clientId) : undefined;
    if (!app || !clientSecret || !safeEqual(clientSecret, app.clientSecret)) {
      return sendOAuthError(res, 401, 'invalid_client', 'Client authentication failed (check client_id and client_secret).');
    }
    res.locals['clientId'] = app.clientId;
    res.set('Cache-Control', 'no-store');

    const userTokenResponse = (access: TokenRecord, refresh: TokenRecord): void => {
      (res.locals as CallLocals).token = access;
      res.json({ access_token: access.token, token_type: 'Bearer', refresh_token: refresh.token, expires_in: ctx.accessTokenTtlSec, scope: access.scopes.join(' ') });
    };

    if (grantType === 'client_credentials') {
      const { access } = state.issueTokenPair({ tokenType: 'app', clientId: app.clientId, userId: null, scopes: [], accessTtlSec: APP_TOKEN_TTL_SEC, refreshTtlSec: 0 });
      (res.locals as CallLocals).token = access;
      return void res.json({ access_token: access.token, token_type: 'Bearer', expires_in: APP_TOKEN_TTL_SEC });
    }

    if (grantType === 'authorization_code') {
      const code = str(body['code']);
      const redirectUri = str(body['redirect_uri']);
      const verifier = str(body['code_verifier']);
      if (!code || !redirectUri || !verifier) return sendOAuthError(res, 400, 'invalid_request', 'code, redirect_uri and code_verifier are required.');
      const record = state.codes.get(code);
      if (!record || record.clientId !== app.clientId) return sendOAuthError(res, 400, 'invalid_grant', 'The authorization code is invalid.');
      if (record.used) return sendOAuthError(res, 400, 'invalid_grant', 'The authorization code has already been used.');
      record.used = true; // any redemption attempt burns the code
      if (record.expiresAt <= state.nowMs()) return sendOAuthError(res, 400, 'invalid_grant', 'The authorization code has expired.');
      if (record.redirectUri !== redirectUri) return sendOAuthError(res, 400, 'invalid_grant', 'redirect_uri does not match the one used at /oauth/authorize.');
      if (!safeEqual(pkceChallenge(verifier), record.codeChallenge)) return sendOAuthError(res, 400, 'invalid_grant', 'code_verifier does not match the code_challenge.');
      const { access, refresh } = state.issueTokenPair({
        tokenType: 'user',
        clientId: app.clientId,
        userId: record.userId,
        scopes: record.scopes,
        accessTtlSec: ctx.accessTokenTtlSec,
        refreshTtlSec: ctx.refreshTokenTtlSec,
      });
      return userTokenResponse(access, refresh as TokenRecord);
    }

    // refresh_token: rotation — the presented refresh token dies, a new pair is issued. The new refresh
    // token keeps the old one's expiry: Kick's refresh tokens die ~30 days after the streamer's consent,
    // however often they are used.
    const presented = str(body['refresh_token']);
    if (!presented) return sendOAuthError(res, 400, 'invalid_request', 'refresh_token is required.');
    const old = state.activeToken(presented, 'refresh');
    if (!old || old.clientId !== app.clientId) return sendOAuthError(res, 400, 'invalid_grant', 'The refresh token is invalid, expired or revoked.');
    old.revoked = true;
    const { access, refresh } = state.issueTokenPair({
      tokenType: 'user',
      clientId: app.clientId,
      userId: old.userId,
      scopes: old.scopes,
      accessTtlSec: ctx.accessTokenTtlSec,
      refreshTtlSec: Math.max(1, Math.ceil((old.expiresAt - state.nowMs()) / 1000)),
    });
    userTokenResponse(access, refresh as TokenRecord);
  });

  router.post('/oauth/revoke', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const token = str(q['token']);
    if (!token) return sendOAuthError(res, 400, 'invalid_request', 'token query parameter is required.');
    const record = state.tokens.get(token);
    if (record) {
      record.revoked = true;
      res.locals['clientId'] = record.clientId;
      // Revoking a refresh token also kills the access token issued with it.
      if (record.kind === 'refresh' && record.pairToken) {
        const pair = state.tokens.get(record.pairToken);
        if (pair) pair.revoked = true;
      }
    }
    res.status(200).type('text/plain').send('OK');
  });

  const introspect = (req: Request, res: Response): void => {
    const token = bearerToken(req);
    if (!token) return sendError(res, 401, 'Authorization: Bearer <token> header is required');
    const record = state.activeToken(token, 'access');
    if (!record) return sendOk(res, { active: false });
    res.locals['clientId'] = record.clientId;
    sendOk(res, { active: true, client_id: record.clientId, token_type: record.tokenType, scope: record.scopes.join(' '), exp: Math.floor(record.expiresAt / 1000) });
  };
  router.post('/oauth/token/introspect', introspect);
  router.post('/public/v1/token/introspect', introspect);

  return router;
}
