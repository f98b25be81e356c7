import { describe, expect, it } from 'vitest';
import { bonusForEvent, type BonusEvent, DEFAULT_EVENT_BONUS_SETTINGS, type EventBonusSettings, validateEventBonusSettings } from '../src/eventBonuses.ts';

const settings: EventBonusSettings = { followBonus: 50, subBonus: 500, renewalBonus: 250, giftBonusPerSub: 100, kicksBonusPerUnit: 2 };
const alice = { userId: 11, username: 'alice' };
const ids = { messageId: '01MSG', broadcasterUserId: 1 };

describe('bonusForEvent', () => {
  it.each([
    ['follow → once-ever follow key', { kind: 'follow', ...ids, follower: alice }, [{ kind: 'follow', kickUserId: 11, username: 'alice', points: 50, key: 'follow:1:11' }]],
    ['new sub', { kind: 'sub', ...ids, subscriber: alice }, [{ kind: 'sub', kickUserId: 11, username: 'alice', points: 500, key: 'msg:01MSG' }]],
    ['renewal', { kind: 'renewal', ...ids, subscriber: alice }, [{ kind: 'renewal', kickUserId: 11, username: 'alice', points: 250, key: 'msg:01MSG' }]],
    ['5 gifted subs → gifter gets 5 × 100', { kind: 'gift', ...ids, gifter: alice, gifteeCount: 5 }, [{ kind: 'gift', kickUserId: 11, username: 'alice', points: 500, key: 'msg:01MSG' }]],
    ['1 gifted sub', { kind: 'gift', ...ids, gifter: alice, gifteeCount: 1 }, [{ kind: 'gift', kickUserId: 11, username: 'alice', points: 100, key: 'msg:01MSG' }]],
    ['anonymous gifter (null) → nothing', { kind: 'gift', ...ids, gifter: null, gifteeCount: 5 }, []],
    ['anonymous gifter (flag) → nothing', { kind: 'gift', ...ids, gifter: { ...alice, isAnonymous: true }, gifteeCount: 5 }, []],
    ['gift with no giftees → nothing', { kind: 'gift', ...ids, gifter: alice, gifteeCount: 0 }, []],
    ['100 kicks × 2', { kind: 'kicks', ...ids, sender: alice, amount: 100 }, [{ kind: 'kicks', kickUserId: 11, username: 'alice', points: 200, key: 'msg:01MSG' }]],
    ['anonymous kicks sender → nothing', { kind: 'kicks', ...ids, sender: null, amount: 100 }, []],
    ['anonymous follower → nothing', { kind: 'follow', ...ids, follower: null }, []],
    ['sub with unknown user id → nothing', { kind: 'sub', ...ids, subscriber: { userId: 0, username: '' } }, []],
  ] as [string, BonusEvent, unknown][])('%s', (_n, event, expected) => {
    expect(bonusForEvent(event, settings)).toEqual(expected);
  });

  it('gives nothing when the bonus is off', () => {
    const events: BonusEvent[] = [
      { kind: 'follow', ...ids, follower: alice },
      { kind: 'sub', ...ids, subscriber: alice },
      { kind: 'renewal', ...ids, subscriber: alice },
      { kind: 'gift', ...ids, gifter: alice, gifteeCount: 3 },
      { kind: 'kicks', ...ids, sender: alice, amount: 10 },
    ];
    for (const event of events) expect(bonusForEvent(event, DEFAULT_EVENT_BONUS_SETTINGS)).toEqual([]);
  });

  it('uses the same follow key for repeated follows and different keys per channel', () => {
    const a = bonusForEvent({ kind: 'follow', messageId: 'm1', broadcasterUserId: 1, follower: alice }, settings);
    const b = bonusForEvent({ kind: 'follow', messageId: 'm2', broadcasterUserId: 1, follower: alice }, settings);
    const c = bonusForEvent({ kind: 'follow', messageId: 'm3', broadcasterUserId: 2, follower: alice }, settings);
    expect(a[0]?.key).toBe(b[0]?.key);
    expect(c[0]?.key).not.toBe(a[0]?.key);
  });

  it('caps a single credit at the int32 maximum', () => {
    const [award] = bonusForEvent({ kind: 'kicks', ...ids, sender: alice, amount: 1e9 }, { ...settings, kicksBonusPerUnit: 1_000_000 });
    expect(award?.points).toBe(2_147_483_647);
  });
});

describe('validateEventBonusSettings', () => {
  it('accepts whole numbers 0..1,000,000', () => {
    expect(validateEventBonusSettings(settings)).toEqual({ ok: true });
    expect(validateEventBonusSettings({ followBonus: 0, subBonus: 1_000_000 })).toEqual({ ok: true });
  });

  it('names every bad field', () => {
    expect(validateEventBonusSettings({ followBonus: -1, giftBonusPerSub: 2.5, kicksBonusPerUnit: 1_000_001 })).toEqual({
      ok: false,
      errors: [
        'Follow bonus must be a whole number from 0 to 1,000,000 points (got -1).',
        'Gift bonus per sub must be a whole number from 0 to 1,000,000 points (got 2.5).',
        'Kicks bonus per Kick must be a whole number from 0 to 1,000,000 points (got 1000001).',
      ],
    });
  });
});
