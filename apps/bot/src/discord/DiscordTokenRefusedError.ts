/**
 * Discord answered 401 to the bot's token at start: the token is wrong, was reset, or belongs to another
 * application. The message says what to do and never contains the token.
 */
export class DiscordTokenRefusedError extends Error {
  override readonly name = 'DiscordTokenRefusedError';
  constructor(options?: { cause?: unknown }) {
    super(
      'DISCORD_TOKEN was refused by Discord (401) — copy the bot token again from the Discord Developer Portal ' +
        '(your application → Bot → Reset Token) into DISCORD_TOKEN, and check that DISCORD_CLIENT_ID is the same application.',
      options,
    );
  }
}

/** True for what discord.js throws when Discord refuses the token: a REST 401 or its TokenInvalid error. */
export function isDiscordTokenRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return status === 401 || code === 'TokenInvalid';
}
