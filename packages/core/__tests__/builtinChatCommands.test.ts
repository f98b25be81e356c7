import { describe, expect, it } from 'vitest';
import { BUILTIN_CHAT_COMMANDS, builtinAnsweringTo, builtinCommandName, builtinCommandUses, parseBuiltinCommandSettings, resolveBuiltinCommands } from '../src/builtinChatCommands.ts';
import { BUILTIN_COMMANDS } from '../src/commandParser.ts';

describe('built-in chat command settings', () => {
  it('every built-in answers to its default name until the guild changes it', () => {
    expect(resolveBuiltinCommands({}).map((b) => [b.name, b.enabled])).toEqual(BUILTIN_CHAT_COMMANDS.map((n) => [n, true]));
    expect(builtinCommandName({}, 'so')).toBe('so');
    expect(builtinAnsweringTo({}, 'quote')?.builtin).toBe('quote');
  });

  it('a renamed built-in answers to its new name only; a disabled one to none', () => {
    const stored = { so: { name: 'shoutout' }, deaths: { enabled: false } };
    expect(builtinCommandName(stored, 'so')).toBe('shoutout');
    expect(builtinAnsweringTo(stored, 'so')).toBeUndefined();
    expect(builtinAnsweringTo(stored, 'shoutout')).toEqual({ builtin: 'so', name: 'shoutout', enabled: true });
    expect(builtinCommandName(stored, 'deaths')).toBeNull();
    expect(builtinAnsweringTo(stored, 'deaths')).toEqual({ builtin: 'deaths', name: 'deaths', enabled: false });
  });

  it('ignores malformed stored values instead of failing', () => {
    expect(parseBuiltinCommandSettings(null)).toEqual({});
    expect(parseBuiltinCommandSettings([1, 2])).toEqual({});
    expect(parseBuiltinCommandSettings({ nope: { enabled: false }, so: { name: 'Has Space', enabled: 'no' }, quote: 'x' })).toEqual({ so: {} });
  });

  it('lists who may use each form, with the guild’s quote-add level', () => {
    expect(builtinCommandUses('quote', { quoteAddLevel: 'vip' }).map((u) => [u.args, u.level])).toEqual([
      ['[number]', 'everyone'],
      ['add <text>', 'vip'],
    ]);
    expect(builtinCommandUses('so', { quoteAddLevel: 'moderator' })[0]?.level).toBe('moderator');
    // Custom commands may not take a built-in's default name.
    for (const name of BUILTIN_CHAT_COMMANDS) expect(BUILTIN_COMMANDS as readonly string[]).toContain(name);
  });
});
