import { describe, expect, it } from 'vitest';
import { renderTemplate, type TemplateValues } from '../../src/templates/renderTemplate.ts';
import { announce, chat, compiled, render } from './helpers.ts';

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
