import { describe, expect, it } from 'vitest';
import { groupCalls, MAX_SLOT_NAME_LENGTH, normalizeSlotName, slotCallViewerKey } from '../src/slotCalls.ts';

describe('normalizeSlotName', () => {
  it.each([
    ['Sweet Bonanza', 'sweet bonanza', 'Sweet Bonanza'],
    ['  sweet   BONANZA  ', 'sweet bonanza', 'sweet BONANZA'],
    ['Gates-of-Olympus', 'gates of olympus', 'Gates-of-Olympus'],
    ['gates of olympus!!!', 'gates of olympus', 'gates of olympus!!!'],
    ["Book of Dead's", 'book of deads', "Book of Dead's"],
    ['Book of Dead’s', 'book of deads', 'Book of Dead’s'],
    ['[emote:1:PogU] Wanted Dead or a Wild [emote:2:KEKW]', 'wanted dead or a wild', 'Wanted Dead or a Wild'],
    ['Café Casino', 'cafe casino', 'Café Casino'],
    ['Sugar Rush 1000', 'sugar rush 1000', 'Sugar Rush 1000'],
    ['Ｓｗｅｅｔ', 'sweet', 'Ｓｗｅｅｔ'],
    ['Le\tBandit', 'le bandit', 'Le Bandit'],
  ])('%j → %j', (input, normalized, display) => {
    expect(normalizeSlotName(input)).toEqual({ ok: true, normalized, display });
  });

  it('merges spelling variants', () => {
    const variants = ['Sweet Bonanza', 'sweet bonanza', 'SWEET-BONANZA', 'sweet_bonanza', ' Sweet  Bonanza! ', '[emote:9:x] sweet bonanza'];
    const keys = new Set(variants.map((v) => {
      const r = normalizeSlotName(v);
      return r.ok ? r.normalized : r.reason;
    }));
    expect([...keys]).toEqual(['sweet bonanza']);
  });

  it.each(['', '   ', '!!!', '[emote:1:KEKW]', '[emote:1:KEKW] ?'])('refuses %j as empty', (input) => {
    expect(normalizeSlotName(input)).toEqual({ ok: false, reason: 'Type the slot name after the command, e.g. !call Sweet Bonanza.' });
  });

  it('refuses names longer than 60 characters', () => {
    expect(normalizeSlotName('x'.repeat(MAX_SLOT_NAME_LENGTH)).ok).toBe(true);
    expect(normalizeSlotName('x'.repeat(61))).toEqual({ ok: false, reason: 'That slot name is 61 characters long — the limit is 60.' });
  });
});

describe('groupCalls', () => {
  const call = (username: string, slotName: string, createdAt: number) => {
    const r = normalizeSlotName(slotName);
    if (!r.ok) throw new Error(r.reason);
    return { username, slotName: r.display, normalizedName: r.normalized, createdAt };
  };

  it('groups by normalized name, most popular first, callers in call order', () => {
    const calls = [
      call('dave', 'Book of Dead', 4),
      call('alice', 'Sweet Bonanza', 1),
      call('carol', 'sweet-bonanza', 3),
      call('bob', 'Gates of Olympus', 2),
      call('erin', 'SWEET BONANZA', 5),
      call('frank', 'gates of olympus', 6),
    ];
    const groups = groupCalls(calls);
    expect(groups.map((g) => [g.displayName, g.count, g.callers.map((c) => c.username)])).toEqual([
      ['Sweet Bonanza', 3, ['alice', 'carol', 'erin']],
      ['Gates of Olympus', 2, ['bob', 'frank']],
      ['Book of Dead', 1, ['dave']],
    ]);
    expect(groups[0]?.firstCalledAt).toBe(1);
    expect(groups[0]?.normalizedName).toBe('sweet bonanza');
  });

  it('orders equally popular slots by first call', () => {
    const groups = groupCalls([call('a', 'Zeta', 5), call('b', 'Alpha', 7), call('c', 'Mid', 1)]);
    expect(groups.map((g) => g.displayName)).toEqual(['Mid', 'Zeta', 'Alpha']);
  });

  it('handles no calls', () => {
    expect(groupCalls([])).toEqual([]);
  });
});

describe('slotCallViewerKey', () => {
  it('is <guild>:<user>', () => {
    expect(slotCallViewerKey('123', 45)).toBe('123:45');
  });
});
