/**
 * What one active minute earns: one minute of watchtime and `pointsPerMinute` points (× the subscriber
 * multiplier), subject to the per-stream minutes cap and the per-day points cap.
 */
import type { LoyaltySettings } from './loyaltySettings.ts';

/** Inputs of {@link awardForMinute}. */
export interface AwardInput {
  readonly isSubscriber: boolean;
  readonly settings: Pick<LoyaltySettings, 'pointsPerMinute' | 'subscriberMultiplier' | 'maxMinutesPerStream' | 'maxPointsPerDay'>;
  /** Active minutes this viewer already earned in this stream session. */
  readonly minutesThisStream: number;
  /** Watch points this viewer already earned today (the UTC day, see `utcDay`). */
  readonly pointsToday: number;
  /**
   * Hundredths of a point the viewer earned earlier and was not yet paid (0–99, default 0): the fractions a
   * subscriber multiplier leaves (1 × 1.5 = 1.5 pays 1 and carries 50, so the next minute pays 2).
   */
  readonly carryHundredths?: number;
}

/** What one active minute earns. */
export interface MinuteAward {
  readonly minutes: 0 | 1;
  readonly points: number;
  /** Hundredths of a point carried to the viewer's next minute (0–99). */
  readonly carryHundredths: number;
}

/**
 * What one active minute earns a viewer.
 * - Per-stream cap reached (`maxMinutesPerStream > 0`): nothing (`{ minutes: 0, points: 0 }`).
 * - Otherwise 1 minute and `pointsPerMinute × multiplier` points (multiplier only for subscribers; computed
 *   in integer hundredths so 1.15 × 100 is exactly 115), whole points paid and the fraction carried to the
 *   next minute (see {@link accrueWatchPoints}).
 * - Daily points cap (`maxPointsPerDay > 0`): points are cut to what is left of the cap (a partial award up
 *   to the cap, then 0) — the minute still counts as watchtime.
 */
export function awardForMinute(input: AwardInput): MinuteAward {
  const { settings } = input;
  const carry = Math.min(99, Math.max(0, Math.floor(input.carryHundredths ?? 0)));
  if (settings.maxMinutesPerStream > 0 && input.minutesThisStream >= settings.maxMinutesPerStream) {
    return { minutes: 0, points: 0, carryHundredths: carry };
  }
  const earned = accrueWatchPoints({ isSubscriber: input.isSubscriber, settings, minutes: 1, carryHundredths: carry });
  let points = earned.points;
  if (settings.maxPointsPerDay > 0) {
    points = Math.min(points, Math.max(0, settings.maxPointsPerDay - input.pointsToday));
  }
  return { minutes: 1, points, carryHundredths: earned.carryHundredths };
}

/** Inputs of {@link accrueWatchPoints}. */
export interface AccrueInput {
  readonly isSubscriber: boolean;
  readonly settings: Pick<LoyaltySettings, 'pointsPerMinute' | 'subscriberMultiplier'>;
  /** Active minutes paid at once (a payout block). */
  readonly minutes: number;
  /** Hundredths of a point carried from earlier (0–99, default 0). */
  readonly carryHundredths?: number;
}

/**
 * The points `minutes` active minutes earn before caps, exactly: `pointsPerMinute × multiplier` (for
 * subscribers; in integer hundredths) per minute, summed with the carried hundredths, paid in whole points,
 * the remaining hundredths carried (0–99). So 1.5× at 1 point a minute pays 15 over 10 minutes, whether paid
 * minute by minute or in blocks of any size. The watch tick's SQL (`appendWatchTickBatch`) does the same.
 */
export function accrueWatchPoints(input: AccrueInput): { points: number; carryHundredths: number } {
  const rate = Math.max(0, Math.floor(input.settings.pointsPerMinute));
  const hundredths = input.isSubscriber ? Math.max(100, Math.round(input.settings.subscriberMultiplier * 100)) : 100;
  const carry = Math.min(99, Math.max(0, Math.floor(input.carryHundredths ?? 0)));
  const total = rate * hundredths * Math.max(0, Math.floor(input.minutes)) + carry;
  return { points: Math.floor(total / 100), carryHundredths: total % 100 };
}
