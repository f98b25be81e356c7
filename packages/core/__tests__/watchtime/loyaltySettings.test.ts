import { describe, expect, it } from 'vitest';
import { DEFAULT_LOYALTY_SETTINGS, validateLoyaltySettings } from '../../src/watchtime/loyaltySettings.ts';

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
