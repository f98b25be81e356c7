import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/templates/compileTemplate.ts';
import { ANNOUNCEMENT_VARIABLES_BY_EVENT } from '../../src/templates/variables.ts';
import { announce, chat, compiled } from './helpers.ts';

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
