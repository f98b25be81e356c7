import { describe, expect, it } from 'vitest';
import { buildChatCommandValues } from '../../src/templates/chatCommandValues.ts';
import { render } from './helpers.ts';

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
