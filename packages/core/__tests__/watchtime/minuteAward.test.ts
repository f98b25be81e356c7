import { describe, expect, it } from 'vitest';
import { awardForMinute, type AwardInput } from '../../src/watchtime/minuteAward.ts';

describe('awardForMinute', () => {
  const settings = { pointsPerMinute: 1, subscriberMultiplier: 1.5, maxMinutesPerStream: 0, maxPointsPerDay: 0 };
  const award = (patch: Partial<AwardInput['settings']>, input: Partial<Omit<AwardInput, 'settings'>> = {}) =>
    awardForMinute({ isSubscriber: false, minutesThisStream: 0, pointsToday: 0, ...input, settings: { ...settings, ...patch } });

  it.each([
    ['defaults, viewer', {}, {}, { minutes: 1, points: 1 }],
    ['defaults, subscriber floors 1.5 → 1', {}, { isSubscriber: true }, { minutes: 1, points: 1 }],
    ['rate 2 × 1.5 = 3', { pointsPerMinute: 2 }, { isSubscriber: true }, { minutes: 1, points: 3 }],
    ['rate 3 × 1.5 = 4.5 → 4', { pointsPerMinute: 3 }, { isSubscriber: true }, { minutes: 1, points: 4 }],
    ['rate 100 × 1.15 = 115 exactly', { pointsPerMinute: 100, subscriberMultiplier: 1.15 }, { isSubscriber: true }, { minutes: 1, points: 115 }],
    ['rate 10 × 1.1 = 11 exactly', { pointsPerMinute: 10, subscriberMultiplier: 1.1 }, { isSubscriber: true }, { minutes: 1, points: 11 }],
    ['multiplier ignored for non-subscribers', { pointsPerMinute: 10, subscriberMultiplier: 3 }, {}, { minutes: 1, points: 10 }],
    ['rate 0 still counts the minute', { pointsPerMinute: 0 }, { isSubscriber: true }, { minutes: 1, points: 0 }],
    ['stream cap not reached', { maxMinutesPerStream: 120 }, { minutesThisStream: 119 }, { minutes: 1, points: 1 }],
    ['stream cap reached', { maxMinutesPerStream: 120 }, { minutesThisStream: 120 }, { minutes: 0, points: 0 }],
    ['stream cap exceeded', { maxMinutesPerStream: 120 }, { minutesThisStream: 500 }, { minutes: 0, points: 0 }],
    ['stream cap 0 = none', { maxMinutesPerStream: 0 }, { minutesThisStream: 1_000_000 }, { minutes: 1, points: 1 }],
    ['day cap with room', { pointsPerMinute: 10, maxPointsPerDay: 100 }, { pointsToday: 50 }, { minutes: 1, points: 10 }],
    ['day cap partial award', { pointsPerMinute: 10, maxPointsPerDay: 100 }, { pointsToday: 95 }, { minutes: 1, points: 5 }],
    ['day cap reached: minute still counts', { pointsPerMinute: 10, maxPointsPerDay: 100 }, { pointsToday: 100 }, { minutes: 1, points: 0 }],
    ['day cap over (admin grants) never negative', { pointsPerMinute: 10, maxPointsPerDay: 100 }, { pointsToday: 150 }, { minutes: 1, points: 0 }],
    ['day cap after multiplier', { pointsPerMinute: 10, subscriberMultiplier: 2, maxPointsPerDay: 100 }, { isSubscriber: true, pointsToday: 85 }, { minutes: 1, points: 15 }],
    ['both caps: stream cap wins', { maxMinutesPerStream: 5, maxPointsPerDay: 100 }, { minutesThisStream: 5 }, { minutes: 0, points: 0 }],
  ] as [string, Partial<AwardInput['settings']>, Partial<AwardInput>, ReturnType<typeof awardForMinute>][])('%s', (_n, patch, input, expected) => {
    expect(award(patch, input)).toEqual(expected);
  });

  it('floors every multiplier in hundredths without float error', () => {
    const mismatches: string[] = [];
    for (let rate = 0; rate <= 1000; rate += 7) {
      for (let h = 100; h <= 1000; h += 5) {
        const points = award({ pointsPerMinute: rate, subscriberMultiplier: h / 100 }, { isSubscriber: true }).points;
        if (points !== Math.floor((rate * h) / 100)) mismatches.push(`${rate}×${h / 100}=${points}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
