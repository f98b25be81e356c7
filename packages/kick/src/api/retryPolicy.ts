/**
 * How a request may be retried.
 * - `idempotent`: repeating it cannot do harm (GET/PATCH/DELETE, bans) — retried on 429, 5xx,
 *   timeouts and network errors.
 * - `at_most_once`: repeating it could duplicate an effect (a chat message, an event subscription —
 *   Kick happily stores duplicates). Retried only when Kick certainly did not act: 429, or the
 *   connection failed before the request was sent. A 5xx or timeout may mean it was processed,
 *   so it surfaces to the caller instead.
 */
export type RetryMode = 'idempotent' | 'at_most_once';

/** Network error codes that mean the request never reached Kick. */
export const NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Parses `Retry-After` (delta seconds or HTTP date) into milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with jitter: a random wait in [50 %, 100 %] of min(cap, base · 2^attempt). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/** The network error code (undici puts it on `cause`), if any. */
export function networkErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown; cause?: { code?: unknown } } };
  const code = e?.cause?.code ?? e?.code ?? e?.cause?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}
