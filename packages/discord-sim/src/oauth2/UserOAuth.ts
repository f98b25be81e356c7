import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimState } from '../state/SimState.ts';
import type { OAuthConsent } from '../types.ts';

export type { OAuthConsent } from '../types.ts';
import { err, type Reply } from '../rest/reply.ts';

/** OAuth2 scopes the simulator grants (a subset of Discord's; others are refused as `invalid_scope`). */
export const SIM_OAUTH_SCOPES = ['identify', 'email', 'guilds', 'role_connections.write', 'applications.commands', 'bot'] as const;

/** Discord's access token lifetime: 7 days. */
export const DEFAULT_ACCESS_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;
/** An authorization code must be exchanged within 10 minutes, once. */
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60 * 1000;

interface Grant {
  userId: string;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

interface AccessGrant {
  userId: string;
  scopes: string[];
  expiresAt: number;
}


/** A bearer token's owner and scopes, once checked. */
export interface BearerIdentity {
  userId: string;
  scopes: string[];
}

const UNAUTHORIZED = (): Reply => err(401, 0, '401: Unauthorized');
const oauthError = (status: number, error: string, description?: string): Reply => ({
  status,
  body: { error, ...(description === undefined ? {} : { error_description: description }) },
});

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Discord's user OAuth2 (authorization code grant) for the simulated application: the consent step
 * (`GET /oauth2/authorize` answered with the redirect Discord sends after the user clicks Authorize),
 * `POST /oauth2/token` (authorization_code and refresh_token grants; refresh tokens rotate), token revocation,
 * and the bearer-token check every OAuth2-scoped REST route uses (401 `{"message": "401: Unauthorized", "code": 0}`
 * for a missing, expired or revoked token and for a token without the route's scope, as Discord answers).
 */
export class UserOAuth {
  readonly clientSecret: string;
  /** Registered redirect URIs; empty = any URI is accepted (convenient for tests). */
  readonly redirectUris = new Set<string>();
  accessTokenTtlMs: number;
  private consent: OAuthConsent | null = null;
  private readonly codes = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly refreshTokens = new Map<string, { userId: string; scopes: string[] }>();

  constructor(
    private readonly state: SimState,
    options: { clientSecret?: string; redirectUris?: string[]; accessTokenTtlMs?: number } = {},
  ) {
    this.clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
    for (const uri of options.redirectUris ?? []) this.redirectUris.add(uri);
    this.accessTokenTtlMs = options.accessTokenTtlMs ?? DEFAULT_ACCESS_TOKEN_TTL_MS;
  }

  setConsent(consent: OAuthConsent | null): void {
    this.consent = consent;
  }

  /**
   * `GET /oauth2/authorize`: validates the request like Discord, then acts as the user named by the
   * `sim_user_id` query parameter (or {@link setConsent}) clicking Authorize (or Cancel).
   */
  authorize(url: URL, acceptsHtml = false): Reply {
    const q = url.searchParams;
    if (q.get('client_id') !== this.state.identity.applicationId) return { status: 400, body: { client_id: [`Value "${q.get('client_id') ?? ''}" is not snowflake.`] } };
    const redirectUri = q.get('redirect_uri') ?? (this.redirectUris.size === 1 ? [...this.redirectUris][0] : null);
    if (!redirectUri || (this.redirectUris.size > 0 && !this.redirectUris.has(redirectUri))) {
      return { status: 400, body: { redirect_uri: ['Invalid "redirect_uri" in request.'] } };
    }
    const back = (params: Record<string, string>): Reply => {
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      const state = q.get('state');
      if (state !== null) target.searchParams.set('state', state);
      return { status: 302, headers: { location: target.toString() } };
    };
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'The authorization server does not support obtaining an authorization code using this method' });
    const scopes = (q.get('scope') ?? '').split(/[\s+]+/).filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !(SIM_OAUTH_SCOPES as readonly string[]).includes(s))) {
      return back({ error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, or malformed.' });
    }
    const userId = q.get('sim_user_id') ?? this.consent?.userId;
    if (!userId) {
      // A person in a browser (the sandbox) picks who they are, as on Discord's consent screen.
      if (acceptsHtml) return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: this.consentPage(url, scopes) };
      return { status: 400, body: { message: 'discord-sim: nobody is logged in to approve this; pass sim_user_id or call sim.setOAuthConsent()', code: 0 } };
    }
    if (!this.state.users.has(userId)) return { status: 400, body: { message: `discord-sim: unknown user ${userId}; add it with sim.addUser() or sim.addMember() first`, code: 0 } };
    const approve = q.get('sim_deny') === null && (this.consent?.approve ?? true);
    if (!approve) return back({ error: 'access_denied', error_description: 'The resource owner or authorization server denied the request' });
    const code = randomBytes(15).toString('base64url');
    this.codes.set(code, { userId, scopes, redirectUri, expiresAt: Date.now() + AUTHORIZATION_CODE_TTL_MS, used: false });
    return back({ code });
  }

  /** Whether the request authenticates as the application (HTTP Basic, or `client_id`/`client_secret` in the form). */
  private clientAuthenticated(form: Record<string, unknown>, authorization: string | undefined): boolean {
    let clientId = typeof form.client_id === 'string' ? form.client_id : undefined;
    let secret = typeof form.client_secret === 'string' ? form.client_secret : undefined;
    if (authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, i));
      secret = decodeURIComponent(decoded.slice(i + 1));
    }
    return clientId === this.state.identity.applicationId && secret !== undefined && sameSecret(secret, this.clientSecret);
  }

  /** A minimal consent screen: Authorize as each known (non-bot) user, or Cancel. */
  private consentPage(url: URL, scopes: string[]): string {
    const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const link = (params: Record<string, string>) => {
      const u = new URL(url.toString());
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
      return esc(`${u.pathname}${u.search}`);
    };
    const users = [...this.state.users.values()].filter((u) => !u.bot);
    const items = users.map((u) => `<li><a href="${link({ sim_user_id: u.id })}">Authorize as ${esc(u.username)}</a></li>`).join('');
    return `<!doctype html><html><head><meta charset="utf-8"><title>Authorize · discord-sim</title></head><body>
<h1>${esc(this.state.identity.botUsername)} wants to access your account</h1><p>Scopes: ${esc(scopes.join(', '))}</p>
<ul>${items || '<li>No users yet: add one with sim.addUser() or sim.addMember()</li>'}</ul>
<p><a href="${link({ sim_user_id: users[0]?.id ?? '0', sim_deny: '1' })}">Cancel</a></p></body></html>`;
  }

  /** `POST /oauth2/token` (form body; client auth by HTTP Basic or `client_id`/`client_secret` in the body). */
  token(form: Record<string, unknown>, authorization: string | undefined): Reply {
    const field = (name: string): string | undefined => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    if (!this.clientAuthenticated(form, authorization)) return oauthError(401, 'invalid_client');
    const grantType = field('grant_type');
    if (grantType === 'authorization_code') {
      const code = field('code');
      const grant = code === undefined ? undefined : this.codes.get(code);
      if (!grant || grant.used || grant.expiresAt <= Date.now()) return oauthError(400, 'invalid_grant', 'Invalid "code" in request.');
      if (field('redirect_uri') !== grant.redirectUri) return oauthError(400, 'invalid_grant', 'Invalid "redirect_uri" in request.');
      grant.used = true;
      return this.issue(grant.userId, grant.scopes);
    }
    if (grantType === 'refresh_token') {
      const refresh = field('refresh_token');
      const grant = refresh === undefined ? undefined : this.refreshTokens.get(refresh);
      if (!grant || refresh === undefined) return oauthError(400, 'invalid_grant');
      this.refreshTokens.delete(refresh);
      return this.issue(grant.userId, grant.scopes);
    }
    return oauthError(400, 'unsupported_grant_type');
  }

  /** `POST /oauth2/token/revoke`: revoking either token of a grant ends the whole authorization. */
  revoke(form: Record<string, unknown>, authorization: string | undefined): Reply {
    if (!this.clientAuthenticated(form, authorization)) return oauthError(401, 'invalid_client');
    const token = typeof form.token === 'string' ? form.token : '';
    const owner = this.accessTokens.get(token)?.userId ?? this.refreshTokens.get(token)?.userId;
    if (owner !== undefined) this.revokeUser(owner);
    return { status: 200, body: {} };
  }

  /** The user deauthorizes the app (User Settings → Authorized Apps): every token of theirs stops working. */
  revokeUser(userId: string): void {
    for (const [t, g] of this.accessTokens) if (g.userId === userId) this.accessTokens.delete(t);
    for (const [t, g] of this.refreshTokens) if (g.userId === userId) this.refreshTokens.delete(t);
  }

  /** Make the user's access tokens expire now (their refresh tokens still work). */
  expireAccessTokens(userId: string): void {
    for (const g of this.accessTokens.values()) if (g.userId === userId) g.expiresAt = Date.now() - 1;
  }

  /** Checks `Authorization: Bearer …` for `scope`; the identity, or the 401 Discord answers. */
  authenticate(authorization: string | undefined, scope: string): BearerIdentity | Reply {
    if (!authorization?.startsWith('Bearer ')) return UNAUTHORIZED();
    const grant = this.accessTokens.get(authorization.slice(7));
    if (!grant || grant.expiresAt <= Date.now() || !grant.scopes.includes(scope)) return UNAUTHORIZED();
    return { userId: grant.userId, scopes: grant.scopes };
  }

  private issue(userId: string, scopes: string[]): Reply {
    const accessToken = randomBytes(22).toString('base64url');
    const refreshToken = randomBytes(22).toString('base64url');
    this.accessTokens.set(accessToken, { userId, scopes, expiresAt: Date.now() + this.accessTokenTtlMs });
    this.refreshTokens.set(refreshToken, { userId, scopes });
    return {
      status: 200,
      body: { token_type: 'Bearer', access_token: accessToken, expires_in: Math.floor(this.accessTokenTtlMs / 1000), refresh_token: refreshToken, scope: scopes.join(' ') },
    };
  }
}
