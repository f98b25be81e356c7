/**
 * A guild's loyalty tunables: their defaults, limits and the validation of a moderator's change.
 * How the settings are applied lives in `activeMinutes.ts` (who earns when) and `minuteAward.ts` (rates and caps).
 */
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

/** Result of {@link validateLoyaltySettings}: the normalized patch, or every problem found. */
export type LoyaltySettingsResult =
  | { ok: true; settings: Partial<LoyaltySettings> }
  | { ok: false; errors: string[] };

const USERNAME_PATTERN = /^[a-z0-9_.-]{1,32}$/;

/** A username as stored and compared: trimmed, without leading `@`, lower-cased. */
export function normalizeUsername(name: string): string {
  return name.trim().replace(/^@+/, '').toLowerCase();
}

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
      const name = normalizeUsername(String(raw));
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
