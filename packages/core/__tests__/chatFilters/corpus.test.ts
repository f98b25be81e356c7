import { compileChatFilters, prepareBannedTerm, type BannedTerm } from '@kickcord/core';
import { describe, expect, it } from 'vitest';
import { corpus, corpusConfig, corpusTerms } from '../fixtures/chatFilterCorpus.ts';

function compiled() {
  const terms: BannedTerm[] = corpusTerms.map((t) => {
    const prepared = prepareBannedTerm(t.pattern, t.mode);
    if (!prepared.ok) throw new Error(prepared.problem);
    return prepared.term;
  });
  return compileChatFilters(corpusConfig(), terms);
}

describe('the chat filter corpus', () => {
  it('has at least 100 lines, with passes and every stateless filter represented', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    const expected = new Set(corpus.map(([, e]) => e));
    for (const kind of ['words', 'links', 'unicode', 'length', 'emotes', 'caps', 'symbols', null]) expect(expected.has(kind as never)).toBe(true);
  });

  it('every line gets the expected outcome', () => {
    const filters = compiled();
    const wrong = corpus
      .map(([text, expected, level]) => ({ text, expected, got: filters.check({ content: text, senderLevel: level ?? 'everyone' })[0]?.filter ?? null }))
      .filter((r) => r.got !== r.expected);
    expect(wrong).toEqual([]);
  });
});
