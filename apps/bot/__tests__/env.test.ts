import { describe, expect, it } from 'vitest';
import { parseBotEnv } from '../src/env.ts';
import { MINIMAL_BOT_ENV } from './helpers/minimalEnv.ts';

/** The smallest valid bot environment. */
const REQUIRED = MINIMAL_BOT_ENV;

describe('bot environment', () => {
  it('parses KICK_CHAT_RATE_LIMIT into messages per window (default 20/30)', () => {
    expect(parseBotEnv(REQUIRED).KICK_CHAT_RATE_LIMIT).toEqual({ messages: 20, windowSeconds: 30 });
    expect(parseBotEnv({ ...REQUIRED, KICK_CHAT_RATE_LIMIT: '120/45' }).KICK_CHAT_RATE_LIMIT).toEqual({ messages: 120, windowSeconds: 45 });
  });

  it('turns a parsed KICK_CHAT_RATE_LIMIT back into the same text (a parsed environment passed on as strings)', () => {
    const env = parseBotEnv({ ...REQUIRED, KICK_CHAT_RATE_LIMIT: '7/9' });
    expect(String(env.KICK_CHAT_RATE_LIMIT)).toBe('7/9');
    const strings = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
    expect(parseBotEnv(strings).KICK_CHAT_RATE_LIMIT).toEqual({ messages: 7, windowSeconds: 9 });
  });

  it('refuses a KICK_CHAT_RATE_LIMIT that is not <messages>/<seconds>, saying what it expects', () => {
    for (const bad of ['20 per 30', '20/', '/30', '20/30/1', '12345/1']) {
      expect(() => parseBotEnv({ ...REQUIRED, KICK_CHAT_RATE_LIMIT: bad })).toThrow(
        "KICK_CHAT_RATE_LIMIT is invalid (must be <messages>/<seconds>, e.g. 20/30) — kickcord's own cap on bot messages per Kick channel",
      );
    }
  });
});
