/**
 * Formatting, ranking and paging helpers for leaderboards, points, `!watchtime` and `!uptime`.
 */

/**
 * A points amount with thousands separators and the right noun: `1` → `1 point`, `0` → `0 points`,
 * `1234` → `1,234 points`, `-1` → `-1 points`. Every place that prints an amount of points uses it.
 */
export function formatPointsAmount(points: number): string {
  return `${points.toLocaleString('en-US')} ${points === 1 ? 'point' : 'points'}`;
}

/**
 * Standard competition ranks ("1, 2, 2, 4") for one page of a leaderboard. `values` are the page's scores in
 * leaderboard order (highest first); `firstRank` is the rank of the page's first row (1 + the number of ranked
 * viewers with a strictly higher score), `offset` the number of rows before the page. A row that ties with the row
 * before it shares its rank; any other row is ranked by its position (`offset + index + 1`), so a tie across a page
 * boundary keeps the rank of the previous page.
 */
export function competitionRanks(values: readonly number[], firstRank: number, offset: number): number[] {
  const ranks: number[] = [];
  let rank = firstRank;
  values.forEach((value, i) => {
    if (i > 0 && value !== values[i - 1]) rank = offset + i + 1;
    ranks.push(rank);
  });
  return ranks;
}

/** Streams longer than this are not believed: a duration past it comes from a missing or zero start time. */
export const MAX_PLAUSIBLE_STREAM_MS = 31 * 24 * 60 * 60_000;
/** Kick started in December 2022; a stream "started" before 2022 is a zero or epoch time, not a real start. */
const EARLIEST_PLAUSIBLE_START_MS = Date.UTC(2022, 0, 1);

/**
 * Whole minutes a stream ran from `startedAt` to `endedAt` (RFC 3339 strings as Kick sends them), or undefined when
 * they do not describe a real stream: either one missing or unparsable, a start before 2022 (Kick sends zero times
 * such as `0001-01-01T00:00:00Z`, and an epoch 0 is no start either), an end before the start, or a stream of more
 * than {@link MAX_PLAUSIBLE_STREAM_MS} (31 days). Callers show "unknown" instead of an absurd "16885h".
 */
export function streamDurationMinutes(startedAt: string | null | undefined, endedAt: string | null | undefined): number | undefined {
  if (!startedAt || !endedAt) return undefined;
  const start = Date.parse(startedAt);
  const end = Date.parse(endedAt);
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < EARLIEST_PLAUSIBLE_START_MS) return undefined;
  const ms = end - start;
  if (ms < 0 || ms > MAX_PLAUSIBLE_STREAM_MS) return undefined;
  return Math.round(ms / 60_000);
}

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
