import { describe, expect, it } from 'vitest';
import { parseBotEnv } from '../src/env.ts';

/** The smallest valid bot environment. */
const REQUIRED = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test',
  PUBLIC_URL: 'http://127.0.0.1:9',
  TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
  KICK_CLIENT_ID: 'client',
  KICK_CLIENT_SECRET: 'secret',
  DISCORD_TOKEN: 'token',
  DISCORD_CLIENT_ID: '100000000000000001',
};

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
