import { AuthorizationCode, type AccessToken } from 'simple-oauth2';
import { ConnectionsError } from '../ConnectionsError.ts';
import { DiscordUserApiError, type DiscordUserCall } from './DiscordUserApiError.ts';

/** Scopes the Linked Roles verification asks for. */
export const LINKED_ROLES_SCOPES = ['identify', 'role_connections.write'] as const;

/** A Discord user's tokens. Discord rotates the refresh token on every refresh: store the new one. */
export interface DiscordTokenSet {
  accessToken: string;
  refreshToken: string;
  scopes: string[];
  expiresAt: Date;
}

/** Options of {@link DiscordUserOAuth}. */
export interface DiscordUserOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Discord's API base ending in `/api` (default `https://discord.com/api`; discord-sim's `apiUrl` in tests). */
  apiUrl?: string;
  /** Per-request timeout (default 10000 ms). */
  timeoutMs?: number;
  now?: () => number;
}

/**
 * Discord's OAuth2 authorization code grant for users, on simple-oauth2: the consent URL
 * (`https://discord.com/oauth2/authorize`), the code exchange and refresh (`POST /api/v10/oauth2/token`, HTTP
 * Basic client authentication). Errors are {@link DiscordUserApiError}s without tokens or the secret.
 */
export class DiscordUserOAuth {
  readonly #client: AuthorizationCode;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly clientId: string;

  constructor(options: DiscordUserOAuthOptions) {
    if (!options.clientId) throw new ConnectionsError('DISCORD_CLIENT_ID is missing — copy the Application ID from the Developer Portal → General Information');
    if (!options.clientSecret) throw new ConnectionsError('DISCORD_CLIENT_SECRET is missing — Developer Portal → OAuth2 → Client Secret → Reset Secret');
    const api = new URL((options.apiUrl ?? 'https://discord.com/api').replace(/\/+$/, ''));
    // discord.com serves the consent page at /oauth2/authorize and the API under /api.
    const host = api.origin;
    this.clientId = options.clientId;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#client = new AuthorizationCode({
      client: { id: options.clientId, secret: options.clientSecret },
      auth: { tokenHost: host, tokenPath: `${api.pathname}/v10/oauth2/token`, authorizeHost: host, authorizePath: '/oauth2/authorize' },
      options: { authorizationMethod: 'header', bodyFormat: 'form' },
      http: { timeout: this.#timeoutMs },
    });
  }

  /** Where to send the user to approve `scopes` (Discord shows its consent screen, then redirects with `code` and `state`). */
  authorizeUrl(input: { redirectUri: string; state: string; scopes?: readonly string[] }): string {
    return this.#client.authorizeURL({ redirect_uri: input.redirectUri, scope: (input.scopes ?? LINKED_ROLES_SCOPES).join(' '), state: input.state, prompt: 'consent' } as Parameters<AuthorizationCode['authorizeURL']>[0]);
  }

  async exchangeCode(input: { code: string; redirectUri: string }): Promise<DiscordTokenSet> {
    const token = await this.#call('authorization_code', () => this.#client.getToken({ code: input.code, redirect_uri: input.redirectUri, scope: [] }));
    return this.#toTokenSet(token.token);
  }

  /** Refreshes a grant. A refused grant throws a {@link DiscordUserApiError} whose `isGrantGone` is true. */
  async refresh(refreshToken: string): Promise<DiscordTokenSet> {
    const token = await this.#call('refresh_token', () => this.#client.createToken({ refresh_token: refreshToken }).refresh());
    return this.#toTokenSet(token.token);
  }

  #toTokenSet(raw: Record<string, unknown>): DiscordTokenSet {
    const { access_token: accessToken, refresh_token: refreshToken } = raw;
    if (typeof accessToken !== 'string' || !accessToken || typeof refreshToken !== 'string' || !refreshToken) {
      throw new DiscordUserApiError({ status: 200, call: 'authorization_code', error: 'invalid_response', detail: 'access_token or refresh_token missing' });
    }
    const expiresIn = Number(raw.expires_in);
    return {
      accessToken,
      refreshToken,
      scopes: typeof raw.scope === 'string' ? raw.scope.split(/\s+/).filter(Boolean) : [],
      expiresAt: new Date(this.#now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 604_800) * 1000),
    };
  }

  async #call(call: DiscordUserCall, fn: () => Promise<AccessToken>): Promise<AccessToken> {
    try {
      return await fn();
    } catch (error) {
      const boom = error as { isBoom?: boolean; output?: { statusCode?: number }; data?: { res?: { statusCode?: number }; payload?: unknown } };
      const status = boom?.data?.res?.statusCode ?? 0;
      const payload = boom?.data?.payload;
      const body = payload && typeof payload === 'object' && !Buffer.isBuffer(payload) ? (payload as Record<string, unknown>) : {};
      const code = typeof body.error === 'string' ? body.error : null;
      // Keep only Discord's documented error fields: never the request (which held the code or refresh token).
      const safeBody = code ? { error: code, ...(typeof body.error_description === 'string' ? { error_description: body.error_description } : {}) } : null;
      const timedOut = status === 0 && (boom?.output?.statusCode === 504 || boom?.output?.statusCode === 408);
      throw new DiscordUserApiError({ status, call, error: code, body: safeBody, detail: timedOut ? `timed out after ${this.#timeoutMs} ms` : undefined });
    }
  }
}
