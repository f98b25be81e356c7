import { describe, expect, it } from 'vitest';
import { fitChatMessage } from '../src/fitChatMessage.ts';

/** Kick chat's limit (`KICK_CHAT_MAX_LENGTH` in @kickcord/kick). */
const KICK_LIMIT = 500;

describe('fitChatMessage', () => {
  it('returns short text unchanged', () => {
    expect(fitChatMessage('hello', KICK_LIMIT)).toBe('hello');
    expect(fitChatMessage('x'.repeat(500), KICK_LIMIT)).toBe('x'.repeat(500));
  });

  it('cuts on a word boundary with …', () => {
    expect(fitChatMessage('the quick brown fox jumps', 12)).toBe('the quick…');
    expect(fitChatMessage('the quick brown fox', 11)).toBe('the quick…');
    const long = 'word '.repeat(200);
    const fitted = fitChatMessage(long, KICK_LIMIT);
    expect(fitted.length).toBeLessThanOrEqual(500);
    expect(fitted.endsWith('word…')).toBe(true);
  });

  it('hard-cuts a single long word', () => {
    expect(fitChatMessage('a'.repeat(600), KICK_LIMIT)).toBe(`${'a'.repeat(499)}…`);
    expect(fitChatMessage('hi ' + 'b'.repeat(20), 10)).toBe('hi bbbbbb…');
  });

  it('never splits an emoji surrogate pair', () => {
    const text = 'a'.repeat(8) + '😀😀😀';
    const fitted = fitChatMessage(text, 10);
    expect(fitted).toBe('aaaaaaaa…');
    expect(fitted.length).toBeLessThanOrEqual(10);
  });

  it('handles degenerate limits', () => {
    expect(fitChatMessage('hello', 0)).toBe('');
    expect(fitChatMessage('hello', 1)).toBe('…');
  });
});
