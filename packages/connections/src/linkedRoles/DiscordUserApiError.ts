import { ConnectionsError } from '../ConnectionsError.ts';

/** Which Discord user-OAuth2 call failed. */
export type DiscordUserCall =
  | 'authorization_code'
  | 'refresh_token'
  | 'get_current_user'
  | 'get_current_user_guilds'
  | 'get_guild_channels'
  | 'get_guild_member'
  | 'get_guild_roles'
  | 'put_role_connection'
  | 'put_role_connection_metadata';

/**
 * Discord refused (or did not answer) a call made for a user's Linked Roles grant or the app's role connection
 * metadata. Carries Discord's status, OAuth `error` code or JSON error body — never a token, code or secret.
 */
export class DiscordUserApiError extends ConnectionsError {
  override name = 'DiscordUserApiError';
  /** HTTP status, or 0 when no answer arrived (network error, timeout). */
  readonly status: number;
  readonly call: DiscordUserCall;
  /** OAuth2 `error` code (`invalid_grant`, `invalid_client`, …) or Discord's JSON error `code`, when given. */
  readonly error: string | null;
  /** The answer's body (Discord's error object), never holding secrets. */
  readonly body: unknown;
  /** For 429: how long Discord asks to wait. */
  readonly retryAfterMs: number | null;

  constructor(input: { status: number; call: DiscordUserCall; error?: string | null; body?: unknown; retryAfterMs?: number | null; detail?: string | undefined }) {
    super(`Discord ${input.call} failed${input.status ? ` with ${input.status}` : ''}${input.error ? ` (${input.error})` : ''}${input.detail ? `: ${input.detail}` : ''}${hint(input)}`);
    this.status = input.status;
    this.call = input.call;
    this.error = input.error ?? null;
    this.body = input.body ?? null;
    this.retryAfterMs = input.retryAfterMs ?? null;
  }

  /**
   * Discord no longer honours the user's grant: a refresh refused with `invalid_grant`, or a bearer call refused
   * with 401 (the user removed the app under Authorized Apps, or the token was revoked). Retrying cannot help.
   */
  get isGrantGone(): boolean {
    if (this.call === 'refresh_token') return this.error === 'invalid_grant';
    return this.status === 401 && this.call !== 'authorization_code' && this.call !== 'put_role_connection_metadata';
  }
}

function hint(input: { status: number; call: DiscordUserCall; error?: string | null }): string {
  if (input.error === 'invalid_client' || (input.call === 'put_role_connection_metadata' && input.status === 401)) {
    return ' — check DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET and DISCORD_TOKEN against the Developer Portal';
  }
  if (input.status === 0) return ' — no answer from Discord; retry later';
  if (input.status === 429) return ' — rate limited; retry after the wait';
  if (input.status >= 500) return ' — Discord server error; retry later';
  return '';
}
