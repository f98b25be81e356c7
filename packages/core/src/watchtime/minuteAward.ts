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
