/**
 * Formatting and paging helpers for leaderboards, `!watchtime` and `!uptime`.
 */

/**
 * Formats a number of minutes as hours and zero-padded minutes: `185` → `3h 05m`, `45` → `45m`,
 * `0` → `0m`. Hours are not rolled into days (`1500` → `25h 00m`). Fractions are floored; negative or
 * non-finite input counts as 0.
 */
export function formatDuration(minutes: number): string {
  const total = Number.isFinite(minutes) && minutes > 0 ? Math.floor(minutes) : 0;
  const hours = Math.floor(total / 60);
  const mins = total % 60;
  if (hours === 0) return `${mins}m`;
  return `${hours}h ${String(mins).padStart(2, '0')}m`;
}

/**
 * How long a stream has been live, formatted like {@link formatDuration} (whole minutes, floored).
 * `startedAt` after `now` (clock skew) gives `0m`. Accepts `Date`s or epoch milliseconds.
 */
export function formatUptime(startedAt: Date | number, now: Date | number): string {
  const start = typeof startedAt === 'number' ? startedAt : startedAt.getTime();
  const end = typeof now === 'number' ? now : now.getTime();
  return formatDuration(Math.floor((end - start) / 60_000));
}

/** One page of a list, from {@link paginate}. Pages are 1-based. */
export interface Page {
  /** The page shown (the requested one, clamped into `1..pages`). */
  readonly page: number;
  readonly pageSize: number;
  /** Number of pages; at least 1 even for an empty list. */
  readonly pages: number;
  /** Rows to skip (SQL `OFFSET`). */
  readonly offset: number;
  /** Rows to take (SQL `LIMIT`); 0 for an empty list. */
  readonly limit: number;
  /** 1-based rank of the first row on this page (0 when empty). */
  readonly from: number;
  /** 1-based rank of the last row on this page (0 when empty). */
  readonly to: number;
  readonly hasPrevious: boolean;
  readonly hasNext: boolean;
}

/**
 * Computes paging for `total` rows. `page` is 1-based and clamped into range (a page past the end shows
 * the last page, page 0 or less the first; non-integers are floored). `pageSize` must be a positive integer
 * (otherwise 10 is used).
 */
export function paginate(total: number, page: number, pageSize: number): Page {
  const size = Number.isInteger(pageSize) && pageSize > 0 ? pageSize : 10;
  const rows = Number.isFinite(total) && total > 0 ? Math.floor(total) : 0;
  const pages = Math.max(1, Math.ceil(rows / size));
  const requested = Number.isFinite(page) ? Math.floor(page) : 1;
  const current = Math.min(Math.max(requested, 1), pages);
  const offset = (current - 1) * size;
  const limit = Math.max(0, Math.min(size, rows - offset));
  return {
    page: current,
    pageSize: size,
    pages,
    offset,
    limit,
    from: limit > 0 ? offset + 1 : 0,
    to: limit > 0 ? offset + limit : 0,
    hasPrevious: current > 1,
    hasNext: current < pages,
  };
}
