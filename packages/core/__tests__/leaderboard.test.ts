import { describe, expect, it } from 'vitest';
import { competitionRanks, formatDuration, formatPointsAmount, formatUptime, paginate, streamDurationMinutes } from '../src/leaderboard.ts';

describe('formatDuration', () => {
  it.each([
    [0, '0m'],
    [1, '1m'],
    [59, '59m'],
    [60, '1h 00m'],
    [185, '3h 05m'],
    [1500, '25h 00m'],
    [61.9, '1h 01m'],
    [-5, '0m'],
    [Number.NaN, '0m'],
    [Number.POSITIVE_INFINITY, '0m'],
  ])('%s → %s', (minutes, text) => {
    expect(formatDuration(minutes)).toBe(text);
  });
});

describe('formatUptime', () => {
  const start = Date.UTC(2026, 0, 1, 12, 0, 0);
  it.each([
    [start, '0m'],
    [start + 59_999, '0m'],
    [start + 60_000, '1m'],
    [start + (2 * 60 + 13) * 60_000 + 30_000, '2h 13m'],
    [start - 60_000, '0m'],
  ])('now=%s → %s', (now, text) => {
    expect(formatUptime(start, now)).toBe(text);
    expect(formatUptime(new Date(start), new Date(now))).toBe(text);
  });
});

describe('paginate', () => {
  it.each([
    [0, 1, 10, { page: 1, pages: 1, offset: 0, limit: 0, from: 0, to: 0, hasPrevious: false, hasNext: false }],
    [25, 1, 10, { page: 1, pages: 3, offset: 0, limit: 10, from: 1, to: 10, hasPrevious: false, hasNext: true }],
    [25, 2, 10, { page: 2, pages: 3, offset: 10, limit: 10, from: 11, to: 20, hasPrevious: true, hasNext: true }],
    [25, 3, 10, { page: 3, pages: 3, offset: 20, limit: 5, from: 21, to: 25, hasPrevious: true, hasNext: false }],
    [25, 9, 10, { page: 3, pages: 3, offset: 20, limit: 5, from: 21, to: 25, hasPrevious: true, hasNext: false }],
    [25, 0, 10, { page: 1, pages: 3, offset: 0, limit: 10, from: 1, to: 10, hasPrevious: false, hasNext: true }],
    [25, -3, 10, { page: 1, pages: 3, offset: 0, limit: 10, from: 1, to: 10, hasPrevious: false, hasNext: true }],
    [20, 2, 10, { page: 2, pages: 2, offset: 10, limit: 10, from: 11, to: 20, hasPrevious: true, hasNext: false }],
    [25, 2.7, 10, { page: 2, pages: 3, offset: 10, limit: 10, from: 11, to: 20, hasPrevious: true, hasNext: true }],
  ])('total=%s page=%s size=%s', (total, page, size, expected) => {
    expect(paginate(total, page, size)).toEqual({ ...expected, pageSize: size });
  });

  it('falls back to a page size of 10 for invalid sizes', () => {
    expect(paginate(15, 2, 0)).toMatchObject({ pageSize: 10, page: 2, offset: 10, limit: 5 });
    expect(paginate(15, 2, 2.5).pageSize).toBe(10);
  });
});

describe('formatPointsAmount', () => {
  it.each([
    [0, '0 points'],
    [1, '1 point'],
    [2, '2 points'],
    [1234, '1,234 points'],
    [-1, '-1 points'],
  ])('%s → %s', (points, text) => {
    expect(formatPointsAmount(points)).toBe(text);
  });
});

describe('competitionRanks', () => {
  it('gives ties one rank and skips the ranks they use ("1, 2, 2, 4")', () => {
    expect(competitionRanks([50, 40, 40, 10], 1, 0)).toEqual([1, 2, 2, 4]);
    expect(competitionRanks([7, 7, 7], 1, 0)).toEqual([1, 1, 1]);
    expect(competitionRanks([], 1, 0)).toEqual([]);
  });

  it('keeps a tie across a page boundary at the rank of the earlier page', () => {
    // Scores 90, 80, 80, 80, 70 in pages of two: page 2 holds 80 (tied with row 2) and 80, page 3 holds 70.
    expect(competitionRanks([80, 80], 2, 2)).toEqual([2, 2]);
    expect(competitionRanks([70], 5, 4)).toEqual([5]);
  });
});

describe('streamDurationMinutes', () => {
  it('measures a real stream in whole minutes', () => {
    expect(streamDurationMinutes('2026-12-06T10:00:00Z', '2026-12-06T12:15:00Z')).toBe(135);
    expect(streamDurationMinutes('2026-12-06T10:00:00+01:00', '2026-12-06T09:30:20Z')).toBe(30);
  });

  it.each([
    ['a zero time', '0001-01-01T00:00:00Z', '2026-12-06T12:00:00Z'],
    ['epoch 0', '1970-01-01T00:00:00Z', '2026-12-06T12:00:00Z'],
    ['a start two years back (the "16885h" offline sample)', '2025-01-01T11:00:00+11:00', '2026-12-06T12:00:00Z'],
    ['an end before the start', '2026-12-06T12:00:00Z', '2026-12-06T11:00:00Z'],
    ['no start', null, '2026-12-06T12:00:00Z'],
    ['no end', '2026-12-06T12:00:00Z', null],
    ['an unparsable time', 'yesterday', '2026-12-06T12:00:00Z'],
  ])('is unknown for %s', (_what, start, end) => {
    expect(streamDurationMinutes(start, end)).toBeUndefined();
  });
});
