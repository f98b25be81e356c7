/**
 * Watchtime ("active minutes") and loyalty points accrual.
 *
 * Kick publishes no viewer list, so a viewer counts as watching a minute when the channel is live and they
 * chatted within the guild's activity window. Each such minute earns one active minute and
 * `pointsPerMinute` points (× the subscriber multiplier), subject to per-stream and per-day caps.
 * Ledger rows are made exactly-once by the idempotency keys built here.
 */
import { CoreInputError } from './CoreInputError.ts';

/** A guild's loyalty tunables (stored in `GuildSettings`). */
export interface LoyaltySettings {
  /** A viewer who chatted within this many minutes counts as watching (1–60). */
  readonly activityWindowMinutes: number;
  /** Points per active minute (whole number 0–1000). */
  readonly pointsPerMinute: number;
  /** Multiplier for subscribers (1–10); points are floored after multiplying. */
  readonly subscriberMultiplier: number;
  /** Most active minutes one viewer earns per stream (0 = no cap). */
  readonly maxMinutesPerStream: number;
  /** Most watch points one viewer earns per day (0 = no cap). */
  readonly maxPointsPerDay: number;
  /** Lower-cased usernames that never earn (other bots, alts). */
  readonly excludedUsernames: readonly string[];
}

/** What a new guild gets. */
export const DEFAULT_LOYALTY_SETTINGS: LoyaltySettings = Object.freeze({
  activityWindowMinutes: 5,
  pointsPerMinute: 1,
  subscriberMultiplier: 1.5,
  maxMinutesPerStream: 0,
  maxPointsPerDay: 0,
  excludedUsernames: Object.freeze([]) as readonly string[],
});

/** Largest value a cap may take (PostgreSQL `integer`). */
export const MAX_INT32 = 2_147_483_647;

/** Most entries in `excludedUsernames`. */
export const MAX_EXCLUDED_USERNAMES = 200;

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

/** Result of {@link validateLoyaltySettings}: the normalized patch, or every problem found. */
export type LoyaltySettingsResult =
  | { ok: true; settings: Partial<LoyaltySettings> }
  | { ok: false; errors: string[] };

const USERNAME_PATTERN = /^[a-z0-9_.-]{1,32}$/;

function checkInteger(errors: string[], label: string, value: unknown, min: number, max: number, hint = ''): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    errors.push(`${label} must be a whole number from ${min} to ${max}${hint} (got ${String(value)}).`);
  }
}

/**
 * Validates a (partial) settings change as typed by a moderator. Only the fields present are checked:
 * - `activityWindowMinutes` whole number 1–60
 * - `pointsPerMinute` whole number 0–1000
 * - `subscriberMultiplier` number 1–10 (at most 2 decimals)
 * - `maxMinutesPerStream`, `maxPointsPerDay` whole numbers ≥ 0 (0 = no cap)
 * - `excludedUsernames` at most 200 Kick usernames (a leading `@` is dropped; stored lower-cased, de-duplicated)
 * Returns the normalized patch to merge over the current settings.
 */
export function validateLoyaltySettings(patch: Partial<LoyaltySettings>): LoyaltySettingsResult {
  const errors: string[] = [];
  const settings: { -readonly [K in keyof LoyaltySettings]?: LoyaltySettings[K] } = {};
  if (patch.activityWindowMinutes !== undefined) {
    checkInteger(errors, 'Activity window', patch.activityWindowMinutes, 1, 60, ' minutes');
    settings.activityWindowMinutes = patch.activityWindowMinutes;
  }
  if (patch.pointsPerMinute !== undefined) {
    checkInteger(errors, 'Points per minute', patch.pointsPerMinute, 0, 1000);
    settings.pointsPerMinute = patch.pointsPerMinute;
  }
  if (patch.subscriberMultiplier !== undefined) {
    const m = patch.subscriberMultiplier;
    if (typeof m !== 'number' || !Number.isFinite(m) || m < 1 || m > 10) {
      errors.push(`Subscriber multiplier must be a number from 1 to 10, e.g. 1.5 (got ${String(m)}).`);
    } else if (Math.abs(Math.round(m * 100) - m * 100) > 1e-6) {
      errors.push(`Subscriber multiplier may have at most 2 decimals, e.g. 1.25 (got ${m}).`);
    }
    settings.subscriberMultiplier = m;
  }
  if (patch.maxMinutesPerStream !== undefined) {
    checkInteger(errors, 'Max minutes per stream', patch.maxMinutesPerStream, 0, MAX_INT32, ' (0 = no cap)');
    settings.maxMinutesPerStream = patch.maxMinutesPerStream;
  }
  if (patch.maxPointsPerDay !== undefined) {
    checkInteger(errors, 'Max points per day', patch.maxPointsPerDay, 0, MAX_INT32, ' (0 = no cap)');
    settings.maxPointsPerDay = patch.maxPointsPerDay;
  }
  if (patch.excludedUsernames !== undefined) {
    const names: string[] = [];
    for (const raw of patch.excludedUsernames) {
      const name = String(raw).trim().replace(/^@+/, '').toLowerCase();
      if (!USERNAME_PATTERN.test(name)) {
        errors.push(`Excluded username "${String(raw)}" is not a Kick username — use letters, digits, _ . or - (max 32).`);
      } else if (!names.includes(name)) {
        names.push(name);
      }
    }
    if (names.length > MAX_EXCLUDED_USERNAMES) {
      errors.push(`At most ${MAX_EXCLUDED_USERNAMES} excluded usernames are allowed (got ${names.length}).`);
    }
    settings.excludedUsernames = names;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings };
}

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
  const name = input.username.trim().replace(/^@+/, '').toLowerCase();
  if (KNOWN_BOT_USERNAMES.includes(name)) return true;
  return input.excluded.some((e) => e.trim().replace(/^@+/, '').toLowerCase() === name);
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

/** Inputs of {@link awardForMinute}. */
export interface AwardInput {
  readonly isSubscriber: boolean;
  readonly settings: Pick<LoyaltySettings, 'pointsPerMinute' | 'subscriberMultiplier' | 'maxMinutesPerStream' | 'maxPointsPerDay'>;
  /** Active minutes this viewer already earned in this stream session. */
  readonly minutesThisStream: number;
  /** Watch points this viewer already earned today (see {@link utcDay}). */
  readonly pointsToday: number;
}

/** What one active minute earns. */
export interface MinuteAward {
  readonly minutes: 0 | 1;
  readonly points: number;
}

/**
 * What one active minute earns a viewer.
 * - Per-stream cap reached (`maxMinutesPerStream > 0`): nothing (`{ minutes: 0, points: 0 }`).
 * - Otherwise 1 minute and `floor(pointsPerMinute × multiplier)` points (multiplier only for subscribers;
 *   computed in integer hundredths so 1.15 × 100 is exactly 115).
 * - Daily points cap (`maxPointsPerDay > 0`): points are cut to what is left of the cap (a partial award up
 *   to the cap, then 0) — the minute still counts as watchtime.
 */
export function awardForMinute(input: AwardInput): MinuteAward {
  const { settings } = input;
  if (settings.maxMinutesPerStream > 0 && input.minutesThisStream >= settings.maxMinutesPerStream) {
    return { minutes: 0, points: 0 };
  }
  const rate = Math.max(0, Math.floor(settings.pointsPerMinute));
  const hundredths = input.isSubscriber ? Math.max(100, Math.round(settings.subscriberMultiplier * 100)) : 100;
  let points = Math.floor((rate * hundredths) / 100);
  if (settings.maxPointsPerDay > 0) {
    points = Math.min(points, Math.max(0, settings.maxPointsPerDay - input.pointsToday));
  }
  return { minutes: 1, points };
}

/** Inputs of {@link minutesToCatchUp}. */
export interface CatchUpInput {
  /** The last minute already paid for this session, or `null` if none yet. */
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

/**
 * Payout intervals an operator may choose (`WATCH_PAYOUT_MINUTES`): divisors of 60 up to 15, so a payout
 * block never straddles an hour or a UTC day (the daily points cap stays exact per block).
 */
export const PAYOUT_MINUTES_CHOICES = [1, 2, 3, 4, 5, 6, 10, 12, 15] as const;

function checkPayoutMinutes(payoutMinutes: number): number {
  if (!(PAYOUT_MINUTES_CHOICES as readonly number[]).includes(payoutMinutes)) {
    throw new CoreInputError(`payout interval must be one of ${PAYOUT_MINUTES_CHOICES.join(', ')} minutes (got ${payoutMinutes}).`);
  }
  return payoutMinutes;
}

/** First minute of the payout block holding `minute`. Blocks are aligned to the epoch: `[B·k, B·k + B)`. */
export function payoutBlockStart(minute: number, payoutMinutes: number): number {
  const b = checkPayoutMinutes(payoutMinutes);
  return Math.floor(minute / b) * b;
}

/**
 * How many minutes after its block ends a session is paid (0 … B − 1): a stable hash of the session id,
 * so the channels of a big deployment settle on different minutes and every tick carries about 1/B of them.
 */
export function payoutPhase(sessionId: string, payoutMinutes: number): number {
  const b = checkPayoutMinutes(payoutMinutes);
  if (b === 1) return 0;
  let h = 0x811c9dc5; // FNV-1a, 32 bit
  for (let i = 0; i < sessionId.length; i++) {
    h ^= sessionId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % b;
}

/**
 * The last minute a session may be paid for at `currentMinute`: the end of the newest block that ended at
 * least `phase` minutes ago. With a 1-minute interval this is `currentMinute` itself (pay every minute).
 */
export function payableThrough(currentMinute: number, payoutMinutes: number, phase: number): number {
  return payoutBlockStart(currentMinute - phase + 1, payoutMinutes) - 1;
}

function requirePart(label: string, value: string | number): string {
  const text = String(value);
  if (text.length === 0 || /[\s:]/.test(text)) {
    throw new CoreInputError(`${label} must be non-empty without spaces or ":" (got "${text}").`);
  }
  return text;
}

/**
 * Idempotency key of a watch tick: `tick:<session>:<minute>` for the minute as a whole (a job id or lock),
 * or `tick:<session>:<minute>:<kickUserId>` for one viewer's ledger row — ledger keys are unique per guild,
 * so per-viewer rows must pass `kickUserId`.
 */
export function tickKey(sessionId: string, minute: number, kickUserId?: number): string {
  if (!Number.isInteger(minute)) throw new CoreInputError(`tickKey minute must be an integer minute index (got ${minute}).`);
  const base = `tick:${requirePart('sessionId', sessionId)}:${minute}`;
  return kickUserId === undefined ? base : `${base}:${requirePart('kickUserId', kickUserId)}`;
}

/** Idempotency key of an effect of a Kick event: `msg:<messageId>` or `msg:<messageId>:<suffix>`. */
export function eventKey(messageId: string, suffix?: string): string {
  const base = `msg:${requirePart('messageId', messageId)}`;
  return suffix === undefined ? base : `${base}:${requirePart('suffix', suffix)}`;
}

/** Idempotency key of a moderator's slash-command change: `admin:<interactionId>`. */
export function adminKey(interactionId: string): string {
  return `admin:${requirePart('interactionId', interactionId)}`;
}

/**
 * Idempotency key of the follow bonus: `follow:<broadcasterId>:<userId>` — once ever per viewer per channel,
 * so unfollowing and following again earns nothing.
 */
export function followKey(broadcasterUserId: number, userId: number): string {
  return `follow:${requirePart('broadcasterUserId', broadcasterUserId)}:${requirePart('userId', userId)}`;
}
