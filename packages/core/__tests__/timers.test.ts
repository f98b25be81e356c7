import { describe, expect, it } from 'vitest';
import { TIMER_VARIABLES } from '../src/templates/variables.ts';
import { type TimerDueInput, timerIsDue, validateTimer } from '../src/timers.ts';

const NOW = 1_800_000_000_000;
const base: TimerDueInput = { now: NOW, lastPostedAt: NOW - 15 * 60_000, intervalMinutes: 15, linesSinceLastPost: 10, minChatLines: 5, isLive: true };

describe('timerIsDue', () => {
  it.each([
    ['interval elapsed, enough chat', {}, true],
    ['offline', { isLive: false }, false],
    ['offline and never posted', { isLive: false, lastPostedAt: null }, false],
    ['one ms too early', { lastPostedAt: NOW - 15 * 60_000 + 1 }, false],
    ['long overdue', { lastPostedAt: NOW - 24 * 3_600_000 }, true],
    ['not enough chat', { linesSinceLastPost: 4 }, false],
    ['exactly enough chat', { linesSinceLastPost: 5 }, true],
    ['no chat requirement, dead chat', { minChatLines: 0, linesSinceLastPost: 0 }, true],
    ['never posted → due now', { lastPostedAt: null }, true],
    ['never posted but chat too quiet', { lastPostedAt: null, linesSinceLastPost: 0 }, false],
    ['posted in the future (clock skew)', { lastPostedAt: NOW + 60_000 }, false],
    ['1-minute interval', { intervalMinutes: 1, lastPostedAt: NOW - 60_000 }, true],
  ] as [string, Partial<TimerDueInput>, boolean][])('%s', (_n, patch, expected) => {
    expect(timerIsDue({ ...base, ...patch })).toBe(expected);
  });
});

describe('validateTimer', () => {
  it('accepts boundaries', () => {
    expect(validateTimer({ message: 'Follow on socials!', intervalMinutes: 1, minChatLines: 0 })).toEqual({ ok: true });
    expect(validateTimer({ message: 'x'.repeat(500), intervalMinutes: 1440, minChatLines: 1000, name: 'socials_1' })).toEqual({ ok: true });
  });

  it.each([
    [{ message: '   ' }, 'Timer message is empty — write what the bot should post.'],
    [{ message: 'x'.repeat(501) }, 'Timer message is 501 characters long — the limit is 500.'],
    [{ intervalMinutes: 0 }, 'Interval must be a whole number of minutes from 1 to 1440 (got 0).'],
    [{ intervalMinutes: 1441 }, 'Interval must be a whole number of minutes from 1 to 1440 (got 1441).'],
    [{ intervalMinutes: 2.5 }, 'Interval must be a whole number of minutes from 1 to 1440 (got 2.5).'],
    [{ minChatLines: -1 }, 'Minimum chat lines must be a whole number from 0 to 1000 (got -1).'],
    [{ minChatLines: 1001 }, 'Minimum chat lines must be a whole number from 0 to 1000 (got 1001).'],
    [{ name: 'Bad Name' }, 'Timer name "Bad Name" must be 1–32 lower-case letters, digits, _ or -.'],
  ])('%j', (patch, error) => {
    expect(validateTimer({ message: 'hi', intervalMinutes: 10, minChatLines: 0, ...patch })).toEqual({ ok: false, errors: [error] });
  });

  it('accepts the stream variables and {random:…} a timer can fill', () => {
    expect(validateTimer({ message: 'Live for {uptime}: {title} ({category}) — {random:hi|hey}! {{literal}}', intervalMinutes: 5, minChatLines: 0 })).toEqual({ ok: true });
    expect(TIMER_VARIABLES).toEqual(['uptime', 'title', 'category', 'random']);
  });

  it('refuses viewer variables, naming each and listing those a timer can use', () => {
    const r = validateTimer({ message: 'Hi {user}, you have {points} points — {args}', intervalMinutes: 5, minChatLines: 0 });
    const available = 'timers can use: {uptime}, {title}, {category}, {random:a|b}.';
    expect(r).toEqual({
      ok: false,
      errors: [
        `Timer message: {user} at 3 makes no sense in a timer (it answers no viewer) — ${available}`,
        `Timer message: {points} at 20 makes no sense in a timer (it answers no viewer) — ${available}`,
        `Timer message: {args} at 38 makes no sense in a timer (it answers no viewer) — ${available}`,
      ],
    });
    for (const name of ['touser', 'watchtime', 'count']) {
      expect(validateTimer({ message: `{${name}}`, intervalMinutes: 5, minChatLines: 0 }).ok, name).toBe(false);
    }
    expect(validateTimer({ message: 'Up {uptme}', intervalMinutes: 5, minChatLines: 0 })).toEqual({ ok: false, errors: ['Timer message: Unknown variable {uptme} at 3 — did you mean {uptime}?'] });
  });

  it('lists every problem', () => {
    const r = validateTimer({ message: '', intervalMinutes: 0, minChatLines: -5 });
    expect(r.ok ? [] : r.errors).toHaveLength(3);
  });
});
