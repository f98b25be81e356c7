/**
 * Watchtime ("active minutes"): who counts as watching which minute.
 *
 * Kick publishes no viewer list, so a viewer counts as watching a minute when the channel is live and they
 * chatted within the guild's activity window. Bots, the broadcaster and excluded names never count. Missed
 * minutes after an outage are caught up, at most one activity window back.
 */
import { CoreInputError } from '../CoreInputError.ts';
import { normalizeUsername } from './loyaltySettings.ts';

/** Usernames of common chat bots, which never earn watchtime (compared case-insensitively). */
export const KNOWN_BOT_USERNAMES: readonly string[] = Object.freeze([
  'botrix',
  'kickbot',
  'kicklet',
  'streamelements',
  'nightbot',
  'fossabot',
  'moobot',
  'streamlabs',
  'wizebot',
  'sery_bot',
]);

/** Inputs of {@link isExcludedViewer}. */
export interface ExcludedViewerInput {
  readonly username: string;
  readonly userId: number;
  readonly broadcasterUserId: number;
  /** The guild's `excludedUsernames` (any case; a leading `@` is ignored). */
  readonly excluded: readonly string[];
}

/**
 * True if this viewer never earns watchtime or points: the broadcaster, a {@link KNOWN_BOT_USERNAMES} bot,
 * or a name on the guild's exclusion list (all compared case-insensitively).
 */
export function isExcludedViewer(input: ExcludedViewerInput): boolean {
  if (input.userId === input.broadcasterUserId) return true;
  const name = normalizeUsername(input.username);
  if (KNOWN_BOT_USERNAMES.includes(name)) return true;
  return input.excluded.some((e) => normalizeUsername(e) === name);
}

/** The integer minute index of a time: `floor(epochMs / 60000)`. Accepts a `Date` or epoch milliseconds. */
export function tickMinute(date: Date | number): number {
  const ms = typeof date === 'number' ? date : date.getTime();
  if (!Number.isFinite(ms)) throw new CoreInputError(`tickMinute needs a valid date (got ${String(date)}).`);
  return Math.floor(ms / 60_000);
}

/** The UTC calendar day (`YYYY-MM-DD`) of a time — the day `maxPointsPerDay` counts against. */
export function utcDay(date: Date | number): string {
  const d = typeof date === 'number' ? new Date(date) : date;
  if (!Number.isFinite(d.getTime())) throw new CoreInputError(`utcDay needs a valid date (got ${String(date)}).`);
  return d.toISOString().slice(0, 10);
}

/**
 * True if a viewer whose last chat message was at `lastChatAt` counts as watching during `minute`:
 * they chatted in that minute or in the `activityWindowMinutes - 1` minutes before it. A message after the
 * minute does not count backwards (we only know the latest message time).
 */
export function isActiveInMinute(input: { lastChatAt: Date | number | null; minute: number; activityWindowMinutes: number }): boolean {
  if (input.lastChatAt === null) return false;
  const chatMinute = tickMinute(input.lastChatAt);
  return chatMinute <= input.minute && chatMinute > input.minute - input.activityWindowMinutes;
}

/** Inputs of {@link minutesToCatchUp}. */
export interface CatchUpInput {
  /** The last minute already paid for this stream session, or `null` if none yet. */
  readonly lastTickMinute: number | null;
  /** The minute being processed now (see {@link tickMinute}). */
  readonly currentMinute: number;
  readonly activityWindowMinutes: number;
}

/**
 * The minute indexes to pay now, oldest first, ending with `currentMinute`.
 * After an outage the missed minutes are paid too, but never more than the activity window (older minutes
 * cannot be attributed honestly). No previous tick → just the current minute; already paid → empty.
 */
export function minutesToCatchUp(input: CatchUpInput): number[] {
  const window = Math.max(1, Math.floor(input.activityWindowMinutes));
  const current = input.currentMinute;
  const first = input.lastTickMinute === null ? current : Math.max(input.lastTickMinute + 1, current - window + 1);
  const minutes: number[] = [];
  for (let m = first; m <= current; m++) minutes.push(m);
  return minutes;
}
