import { KickError } from './KickError.ts';

/** Which OAuth operation failed. */
export type KickOAuthGrant = 'authorization_code' | 'refresh_token' | 'client_credentials' | 'revoke' | 'introspect';

/**
 * OAuth error codes that mean "this client is misconfigured", not "this user's grant is dead".
 * A refresh refused with any other 400/401 is treated as a dead grant (Kick's codes are undocumented ⚠).
 */
const CLIENT_ERROR_CODES = new Set(['invalid_client', 'unauthorized_client', 'unsupported_grant_type']);

/**
 * Kick's OAuth server (id.kick.com) refused a request. `error`/`errorDescription` come from Kick's
 * `{ error, error_description }` body. Tokens and client secrets are never included.
 */
export class KickOAuthError extends KickError {
  override name = 'KickOAuthError' as const;

  /** HTTP status, or 0 when no response was received. */
  readonly status: number;
  /** Kick's `error` code (e.g. `invalid_grant`), or null when the body had none. */
  readonly error: string | null;
  readonly errorDescription: string | null;
  readonly grant: KickOAuthGrant;

  constructor(input: { status: number; error: string | null; errorDescription?: string | null; grant: KickOAuthGrant; cause?: unknown }) {
    super(
      `Kick OAuth ${input.grant} failed${input.status ? ` with ${input.status}` : ''}${input.error ? ` (${input.error}${input.errorDescription ? `: ${input.errorDescription}` : ''})` : ''}${hint(input)}`,
      { cause: input.cause },
    );
    this.status = input.status;
    this.error = input.error;
    this.errorDescription = input.errorDescription ?? null;
    this.grant = input.grant;
  }

  /**
   * True when Kick refused the grant itself (expired/revoked refresh token or code): the connection
   * must be marked `needs_reauth` and the streamer asked to connect again. Retrying will not help.
   */
  get isInvalidGrant(): boolean {
    if (this.error === 'invalid_grant') return true;
    return this.grant === 'refresh_token' && (this.status === 400 || this.status === 401) && !CLIENT_ERROR_CODES.has(this.error ?? '');
  }
}

function hint(input: { status: number; error: string | null; grant: KickOAuthGrant }): string {
  if (input.error && CLIENT_ERROR_CODES.has(input.error)) {
    return ' — check KICK_CLIENT_ID / KICK_CLIENT_SECRET against your app at kick.com → Settings → Developer';
  }
  if (input.error === 'invalid_grant' || (input.grant === 'refresh_token' && (input.status === 400 || input.status === 401))) {
    return ' — the grant expired or was revoked; the streamer must connect Kick again';
  }
  if (input.status === 0) return ' — no answer from Kick; retry later';
  if (input.status >= 500) return ' — Kick server error; retry later';
  return '';
}
