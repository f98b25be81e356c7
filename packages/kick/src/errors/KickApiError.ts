import { KickError } from './KickError.ts';

/**
 * Kick's REST API answered with a non-2xx status (after retries). `body` is Kick's parsed body,
 * usually `{ data: "<reason>", message: "Bad request" }`. Never contains the bearer token.
 */
export class KickApiError extends KickError {
  override name = 'KickApiError' as const;

  readonly status: number;
  readonly method: string;
  /** Path without query string, e.g. `/public/v1/chat`. */
  readonly path: string;
  /** Kick's parsed response body (JSON when possible, otherwise text). */
  readonly body: unknown;
  /** Wait Kick asked for (from `Retry-After`) when it answered 429. */
  readonly retryAfterMs: number | undefined;

  constructor(input: { status: number; method: string; path: string; body: unknown; retryAfterMs?: number }) {
    super(`Kick API ${input.method} ${input.path} failed with ${input.status}${describeBody(input.body)}${hintFor(input.status)}`);
    this.status = input.status;
    this.method = input.method;
    this.path = input.path;
    this.body = input.body;
    this.retryAfterMs = input.retryAfterMs;
  }

  /** Kick's reason for refusing (`data` of its error envelope, e.g. "title must be at most 50 characters"), when it gave one. */
  get reason(): string | null {
    const b = this.body;
    if (typeof b === 'string') return b || null;
    if (b && typeof b === 'object') {
      const { data, error_description: description, error } = b as Record<string, unknown>;
      for (const v of [data, description, error]) if (typeof v === 'string' && v !== '') return v;
    }
    return null;
  }
}

function describeBody(body: unknown): string {
  if (typeof body === 'string') return body ? `: ${body.slice(0, 200)}` : '';
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const parts = [b.message, b.data, b.error, b.error_description].filter((v): v is string => typeof v === 'string' && v !== '');
    if (parts.length) return `: ${parts.join(' — ').slice(0, 200)}`;
  }
  return '';
}

function hintFor(status: number): string {
  switch (status) {
    case 401:
      return ' (the access token is invalid or expired — refresh it or have the user re-authorize)';
    case 403:
      return ' (the token lacks a scope this endpoint needs — re-authorize with KICKCORD_SCOPES)';
    case 429:
      return ' (rate limited by Kick — retry after retryAfterMs)';
    default:
      return status >= 500 ? ' (Kick server error — retry later)' : '';
  }
}
