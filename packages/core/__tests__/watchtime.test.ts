import { describe, expect, it } from 'vitest';
import {
  adminKey,
  awardForMinute,
  type AwardInput,
  CoreInputError,
  DEFAULT_LOYALTY_SETTINGS,
  eventKey,
  followKey,
  isActiveInMinute,
  isExcludedViewer,
  KNOWN_BOT_USERNAMES,
  minutesToCatchUp,
  PAYOUT_MINUTES_CHOICES,
  payableThrough,
  payoutBlockStart,
  payoutPhase,
  tickKey,
  tickMinute,
  utcDay,
  validateLoyaltySettings,
} from '../src/index.ts';

describe('DEFAULT_LOYALTY_SETTINGS', () => {
  it('matches the documented defaults', () => {
    expect(DEFAULT_LOYALTY_SETTINGS).toEqual({
      activityWindowMinutes: 5,
      pointsPerMinute: 1,
      subscriberMultiplier: 1.5,
      maxMinutesPerStream: 0,
      maxPointsPerDay: 0,
      excludedUsernames: [],
    });
    expect(validateLoyaltySettings(DEFAULT_LOYALTY_SETTINGS).ok).toBe(true);
  });
});

describe('validateLoyaltySettings', () => {
  it('accepts boundaries and normalizes usernames', () => {
    expect(
      validateLoyaltySettings({
        activityWindowMinutes: 60,
        pointsPerMinute: 0,
        subscriberMultiplier: 10,
        maxMinutesPerStream: 0,
        maxPointsPerDay: 5000,
        excludedUsernames: ['@MyBot', 'mybot', ' alt_account '],
      }),
    ).toEqual({
      ok: true,
      settings: {
        activityWindowMinutes: 60,
        pointsPerMinute: 0,
        subscriberMultiplier: 10,
        maxMinutesPerStream: 0,
        maxPointsPerDay: 5000,
        excludedUsernames: ['mybot', 'alt_account'],
      },
    });
    expect(validateLoyaltySettings({})).toEqual({ ok: true, settings: {} });
    expect(validateLoyaltySettings({ activityWindowMinutes: 1, pointsPerMinute: 1000, subscriberMultiplier: 1 }).ok).toBe(true);
    expect(validateLoyaltySettings({ subscriberMultiplier: 1.15 }).ok).toBe(true);
  });

  it.each([
    [{ activityWindowMinutes: 0 }, 'Activity window must be a whole number from 1 to 60 minutes (got 0).'],
    [{ activityWindowMinutes: 61 }, 'Activity window must be a whole number from 1 to 60 minutes (got 61).'],
    [{ activityWindowMinutes: 2.5 }, 'Activity window must be a whole number from 1 to 60 minutes (got 2.5).'],
    [{ pointsPerMinute: -1 }, 'Points per minute must be a whole number from 0 to 1000 (got -1).'],
    [{ pointsPerMinute: 1001 }, 'Points per minute must be a whole number from 0 to 1000 (got 1001).'],
    [{ subscriberMultiplier: 0.5 }, 'Subscriber multiplier must be a number from 1 to 10, e.g. 1.5 (got 0.5).'],
    [{ subscriberMultiplier: 11 }, 'Subscriber multiplier must be a number from 1 to 10, e.g. 1.5 (got 11).'],
    [{ subscriberMultiplier: Number.NaN }, 'Subscriber multiplier must be a number from 1 to 10, e.g. 1.5 (got NaN).'],
    [{ subscriberMultiplier: 1.125 }, 'Subscriber multiplier may have at most 2 decimals, e.g. 1.25 (got 1.125).'],
    [{ maxMinutesPerStream: -1 }, 'Max minutes per stream must be a whole number from 0 to 2147483647 (0 = no cap) (got -1).'],
    [{ maxPointsPerDay: 1.5 }, 'Max points per day must be a whole number from 0 to 2147483647 (0 = no cap) (got 1.5).'],
    [{ maxPointsPerDay: 3_000_000_000 }, 'Max points per day must be a whole number from 0 to 2147483647 (0 = no cap) (got 3000000000).'],
    [{ excludedUsernames: ['good', 'bad name'] }, 'Excluded username "bad name" is not a Kick username — use letters, digits, _ . or - (max 32).'],
    [{ excludedUsernames: Array.from({ length: 201 }, (_, i) => `u${i}`) }, 'At most 200 excluded usernames are allowed (got 201).'],
  ])('%j', (patch, error) => {
    expect(validateLoyaltySettings(patch)).toEqual({ ok: false, errors: [error] });
  });

  it('lists every error', () => {
    const result = validateLoyaltySettings({ activityWindowMinutes: 0, pointsPerMinute: -1, subscriberMultiplier: 0 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toHaveLength(3);
  });
});

describe('isExcludedViewer', () => {
  const base = { username: 'viewer', userId: 2, broadcasterUserId: 1, excluded: [] as string[] };
  it.each([
    ['a normal viewer', {}, false],
    ['the broadcaster', { userId: 1, username: 'streamer' }, true],
    ['BotRix', { username: 'BotRix' }, true],
    ['kickbot', { username: 'kickbot' }, true],
    ['StreamElements', { username: 'StreamElements' }, true],
    ['a guild-excluded name, any case', { username: 'MyAlt', excluded: ['myalt'] }, true],
    ['an excluded name listed with @', { username: 'myalt', excluded: ['@MyAlt'] }, true],
    ['a similar but different name', { username: 'botrix2' }, false],
  ])('%s', (_name, patch, expected) => {
    expect(isExcludedViewer({ ...base, ...patch })).toBe(expected);
  });

  it('knows the common bots', () => {
    for (const bot of ['botrix', 'kickbot', 'streamelements']) expect(KNOWN_BOT_USERNAMES).toContain(bot);
  });
});

describe('tickMinute / utcDay', () => {
  it('floors epoch milliseconds to minutes', () => {
    expect(tickMinute(0)).toBe(0);
    expect(tickMinute(59_999)).toBe(0);
    expect(tickMinute(60_000)).toBe(1);
    expect(tickMinute(new Date('2026-01-01T00:00:59.999Z'))).toBe(Date.UTC(2026, 0, 1) / 60_000);
    expect(tickMinute(-1)).toBe(-1);
    expect(() => tickMinute(Number.NaN)).toThrow(CoreInputError);
  });

  it('gives the UTC day', () => {
    expect(utcDay(new Date('2026-03-01T23:59:59Z'))).toBe('2026-03-01');
    expect(utcDay(Date.UTC(2026, 2, 2))).toBe('2026-03-02');
    expect(() => utcDay(new Date('nope'))).toThrow(CoreInputError);
  });
});

describe('isActiveInMinute', () => {
  const chatAt = 100 * 60_000 + 30_000; // minute 100
  it.each([
    [99, false],
    [100, true],
    [104, true],
    [105, false],
  ])('window 5, chatted in minute 100, minute %s → %s', (minute, expected) => {
    expect(isActiveInMinute({ lastChatAt: chatAt, minute, activityWindowMinutes: 5 })).toBe(expected);
  });

  it('never active without a message', () => {
    expect(isActiveInMinute({ lastChatAt: null, minute: 1, activityWindowMinutes: 5 })).toBe(false);
  });
});

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

describe('minutesToCatchUp', () => {
  it.each([
    ['first tick of a session', null, 1000, 5, [1000]],
    ['caught up', 1000, 1000, 5, []],
    ['clock went backwards', 1001, 1000, 5, []],
    ['next minute', 999, 1000, 5, [1000]],
    ['short outage', 997, 1000, 5, [998, 999, 1000]],
    ['outage exactly the window', 995, 1000, 5, [996, 997, 998, 999, 1000]],
    ['outage longer than the window', 900, 1000, 5, [996, 997, 998, 999, 1000]],
    ['window 1', 990, 1000, 1, [1000]],
    ['window 60 long outage', 0, 1000, 60, Array.from({ length: 60 }, (_, i) => 941 + i)],
  ] as [string, number | null, number, number, number[]][])('%s', (_n, lastTickMinute, currentMinute, activityWindowMinutes, expected) => {
    expect(minutesToCatchUp({ lastTickMinute, currentMinute, activityWindowMinutes })).toEqual(expected);
  });

  it('never returns more than the window', () => {
    for (let gap = 0; gap < 100; gap++) {
      const minutes = minutesToCatchUp({ lastTickMinute: 500 - gap, currentMinute: 500, activityWindowMinutes: 10 });
      expect(minutes.length).toBe(Math.min(gap, 10));
    }
  });
});

describe('idempotency keys', () => {
  it('builds the documented shapes', () => {
    expect(tickKey('sess-1', 29_000_000)).toBe('tick:sess-1:29000000');
    expect(tickKey('sess-1', 29_000_000, 42)).toBe('tick:sess-1:29000000:42');
    expect(eventKey('01HZX')).toBe('msg:01HZX');
    expect(eventKey('01HZX', 'giftee-7')).toBe('msg:01HZX:giftee-7');
    expect(adminKey('1234567890')).toBe('admin:1234567890');
    expect(followKey(1, 2)).toBe('follow:1:2');
  });

  it('rejects parts that would make keys ambiguous', () => {
    expect(() => tickKey('', 1)).toThrow(CoreInputError);
    expect(() => tickKey('a:b', 1)).toThrow(/sessionId must be non-empty without spaces or ":"/);
    expect(() => tickKey('s', 1.5)).toThrow(CoreInputError);
    expect(() => eventKey('x y')).toThrow(CoreInputError);
    expect(() => eventKey('x', '')).toThrow(CoreInputError);
    expect(() => adminKey('')).toThrow(CoreInputError);
  });
});

describe('payout blocks', () => {
  it('aligns blocks to the epoch and refuses intervals that would straddle an hour', () => {
    expect(payoutBlockStart(1004, 5)).toBe(1000);
    expect(payoutBlockStart(1005, 5)).toBe(1005);
    expect(payoutBlockStart(1004, 1)).toBe(1004);
    expect(() => payoutBlockStart(1000, 7)).toThrow(/one of 1, 2, 3, 4, 5, 6, 10, 12, 15/);
    expect(() => payoutPhase('s', 0)).toThrow(/payout interval/);
    // 1,440 minutes a day: no block crosses midnight UTC.
    for (const b of PAYOUT_MINUTES_CHOICES) expect(1440 % b).toBe(0);
  });

  it('pays a block `phase` minutes after its last minute; every minute when the interval is 1', () => {
    expect(payableThrough(1004, 5, 0)).toBe(1004); // block 1000–1004 just ended
    expect(payableThrough(1003, 5, 0)).toBe(999);
    expect(payableThrough(1006, 5, 2)).toBe(1004);
    expect(payableThrough(1005, 5, 2)).toBe(999);
    expect(payableThrough(1008, 5, 4)).toBe(1004);
    expect(payableThrough(1009, 5, 4)).toBe(1004);
    for (let m = 1000; m < 1010; m++) expect(payableThrough(m, 1, 0)).toBe(m);
  });

  it('spreads sessions evenly over the phases, stably', () => {
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 5_000; i++) counts[payoutPhase(`session-${i}`, 5)]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(payoutPhase('abc', 5)).toBe(payoutPhase('abc', 5));
    expect(payoutPhase('abc', 1)).toBe(0);
  });
});
