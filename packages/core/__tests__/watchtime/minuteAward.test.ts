import { describe, expect, it } from 'vitest';
import { accrueWatchPoints, awardForMinute, type AwardInput } from '../../src/watchtime/minuteAward.ts';

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
  ] as [string, Partial<AwardInput['settings']>, Partial<AwardInput>, Omit<ReturnType<typeof awardForMinute>, 'carryHundredths'>][])('%s', (_n, patch, input, expected) => {
    const { minutes, points } = award(patch, input);
    expect({ minutes, points }).toEqual(expected);
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

  it('carries the fraction a subscriber multiplier leaves to the next minute: 1.5× over 10 minutes pays 15', () => {
    let carry = 0;
    const paid: number[] = [];
    for (let m = 0; m < 10; m++) {
      const a = award({}, { isSubscriber: true, carryHundredths: carry });
      paid.push(a.points);
      carry = a.carryHundredths;
    }
    expect(paid).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
    expect(paid.reduce((x, y) => x + y, 0)).toBe(15);
    expect(carry).toBe(0);
    // A capped minute keeps the carry as it was.
    expect(award({ maxMinutesPerStream: 1 }, { isSubscriber: true, minutesThisStream: 1, carryHundredths: 50 })).toEqual({ minutes: 0, points: 0, carryHundredths: 50 });
  });
});

describe('accrueWatchPoints', () => {
  const settings = { pointsPerMinute: 1, subscriberMultiplier: 1.5 };
  it.each([
    ['1.5 × 5 = 7.5 pays 7, carries 50', { minutes: 5 }, { points: 7, carryHundredths: 50 }],
    ['the carried 50 makes the next 5 minutes pay 8 (15 in 10)', { minutes: 5, carryHundredths: 50 }, { points: 8, carryHundredths: 0 }],
    ['1.15 × 3 = 3.45', { minutes: 3, settings: { pointsPerMinute: 1, subscriberMultiplier: 1.15 } }, { points: 3, carryHundredths: 45 }],
    ['non-subscribers earn whole points, carry untouched', { minutes: 5, isSubscriber: false, carryHundredths: 30 }, { points: 5, carryHundredths: 30 }],
    ['0 minutes pays nothing', { minutes: 0, carryHundredths: 99 }, { points: 0, carryHundredths: 99 }],
  ] as [string, Partial<Parameters<typeof accrueWatchPoints>[0]>, ReturnType<typeof accrueWatchPoints>][])('%s', (_n, input, expected) => {
    expect(accrueWatchPoints({ isSubscriber: true, settings, minutes: 1, ...input })).toEqual(expected);
  });

  it('pays the same total in blocks of any size as minute by minute', () => {
    for (const h of [115, 133, 150, 175, 199, 250]) {
      const s = { pointsPerMinute: 3, subscriberMultiplier: h / 100 };
      let carry = 0;
      let perMinute = 0;
      for (let m = 0; m < 60; m++) {
        const a = accrueWatchPoints({ isSubscriber: true, settings: s, minutes: 1, carryHundredths: carry });
        perMinute += a.points;
        carry = a.carryHundredths;
      }
      for (const block of [2, 3, 4, 5, 6, 10, 12, 15]) {
        let c = 0;
        let total = 0;
        for (let m = 0; m < 60; m += block) {
          const a = accrueWatchPoints({ isSubscriber: true, settings: s, minutes: block, carryHundredths: c });
          total += a.points;
          c = a.carryHundredths;
        }
        expect([h, block, total, c]).toEqual([h, block, perMinute, carry]);
      }
      expect(perMinute).toBe(Math.floor((3 * h * 60) / 100));
    }
  });
});
