import {
  compileChatFilters,
  defangLinks,
  defaultChatFilterConfig,
  findLinkHosts,
  formatLadder,
  normalizeDomain,
  parseChatFilterConfig,
  parseLadder,
  prepareBannedTerm,
  stepForOffence,
  type BannedTerm,
} from '@kickcord/core';
import { describe, expect, it } from 'vitest';

const term = (pattern: string, mode: BannedTerm['mode']): BannedTerm => {
  const prepared = prepareBannedTerm(pattern, mode);
  if (!prepared.ok) throw new Error(prepared.problem);
  return prepared.term;
};

describe('ladders', () => {
  it('parses what moderators type and formats it back', () => {
    expect(parseLadder('delete, timeout 10m, ban')).toEqual({ ok: true, ladder: [{ action: 'delete' }, { action: 'timeout', minutes: 10 }, { action: 'ban' }] });
    expect(parseLadder('delete -> timeout 2h → timeout 1d')).toEqual({ ok: true, ladder: [{ action: 'delete' }, { action: 'timeout', minutes: 120 }, { action: 'timeout', minutes: 1440 }] });
    expect(formatLadder([{ action: 'delete' }, { action: 'timeout', minutes: 10 }, { action: 'ban' }])).toBe('delete → timeout 10m → ban');
  });

  it('refuses bad steps with the reason', () => {
    expect(parseLadder('delete, kick')).toMatchObject({ ok: false, problem: expect.stringContaining('`kick` is not a step') });
    expect(parseLadder('timeout 8d')).toMatchObject({ ok: false, problem: expect.stringContaining('11520') });
    expect(parseLadder('')).toMatchObject({ ok: false });
    expect(parseLadder('delete,delete,delete,delete,delete,ban')).toMatchObject({ ok: false, problem: expect.stringContaining('5 steps') });
  });

  it('picks the step of the n-th offence; the last repeats', () => {
    const rule = { ladder: [{ action: 'delete' as const }, { action: 'timeout' as const, minutes: 10 }, { action: 'ban' as const }] };
    expect([1, 2, 3, 4, 9].map((n) => stepForOffence(rule, n).action)).toEqual(['delete', 'timeout', 'ban', 'ban', 'ban']);
  });
});

describe('banned terms', () => {
  it('stores words folded and refuses invalid or backtracking-only regex syntax', () => {
    expect(prepareBannedTerm('  $CAM ', 'word')).toEqual({ ok: true, term: { pattern: 'scam', mode: 'word' } });
    expect(prepareBannedTerm('b-a-d', 'substring')).toEqual({ ok: true, term: { pattern: 'bad', mode: 'substring' } });
    expect(prepareBannedTerm('(a+', 'regex')).toMatchObject({ ok: false, problem: expect.stringContaining('RE2') });
    expect(prepareBannedTerm('(\\w)\\1', 'regex')).toMatchObject({ ok: false });
    expect(prepareBannedTerm('x'.repeat(201), 'word')).toMatchObject({ ok: false });
    expect(prepareBannedTerm('a', 'word')).toMatchObject({ ok: false });
  });

  it('runs a catastrophic-backtracking pattern in linear time (RE2)', () => {
    const filters = compileChatFilters(on('words'), [term('(a+)+$', 'regex'), term('(x|xx)+y', 'regex')]);
    const started = performance.now();
    expect(filters.check({ content: `${'a'.repeat(400)}!`, senderLevel: 'everyone' })).toEqual([]);
    expect(filters.check({ content: 'x'.repeat(400), senderLevel: 'everyone' })).toEqual([]);
    // A backtracking engine takes longer than the age of the universe here.
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(filters.check({ content: 'xxy', senderLevel: 'everyone' })[0]).toMatchObject({ filter: 'words', detail: '(x|xx)+y' });
  });
});

function on(...kinds: (keyof ReturnType<typeof defaultChatFilterConfig>['rules'])[]) {
  const config = defaultChatFilterConfig();
  for (const k of kinds) config.rules[k].enabled = true;
  return config;
}

describe('compiled filters', () => {
  it('are inactive with every filter off, and exempt the broadcaster always and others by level per filter', () => {
    expect(compileChatFilters(defaultChatFilterConfig(), []).active).toBe(false);
    const config = on('caps', 'links');
    config.rules.caps.exemptLevel = 'subscriber';
    const filters = compileChatFilters(config, []);
    const shout = 'THIS IS A VERY LOUD MESSAGE';
    expect(filters.check({ content: shout, senderLevel: 'everyone' }).map((h) => h.filter)).toEqual(['caps']);
    expect(filters.check({ content: shout, senderLevel: 'subscriber' })).toEqual([]);
    expect(filters.check({ content: 'go to example.com', senderLevel: 'subscriber' }).map((h) => h.filter)).toEqual(['links']);
    expect(filters.check({ content: 'go to example.com', senderLevel: 'vip' })).toEqual([]);
    expect(filters.applies('links', 'broadcaster')).toBe(false);
  });

  it('report every filter that fires, in check order, with the link hosts', () => {
    const filters = compileChatFilters(on('links', 'caps', 'words'), [term('scam', 'word')]);
    const hits = filters.check({ content: 'SCAM AT EXAMPLE.COM AND OTHER.NET NOW', senderLevel: 'everyone' });
    expect(hits.map((h) => h.filter)).toEqual(['words', 'links', 'caps']);
    expect(hits[1]?.hosts).toEqual(['example.com', 'other.net']);
    // The reason never quotes the message.
    for (const hit of hits) expect(hit.reason.toLowerCase()).not.toContain('scam');
  });

  it('fingerprint the same message the same way, whatever its case, spacing or look-alikes', () => {
    const filters = compileChatFilters(on('repeats'), []);
    expect(filters.fingerprint('Follow me!!')).toBe(filters.fingerprint('follow   ME'));
    expect(filters.fingerprint('fоllow me')).toBe(filters.fingerprint('follow me'));
    expect(filters.fingerprint('gg 1')).not.toBe(filters.fingerprint('gg 2'));
    expect(filters.fingerprint('[emote:1:a]')).not.toBe(filters.fingerprint('[emote:2:b]'));
  });
});

describe('links', () => {
  it('finds disguised links and only real public suffixes', () => {
    expect(findLinkHosts('go to example[.]com or x (dot) org')).toEqual(['example.com', 'x.org']);
    expect(findLinkHosts('version 1.5 of file.txt, e.g. this')).toEqual([]);
  });

  it('defangs links for the mod log', () => {
    expect(defangLinks('see https://example.com/x and bit.ly/abc')).toBe('see hxxps://example[.]com/x and bit[.]ly/abc');
  });

  it('normalises allowed domains', () => {
    expect(normalizeDomain('https://www.YouTube.com/watch')).toBe('youtube.com');
    expect(normalizeDomain('not a domain')).toBeNull();
  });
});

describe('stored rules documents', () => {
  it('fill what is missing or invalid with the defaults', () => {
    const parsed = parseChatFilterConfig({ rules: { caps: { enabled: true, limit: 90 }, links: { ladder: [] } }, allowedDomains: 'nope' });
    expect(parsed.rules.caps).toMatchObject({ enabled: true, limit: 90, minLength: 15 });
    expect(parsed.rules.links).toEqual(defaultChatFilterConfig().rules.links);
    expect(parsed.allowedDomains).toEqual(['kick.com']);
    expect(parseChatFilterConfig(null)).toEqual(defaultChatFilterConfig());
  });
});

describe('unicode, emotes, symbols and length', () => {
  const filters = compileChatFilters(on('unicode', 'emotes', 'symbols', 'length'), []);
  const reasons = (content: string) => filters.check({ content, senderLevel: 'everyone' }).map((h) => `${h.filter}: ${h.reason}`);

  it('names the Unicode trick, and leaves emoji sequences and accented words alone', () => {
    expect(reasons('z\u0301\u0302\u0303\u0304ap')).toEqual(['unicode: stacked accents (zalgo text)']);
    expect(reasons('fr\u200Bee')).toEqual(['unicode: invisible characters']);
    expect(reasons('a\u202Eb')).toEqual(['unicode: text direction overrides']);
    expect(reasons('frее money')).toEqual(['unicode: look-alike letters from another alphabet']);
    expect(reasons('👩‍💻 coding, 1️⃣ first, 👍🏽 ok, crème brûlée, Ελληνικά, русский')).toEqual([]);
  });

  it('counts emotes, symbols by share above the minimum length, and length in characters, not UTF-16 units', () => {
    const emotes = (n: number) => Array.from({ length: n }, (_, i) => `[emote:${i}:e${i}]`).join(' ');
    expect(reasons(emotes(12))).toEqual([]);
    expect(reasons(emotes(13))).toEqual(['emotes: too many emotes']);
    expect(reasons('!!!')).toEqual([]); // shorter than the minimum length
    expect(reasons('!!!!!!!!!!!!!!!!')).toEqual(['symbols: too many symbols']);
    expect(reasons('😀'.repeat(400))).toEqual([]);
    expect(reasons('😀'.repeat(401))).toEqual(['length: a message that is too long']);
  });
});
