import { AuthorizationCode, ClientCredentials, type AccessToken, type ModuleOptions } from 'simple-oauth2';
import { KickOAuthError, type KickOAuthGrant } from '../errors/KickOAuthError.ts';
import { KickTimeoutError } from '../errors/KickTimeoutError.ts';
import { KickValidationError } from '../errors/KickValidationError.ts';
import { createPkcePair, createState } from './pkce.ts';

/** Tokens from a user authorization or refresh. Kick rotates `refreshToken` on every refresh — store the new one. */
export type KickTokenSet = {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  scopes: string[];
  expiresAt: Date;
};

/** Result of {@link KickOAuth.introspect}. */
export type KickTokenIntrospection = {
  active: boolean;
  clientId: string;
  tokenType: 'user' | 'app';
  scopes: string[];
  expiresAt: Date | null;
};

/** Options of {@link KickOAuth}. */
export type KickOAuthOptions = {
  clientId: string;
  clientSecret: string;
  /** OAuth host; default `https://id.kick.com`. */
  authUrl?: string;
  /** API host (kept for symmetry with the REST client; the OAuth endpoints live on authUrl); default `https://api.kick.com`. */
  apiUrl?: string;
  /** Per-request timeout; default 10000 ms. */
  timeoutMs?: number;
  /**
   * fetch used for revoke and introspect. The token grants go through simple-oauth2's own HTTP
   * client (wreck), which cannot take a fetch implementation.
   */
  fetch?: typeof fetch;
  /** Clock, for tests; default Date.now. */
  now?: () => number;
};

/** An app token is reused until this long before it expires. */
export const APP_TOKEN_EXPIRY_MARGIN_MS = 60_000;

type RawToken = Record<string, unknown>;

/**
 * Kick OAuth 2.1 client (authorization code + PKCE, refresh, client credentials, revoke, introspect)
 * built on simple-oauth2. Errors are {@link KickOAuthError}s that never contain tokens or the secret.
 */
export class KickOAuth {
  /** A fresh PKCE verifier and its S256 challenge; keep the verifier server-side until the callback. */
  static createPkcePair(): { verifier: string; challenge: string } {
    return createPkcePair();
  }

  /** An unguessable `state` for the authorize redirect. */
  static createState(): string {
    return createState();
  }

  readonly #authUrl: string;
  readonly #clientId: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #authCode: AuthorizationCode;
  readonly #clientCredentials: ClientCredentials;
  #appToken: { token: string; expiresAt: number } | undefined;
  #appTokenInflight: Promise<string> | undefined;

  constructor(options: KickOAuthOptions) {
    if (!options.clientId) {
      throw new KickValidationError('clientId', 'KICK_CLIENT_ID is missing — create an app at kick.com → Settings → Developer and copy its client id');
    }
    if (!options.clientSecret) {
      throw new KickValidationError(
        'clientSecret',
        'KICK_CLIENT_SECRET is missing — create an app at kick.com → Settings → Developer and copy its secret',
      );
    }
    this.#authUrl = (options.authUrl ?? 'https://id.kick.com').replace(/\/+$/, '');
    this.#clientId = options.clientId;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    const config: ModuleOptions = {
      client: { id: options.clientId, secret: options.clientSecret },
      auth: { tokenHost: this.#authUrl, tokenPath: '/oauth/token', revokePath: '/oauth/revoke' },
      // Kick reads client_id/client_secret from the form body, not HTTP Basic.
      options: { authorizationMethod: 'body', bodyFormat: 'form' },
      http: { timeout: this.#timeoutMs },
    };
    this.#authCode = new AuthorizationCode({ ...config, auth: { ...config.auth, authorizePath: '/oauth/authorize' } });
    this.#clientCredentials = new ClientCredentials(config);
  }

  /** The URL to redirect a streamer to (`/oauth/authorize`, PKCE S256, space-separated scopes). */
  authorizeUrl(input: { redirectUri: string; state: string; scopes: readonly string[]; codeChallenge: string }): string {
    const params = {
      redirect_uri: input.redirectUri,
      scope: input.scopes.join(' '),
      state: input.state,
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
    };
    return this.#authCode.authorizeURL(params);
  }

  /** Exchanges the callback `code` (with the PKCE verifier) for user tokens. */
  async exchangeCode(input: { code: string; redirectUri: string; codeVerifier: string }): Promise<KickTokenSet> {
    const token = await this.#call('authorization_code', () =>
      this.#authCode.getToken({ code: input.code, redirect_uri: input.redirectUri, code_verifier: input.codeVerifier } as Parameters<
        AuthorizationCode['getToken']
      >[0]),
    );
    return this.#toTokenSet(token.token, undefined);
  }

  /**
   * Refreshes user tokens. Kick rotates the refresh token: persist the returned one. A refused or
   * expired refresh token throws a {@link KickOAuthError} with `isInvalidGrant` true.
   */
  async refresh(refreshToken: string): Promise<KickTokenSet> {
    const token = await this.#call('refresh_token', () => this.#authCode.createToken({ refresh_token: refreshToken }).refresh());
    return this.#toTokenSet(token.token, refreshToken);
  }

  /** Revokes a token (Kick's quirk: `POST /oauth/revoke?token=…&token_hint_type=…`). */
  async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    const query = new URLSearchParams({ token, token_hint_type: hint });
    const res = await this.#fetchJson('revoke', `/oauth/revoke?${query.toString()}`, { method: 'POST' });
    if (!res.ok) throw errorFromBody('revoke', res.status, res.body);
  }

  /**
   * An app access token (client credentials), cached until {@link APP_TOKEN_EXPIRY_MARGIN_MS}
   * before expiry; concurrent callers share one request.
   */
  async appToken(): Promise<string> {
    if (this.#appToken && this.#appToken.expiresAt - APP_TOKEN_EXPIRY_MARGIN_MS > this.#now()) return this.#appToken.token;
    this.#appTokenInflight ??= this.#fetchAppToken().finally(() => {
      this.#appTokenInflight = undefined;
    });
    return this.#appTokenInflight;
  }

  /** Forgets the cached app token (e.g. after Kick answered 401 with it). */
  clearAppToken(): void {
    this.#appToken = undefined;
  }

  /** Asks Kick whether `token` is active and what it grants (`POST /oauth/token/introspect`). */
  async introspect(token: string): Promise<KickTokenIntrospection> {
    const res = await this.#fetchJson('introspect', '/oauth/token/introspect', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw errorFromBody('introspect', res.status, res.body);
    const data = (res.body && typeof res.body === 'object' ? (res.body as { data?: unknown }).data : undefined) as
      | { active?: unknown; client_id?: unknown; token_type?: unknown; scope?: unknown; exp?: unknown }
      | undefined;
    if (!data || typeof data !== 'object') {
      throw new KickOAuthError({ status: res.status, error: 'invalid_response', errorDescription: 'no data in introspection response', grant: 'introspect' });
    }
    return {
      active: data.active === true,
      clientId: typeof data.client_id === 'string' ? data.client_id : '',
      tokenType: data.token_type === 'app' ? 'app' : 'user',
      scopes: splitScopes(data.scope),
      expiresAt: typeof data.exp === 'number' && data.exp > 0 ? new Date(data.exp * 1000) : null,
    };
  }

  async #fetchAppToken(): Promise<string> {
    const token = await this.#call('client_credentials', () => this.#clientCredentials.getToken({}));
    const raw = token.token as RawToken;
    const accessToken = raw.access_token;
    if (typeof accessToken !== 'string' || !accessToken) {
      throw new KickOAuthError({ status: 200, error: 'invalid_response', errorDescription: 'no access_token in response', grant: 'client_credentials' });
    }
    this.#appToken = { token: accessToken, expiresAt: expiresAtMs(raw, this.#now()) };
    return accessToken;
  }

  #toTokenSet(raw: RawToken, previousRefreshToken: string | undefined): KickTokenSet {
    const grant: KickOAuthGrant = previousRefreshToken === undefined ? 'authorization_code' : 'refresh_token';
    const accessToken = raw.access_token;
    const refreshToken = typeof raw.refresh_token === 'string' && raw.refresh_token ? raw.refresh_token : previousRefreshToken;
    if (typeof accessToken !== 'string' || !accessToken || !refreshToken) {
      throw new KickOAuthError({ status: 200, error: 'invalid_response', errorDescription: 'access_token or refresh_token missing in response', grant });
    }
    return {
      accessToken,
      refreshToken,
      tokenType: typeof raw.token_type === 'string' ? raw.token_type : 'Bearer',
      scopes: splitScopes(raw.scope),
      expiresAt: new Date(expiresAtMs(raw, this.#now())),
    };
  }

  /** Runs a simple-oauth2 call and turns wreck/Boom failures into secret-free errors. */
  async #call(grant: KickOAuthGrant, fn: () => Promise<AccessToken>): Promise<AccessToken> {
    try {
      return await fn();
    } catch (error) {
      throw this.#translate(grant, error);
    }
  }

  #translate(grant: KickOAuthGrant, error: unknown): Error {
    const boom = error as { isBoom?: boolean; output?: { statusCode?: number }; data?: { res?: { statusCode?: number }; payload?: unknown } };
    if (!boom?.isBoom) {
      return new KickOAuthError({ status: 0, error: null, errorDescription: safeMessage(error), grant });
    }
    const status = boom.data?.res?.statusCode;
    if (status === undefined) {
      if (boom.output?.statusCode === 504 || boom.output?.statusCode === 408) {
        return new KickTimeoutError({ method: 'POST', path: '/oauth/token', timeoutMs: this.#timeoutMs });
      }
      // No response at all (connection refused, DNS): the wreck error holds only the network cause.
      return new KickOAuthError({ status: 0, error: null, errorDescription: safeMessage(error), grant });
    }
    return errorFromBody(grant, status, boom.data?.payload);
  }

  async #fetchJson(grant: KickOAuthGrant, pathAndQuery: string, init: RequestInit): Promise<{ ok: boolean; status: number; body: unknown }> {
    const path = pathAndQuery.split('?')[0] ?? pathAndQuery;
    let res: Response;
    try {
      res = await this.#fetch(`${this.#authUrl}${pathAndQuery}`, {
        ...init,
        headers: { accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      if (isTimeout(error)) throw new KickTimeoutError({ method: init.method ?? 'GET', path, timeoutMs: this.#timeoutMs });
      throw new KickOAuthError({ status: 0, error: null, errorDescription: safeMessage(error), grant });
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // Plain text such as revoke's "OK".
    }
    return { ok: res.ok, status: res.status, body };
  }

  /** The client id this instance authenticates as. */
  get clientId(): string {
    return this.#clientId;
  }
}

function errorFromBody(grant: KickOAuthGrant, status: number, body: unknown): KickOAuthError {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const error = typeof b.error === 'string' ? b.error : null;
  const description =
    typeof b.error_description === 'string'
      ? b.error_description
      : typeof b.data === 'string'
        ? b.data
        : typeof b.message === 'string' && error === null
          ? b.message
          : null;
  return new KickOAuthError({ status, error, errorDescription: description, grant });
}

function splitScopes(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(/[\s,]+/).filter(Boolean) : [];
}

function expiresAtMs(raw: RawToken, now: number): number {
  const expiresIn = typeof raw.expires_in === 'number' ? raw.expires_in : Number(raw.expires_in);
  // Kick documents 7200 s for user tokens; assume that if the field is absent.
  return now + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 7200) * 1000;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown })?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Network error text without anything that could carry a secret (codes and syscall names only). */
function safeMessage(error: unknown): string {
  const e = error as { code?: unknown; cause?: { code?: unknown }; data?: { code?: unknown } };
  const code = e?.code ?? e?.cause?.code ?? e?.data?.code;
  return typeof code === 'string' ? `network error ${code}` : 'network error';
}
