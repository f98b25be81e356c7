import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../src/templates/compileTemplate.ts';
import { ANNOUNCEMENT_EVENTS, ANNOUNCEMENT_VARIABLES, ANNOUNCEMENT_VARIABLES_BY_EVENT, CHAT_COMMAND_VARIABLES, DEFAULT_ANNOUNCEMENT_TEMPLATES } from '../../src/templates/variables.ts';

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
