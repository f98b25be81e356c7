import { describe, expect, it } from 'vitest';
import {
  ANNOUNCEMENT_EVENTS,
  ANNOUNCEMENT_VARIABLES,
  ANNOUNCEMENT_VARIABLES_BY_EVENT,
  buildChatCommandValues,
  CHAT_COMMAND_VARIABLES,
  compileTemplate,
  type CompiledTemplate,
  DEFAULT_ANNOUNCEMENT_TEMPLATES,
  fitChatMessage,
  renderTemplate,
  type TemplateValues,
} from '../src/index.ts';

const chat = { allowed: CHAT_COMMAND_VARIABLES };
const announce = { allowed: ANNOUNCEMENT_VARIABLES };

function compiled(source: string, options: { allowed: readonly string[] } = chat): CompiledTemplate {
  const result = compileTemplate(source, options);
  if (!result.ok) throw new Error(`expected ${source} to compile: ${JSON.stringify(result.errors)}`);
  return result.template;
}

const never = (): number => {
  throw new Error('rng must not be called');
};

function render(source: string, values: TemplateValues, options: { allowed: readonly string[] } = chat, rng: () => number = never): string {
  return renderTemplate(compiled(source, options), values, rng);
}

describe('variable lists', () => {
  it('exports the chat and announcement variables', () => {
    expect([...CHAT_COMMAND_VARIABLES]).toEqual(['user', 'touser', 'args', 'points', 'watchtime', 'count', 'uptime', 'title', 'category', 'random']);
    for (const v of ['streamer', 'url', 'viewers', 'months', 'gifter', 'amount', 'follower', 'subscriber', 'reward', 'input', 'moderator', 'banned', 'reason', 'duration', 'title', 'category', 'random']) {
      expect(ANNOUNCEMENT_VARIABLES).toContain(v);
    }
  });

  it.each(ANNOUNCEMENT_EVENTS)('default %s announcement compiles against its own variables', (event) => {
    const result = compileTemplate(DEFAULT_ANNOUNCEMENT_TEMPLATES[event], { allowed: ANNOUNCEMENT_VARIABLES_BY_EVENT[event] });
    expect(result.ok).toBe(true);
  });
});

describe('renderTemplate — chat variables', () => {
  const values: TemplateValues = {
    user: 'alice',
    touser: 'bob',
    args: 'bob and friends',
    points: 1250,
    watchtime: '3h 05m',
    count: 42,
    uptime: '1h 02m',
    title: 'Bonus hunt!',
    category: 'Slots & Casino',
  };
  it.each([
    ['{user}', 'alice'],
    ['{touser}', 'bob'],
    ['{args}', 'bob and friends'],
    ['{points}', '1250'],
    ['{watchtime}', '3h 05m'],
    ['{count}', '42'],
    ['{uptime}', '1h 02m'],
    ['{title}', 'Bonus hunt!'],
    ['{category}', 'Slots & Casino'],
    ['{ USER } has {Points} points', 'alice has 1250 points'],
    ['Hi {user}, {touser}!', 'Hi alice, bob!'],
  ])('%s → %s', (source, expected) => {
    expect(render(source, values)).toBe(expected);
  });

  it('renders missing values as empty, {touser} falling back to {user}', () => {
    expect(render('[{points}][{title}][{args}]', { user: 'alice' })).toBe('[][][]');
    expect(render('hug {touser}', { user: 'alice' })).toBe('hug alice');
    expect(render('hug {touser}', { user: 'alice', touser: '' })).toBe('hug alice');
    expect(render('{touser}', {})).toBe('');
    expect(render('{points}', { points: Number.NaN })).toBe('');
    expect(render('{points}', { points: 0 })).toBe('0');
    expect(render('{points}', { points: null })).toBe('');
  });

  it('never interprets braces inside values', () => {
    expect(render('{args}', { args: '{user} {{x}}' })).toBe('{user} {{x}}');
  });
});

describe('renderTemplate — announcement variables', () => {
  const values: TemplateValues = {
    streamer: 'xqc',
    url: 'https://kick.com/xqc',
    viewers: 31000,
    months: 7,
    gifter: 'gen',
    amount: 5,
    follower: 'fan',
    subscriber: 'sub1',
    reward: 'Hydrate',
    input: 'drink water',
    moderator: 'mod',
    banned: 'troll',
    reason: 'spam',
    duration: '10m',
    title: 'T',
    category: 'C',
  };
  it.each([
    ['{streamer}', 'xqc'],
    ['{url}', 'https://kick.com/xqc'],
    ['{viewers}', '31000'],
    ['{months}', '7'],
    ['{gifter}', 'gen'],
    ['{amount}', '5'],
    ['{follower}', 'fan'],
    ['{subscriber}', 'sub1'],
    ['{reward}', 'Hydrate'],
    ['{input}', 'drink water'],
    ['{moderator}', 'mod'],
    ['{banned}', 'troll'],
    ['{reason}', 'spam'],
    ['{duration}', '10m'],
  ])('%s → %s', (source, expected) => {
    expect(render(source, values, announce)).toBe(expected);
  });

  it('uses fallbacks for a ban without reason or duration', () => {
    expect(render('{banned}: {reason} ({duration})', { banned: 'troll' }, announce)).toBe('troll: no reason given (permanent)');
  });
});

describe('{random:…}', () => {
  it('picks the option at floor(rng * n)', () => {
    const t = compiled('{random:heads|tails|edge}');
    expect(renderTemplate(t, {}, () => 0)).toBe('heads');
    expect(renderTemplate(t, {}, () => 0.34)).toBe('tails');
    expect(renderTemplate(t, {}, () => 0.999999)).toBe('edge');
  });

  it('clamps out-of-range rng values and trims options', () => {
    const t = compiled('{random: a | b }');
    expect(renderTemplate(t, {}, () => 1)).toBe('b');
    expect(renderTemplate(t, {}, () => -1)).toBe('a');
    expect(renderTemplate(t, {}, () => Number.NaN)).toBe('a');
  });

  it('calls rng once per random part', () => {
    const draws = [0.9, 0.1];
    const t = compiled('{random:a|b} {random:c|d}');
    expect(renderTemplate(t, {}, () => draws.shift() ?? 0)).toBe('b c');
    expect(draws).toEqual([]);
  });

  it('is case-insensitive', () => {
    expect(render('{RANDOM:x}', {}, chat, () => 0.5)).toBe('x');
  });
});

describe('escapes', () => {
  it.each([
    ['{{user}}', '{user}'],
    ['{{', '{'],
    ['}}', '}'],
    ['a } b', 'a } b'],
    ['{{{user}}}', '{alice}'],
    [':}', ':}'],
  ])('%s → %s', (source, expected) => {
    expect(render(source, { user: 'alice' })).toBe(expected);
  });
});

describe('compileTemplate errors', () => {
  it.each([
    ['You have {poinst} points', 9, 'Unknown variable {poinst} at 9 — did you mean {points}?'],
    ['{usr}', 0, 'Unknown variable {usr} at 0 — did you mean {user}?'],
    ['{touesr}', 0, 'Unknown variable {touesr} at 0 — did you mean {touser}?'],
    ['hi {banana}', 3, 'Unknown variable {banana} at 3 — available: {user}, {touser}, {args}, {points}, {watchtime}, {count}, {uptime}, {title}, {category}, {random:a|b}.'],
    ['{viewers}', 0, '{viewers} at 0 is not available here — available: {user}, {touser}, {args}, {points}, {watchtime}, {count}, {uptime}, {title}, {category}, {random:a|b}.'],
    ['hi {user', 3, 'Unclosed { at 3 — close it with } or write {{ for a literal brace.'],
    ['{ {user}', 0, 'Unclosed { at 0 — close it with } or write {{ for a literal brace.'],
    ['x {}', 2, 'Empty variable {} at 2 — put a name inside, e.g. {user}, or write {{}} for literal braces.'],
    ['{random:}', 0, 'Empty random list at 0 — write {random:a|b|c}.'],
    ['{random: | }', 0, 'Empty random list at 0 — write {random:a|b|c}.'],
    ['{random}', 0, '{random} at 0 needs options — write {random:a|b|c}.'],
  ])('%j', (source, position, message) => {
    expect(compileTemplate(source, chat)).toEqual({ ok: false, errors: [{ position, message }] });
  });

  it('rejects templates longer than the limit', () => {
    expect(compileTemplate('x'.repeat(500), chat).ok).toBe(true);
    expect(compileTemplate('x'.repeat(523), chat)).toEqual({
      ok: false,
      errors: [{ position: 500, message: 'Template is 523 characters long — the limit is 500.' }],
    });
    expect(compileTemplate('x'.repeat(1500), { ...announce, maxLength: 2000 }).ok).toBe(true);
  });

  it('reports every error sorted by position', () => {
    const result = compileTemplate('{a} {user} {poinst} {', chat);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.position)).toEqual([0, 11, 20]);
    expect(result.errors[0]?.message).toMatch(/^Unknown variable \{a\} at 0/);
    expect(result.errors[2]?.message).toMatch(/^Unclosed \{ at 20/);
  });

  it('rejects {random:…} when random is not allowed', () => {
    expect(compileTemplate('{random:a|b}', { allowed: ['user'] })).toEqual({
      ok: false,
      errors: [{ position: 0, message: '{random:…} at 0 is not available here — available: {user}.' }],
    });
  });

  it('restricts announcements to their event variables', () => {
    const follow = { allowed: ANNOUNCEMENT_VARIABLES_BY_EVENT.follow };
    expect(compileTemplate('{follower} followed {streamer}', follow).ok).toBe(true);
    const bad = compileTemplate('{months}', follow);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]?.message).toBe('{months} at 0 is not available here — available: {streamer}, {url}, {random:a|b}, {follower}.');
  });

  it('lists the variables a compiled template uses', () => {
    expect(compiled('{user} {Points} {user} {random:a|b}').variables).toEqual(['user', 'points']);
  });
});

describe('buildChatCommandValues', () => {
  it('derives touser, args and watchtime', () => {
    expect(buildChatCommandValues({ user: 'alice', args: ['@Bob', 'x'], rawArgs: '@Bob  x', points: 5, watchtimeMinutes: 185, count: 3 })).toEqual({
      user: 'alice',
      touser: 'Bob',
      args: '@Bob  x',
      points: 5,
      watchtime: '3h 05m',
      count: 3,
      uptime: undefined,
      title: undefined,
      category: undefined,
    });
  });

  it('falls back to the sender for touser and joins args', () => {
    const values = buildChatCommandValues({ user: 'alice', args: [] });
    expect(values.touser).toBe('alice');
    expect(values.args).toBe('');
    expect(buildChatCommandValues({ user: 'a', args: ['x', 'y'] }).args).toBe('x y');
    expect(render('{user} hugs {touser}', buildChatCommandValues({ user: 'alice', args: ['@'] }))).toBe('alice hugs alice');
  });
});

describe('fitChatMessage', () => {
  it('returns short text unchanged', () => {
    expect(fitChatMessage('hello')).toBe('hello');
    expect(fitChatMessage('x'.repeat(500))).toBe('x'.repeat(500));
  });

  it('cuts on a word boundary with …', () => {
    expect(fitChatMessage('the quick brown fox jumps', 12)).toBe('the quick…');
    expect(fitChatMessage('the quick brown fox', 11)).toBe('the quick…');
    const long = 'word '.repeat(200);
    const fitted = fitChatMessage(long);
    expect(fitted.length).toBeLessThanOrEqual(500);
    expect(fitted.endsWith('word…')).toBe(true);
  });

  it('hard-cuts a single long word', () => {
    expect(fitChatMessage('a'.repeat(600))).toBe(`${'a'.repeat(499)}…`);
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
