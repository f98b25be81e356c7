import { describe, expect, it } from 'vitest';
import { isSubscriberFromBadges, isUserLevel, meetsLevel, USER_LEVELS, userLevelFromBadges, userLevelRank, type UserLevel } from '../src/userLevel.ts';

const b = (...types: string[]) => types.map((type) => ({ type, text: type }));

describe('userLevelFromBadges', () => {
  it.each([
    [[], 'everyone'],
    [b('og'), 'everyone'],
    [b('verified', 'sub_gifter'), 'everyone'],
    [b('subscriber'), 'subscriber'],
    [b('founder'), 'subscriber'],
    [b('vip'), 'vip'],
    [b('subscriber', 'vip'), 'vip'],
    [b('moderator'), 'moderator'],
    [b('moderator', 'vip', 'subscriber'), 'moderator'],
    [b('broadcaster'), 'broadcaster'],
    [b('Moderator'), 'moderator'],
    [b('unknown_future_badge'), 'everyone'],
  ] as const)('%j → %s', (badges, expected) => {
    expect(userLevelFromBadges(badges)).toBe(expected);
  });

  it('treats null/undefined badges as none', () => {
    expect(userLevelFromBadges(null)).toBe('everyone');
    expect(userLevelFromBadges(undefined)).toBe('everyone');
  });

  it('isBroadcaster wins without a badge', () => {
    expect(userLevelFromBadges([], { isBroadcaster: true })).toBe('broadcaster');
    expect(userLevelFromBadges(b('subscriber'), { isBroadcaster: false })).toBe('subscriber');
  });

  it('accepts badges with counts', () => {
    expect(userLevelFromBadges([{ type: 'subscriber', text: 'Subscriber', count: 12 }])).toBe('subscriber');
  });
});

describe('meetsLevel', () => {
  it('follows the order everyone < subscriber < vip < moderator < broadcaster', () => {
    expect(USER_LEVELS).toEqual(['everyone', 'subscriber', 'vip', 'moderator', 'broadcaster']);
    for (const actual of USER_LEVELS) {
      for (const required of USER_LEVELS) {
        expect(meetsLevel(actual, required), `${actual} vs ${required}`).toBe(userLevelRank(actual) >= userLevelRank(required));
      }
    }
  });

  it.each([
    ['everyone', 'everyone', true],
    ['everyone', 'subscriber', false],
    ['vip', 'subscriber', true],
    ['subscriber', 'vip', false],
    ['moderator', 'vip', true],
    ['moderator', 'broadcaster', false],
    ['broadcaster', 'moderator', true],
  ] as [UserLevel, UserLevel, boolean][])('%s meets %s: %s', (a, r, ok) => {
    expect(meetsLevel(a, r)).toBe(ok);
  });
});

describe('isSubscriberFromBadges', () => {
  it.each([
    [b('subscriber'), true],
    [b('founder'), true],
    [b('moderator', 'subscriber'), true],
    [b('sub_gifter'), false],
    [b('vip', 'og'), false],
    [[], false],
  ] as const)('%j → %s', (badges, expected) => {
    expect(isSubscriberFromBadges(badges)).toBe(expected);
  });
});

describe('isUserLevel', () => {
  it('accepts exactly the five levels', () => {
    expect(USER_LEVELS.every(isUserLevel)).toBe(true);
    expect(isUserLevel('admin')).toBe(false);
    expect(isUserLevel('Moderator')).toBe(false);
  });
});
