import { describe, expect, it } from 'vitest';
import { formatDuration, formatUptime, paginate } from '../src/leaderboard.ts';

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
