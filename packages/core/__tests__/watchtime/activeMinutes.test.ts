import { describe, expect, it } from 'vitest';
import { CoreInputError } from '../../src/CoreInputError.ts';
import { isActiveInMinute, isExcludedViewer, KNOWN_BOT_USERNAMES, minutesToCatchUp, tickMinute, utcDay } from '../../src/watchtime/activeMinutes.ts';

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
