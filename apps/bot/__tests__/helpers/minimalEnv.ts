/** The smallest valid bot environment (as strings, as the process would read it). */
export const MINIMAL_BOT_ENV = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test',
  PUBLIC_URL: 'http://127.0.0.1:9',
  TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
  KICK_CLIENT_ID: 'client',
  KICK_CLIENT_SECRET: 'secret',
  DISCORD_TOKEN: 'token',
  DISCORD_CLIENT_ID: '100000000000000001',
} as const;
