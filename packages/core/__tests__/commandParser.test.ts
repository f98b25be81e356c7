import { describe, expect, it } from 'vitest';
import { BUILTIN_COMMANDS, FEATURE_CHAT_COMMANDS, isBuiltinCommand, parseCommand, removeEmotes, replaceEmotesWithNames, targetUsername, validateCommandName, validatePrefix } from '../src/commandParser.ts';

describe('parseCommand', () => {
  it.each([
    ['!points', { name: 'points', args: [], rawArgs: '' }],
    ['!POINTS', { name: 'points', args: [], rawArgs: '' }],
    ['!Points @Alice', { name: 'points', args: ['@Alice'], rawArgs: '@Alice' }],
    ['   !top 2', { name: 'top', args: ['2'], rawArgs: '2' }],
    ['!gtb   1,234.50  ', { name: 'gtb', args: ['1,234.50'], rawArgs: '1,234.50' }],
    ['!call Sweet   Bonanza', { name: 'call', args: ['Sweet', 'Bonanza'], rawArgs: 'Sweet   Bonanza' }],
    ['!hug [emote:37226:KEKW] bob', { name: 'hug', args: ['KEKW', 'bob'], rawArgs: 'KEKW bob' }],
    ['!hug [emote:1:a][emote:2:b]', { name: 'hug', args: ['ab'], rawArgs: 'ab' }],
    ['!my_cmd2\ttab', { name: 'my_cmd2', args: ['tab'], rawArgs: 'tab' }],
    ['!x\u00a0nbsp', { name: 'x', args: ['nbsp'], rawArgs: 'nbsp' }],
  ])('%j', (content, expected) => {
    expect(parseCommand(content)).toEqual({ ...expected, prefix: '!' });
  });

  it.each([
    'points',
    'hello !points',
    '!',
    '! points',
    '!!!',
    '!what?',
    '!a-b',
    `!${'a'.repeat(33)}`,
    '',
    '   ',
    '[emote:1:KEKW] !points',
    '?points',
  ])('ignores %j', (content) => {
    expect(parseCommand(content)).toBeNull();
  });

  it('accepts a 32-character name', () => {
    expect(parseCommand(`!${'a'.repeat(32)}`)?.name).toBe('a'.repeat(32));
  });

  it('uses a configurable multi-character prefix', () => {
    expect(parseCommand('?? top', { prefix: '??' })).toBeNull();
    expect(parseCommand('??top 3', { prefix: '??' })).toEqual({ name: 'top', args: ['3'], rawArgs: '3', prefix: '??' });
    expect(parseCommand('!top', { prefix: '??' })).toBeNull();
    expect(parseCommand('$$$uptime', { prefix: '$$$' })?.name).toBe('uptime');
    expect(parseCommand('!top', { prefix: '' })).toBeNull();
  });
});

describe('emote helpers', () => {
  it('replaces or removes [emote:ID:NAME] tokens', () => {
    expect(replaceEmotesWithNames('hi [emote:123:catJAM] there')).toBe('hi catJAM there');
    expect(removeEmotes('hi [emote:123:catJAM] there')).toBe('hi  there');
    expect(replaceEmotesWithNames('[emote:x:bad] [emote:12:]')).toBe('[emote:x:bad] ');
  });
});

describe('targetUsername', () => {
  it.each([
    ['@Alice', 'Alice'],
    ['alice', 'alice'],
    ['@@bob', 'bob'],
    ['  @carol  ', 'carol'],
    ['@', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (arg, expected) => {
    expect(targetUsername(arg)).toBe(expected);
  });
});

describe('validateCommandName', () => {
  it.each([
    ['discord', 'discord'],
    ['Discord', 'discord'],
    ['!socials', 'socials'],
    ['  lurk_2 ', 'lurk_2'],
    ['a'.repeat(32), 'a'.repeat(32)],
  ])('accepts %j as %j', (input, name) => {
    expect(validateCommandName(input)).toEqual({ ok: true, name });
  });

  it.each([
    ['', 'Command name is empty — use 1–32 letters, digits or underscores, e.g. "discord".'],
    ['!', 'Command name is empty — use 1–32 letters, digits or underscores, e.g. "discord".'],
    ['a'.repeat(33), 'Command name is 33 characters long — the limit is 32.'],
    ['foo-bar', 'Command name "foo-bar" contains "-" — only letters a–z, digits 0–9 and _ are allowed.'],
    ['two words', 'Command name "two words" contains a space — only letters a–z, digits 0–9 and _ are allowed.'],
    ['café', 'Command name "café" contains "é" — only letters a–z, digits 0–9 and _ are allowed.'],
    ['Points', '"points" is a built-in command — pick another name.'],
    ['!gtb', '"gtb" is a built-in command — pick another name.'],
  ])('rejects %j', (input, error) => {
    expect(validateCommandName(input)).toEqual({ ok: false, error });
  });

  it('rejects every built-in and strips a custom prefix', () => {
    expect(BUILTIN_COMMANDS).toEqual(['points', 'watchtime', 'top', 'commands', 'uptime', 'join', 'gtb', 'call', 'title', 'game', 'so', 'followage', 'quote', 'deaths']);
    for (const name of BUILTIN_COMMANDS) {
      expect(isBuiltinCommand(name)).toBe(true);
      expect(validateCommandName(name).ok).toBe(false);
    }
    expect(isBuiltinCommand('CALL')).toBe(true);
    expect(isBuiltinCommand('discord')).toBe(false);
    expect(validateCommandName('??lurk', { prefix: '??' })).toEqual({ ok: true, name: 'lurk' });
    expect(FEATURE_CHAT_COMMANDS).toEqual(['shop', 'redeem', 'gamble', 'duel', 'accept', 'link']);
  });
  it.each(['shop', 'Redeem', '!gamble', 'duel', 'accept', 'link'])('rejects %j: a feature\'s chat command (shop, chat games, linking) cannot be shadowed', (input) => {
    const name = input.replace('!', '').toLowerCase();
    expect(validateCommandName(input)).toEqual({ ok: false, error: `"${name}" is a built-in command — pick another name.` });
  });
});

describe('validatePrefix', () => {
  it.each(['!', '?', '$$', '~~~', '¡'])('accepts %j', (p) => {
    expect(validatePrefix(p)).toEqual({ ok: true, prefix: p });
  });

  it.each([
    ['', 'Prefix must be 1–3 characters long (got 0), e.g. "!" or "?".'],
    ['!!!!', 'Prefix must be 1–3 characters long (got 4), e.g. "!" or "?".'],
    ['a', 'Prefix "a" may not contain letters, digits, spaces or [ ] — use symbols such as ! ? $ or ~.'],
    ['!1', 'Prefix "!1" may not contain letters, digits, spaces or [ ] — use symbols such as ! ? $ or ~.'],
    ['! ', 'Prefix "! " may not contain letters, digits, spaces or [ ] — use symbols such as ! ? $ or ~.'],
    ['[', 'Prefix "[" may not contain letters, digits, spaces or [ ] — use symbols such as ! ? $ or ~.'],
  ])('rejects %j', (p, error) => {
    expect(validatePrefix(p)).toEqual({ ok: false, error });
  });
});
