import { discordEnv, encryptionEnv, kickEnv, loadEnvOrExit, logEnv, parseEnv, queueEnv, storageEnv } from '@kickcord/config';
import { PAYOUT_MINUTES_CHOICES } from '@kickcord/core';
import { z } from 'zod';
import type { ChatRateLimit } from './kickChat/KickChatSender.ts';

/**
 * `<messages>/<seconds>` (already checked by the pattern) as a {@link ChatRateLimit}. `String()` of the
 * result gives back the same text, so a parsed environment can be handed to a child process as strings.
 */
function parseChatRateLimit(value: string): ChatRateLimit {
  const [messages, windowSeconds] = value.split('/').map(Number) as [number, number];
  return Object.defineProperty({ messages, windowSeconds }, 'toString', { value: () => `${messages}/${windowSeconds}`, enumerable: false });
}

/** Everything apps/bot reads from the environment (validated at start). */
export const botEnvSchema = z.object({
  ...storageEnv,
  ...encryptionEnv,
  ...kickEnv,
  ...discordEnv,
  ...logEnv,
  ...queueEnv,
  PUBLIC_URL: z.url().describe('public URL of apps/web; /kick connect links point there'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16).describe('kick-events jobs processed at once per bot process'),
  DISCORD_DEV_GUILD_ID: z
    .string()
    .regex(/^\d{15,21}$/)
    .optional()
    .describe('register slash commands to this guild only (instant, for development)'),
  KICK_CHAT_RATE_LIMIT: z
    .string()
    .regex(/^\d{1,4}\/\d{1,4}$/, 'must be <messages>/<seconds>, e.g. 20/30')
    .default('20/30')
    .transform(parseChatRateLimit)
    .describe("kickcord's own cap on bot messages per Kick channel, as <messages>/<seconds> (default 20/30)"),
  KICK_BOT_USERNAME: z.string().min(1).default('kickbot').describe("the Kick account your app's bot messages appear as; kickcord ignores its chat messages"),
  WATCH_PAYOUT_MINUTES: z.coerce
    .number()
    .int()
    .refine((n) => (PAYOUT_MINUTES_CHOICES as readonly number[]).includes(n), { message: `must be one of ${PAYOUT_MINUTES_CHOICES.join(', ')}` })
    .default(5)
    .describe('watchtime points are paid in blocks of this many minutes (one ledger row per viewer per block); 1 = every minute'),
  /** Days an inactive (bot removed) guild's data is kept before the purge job deletes it. */
  GUILD_PURGE_AFTER_DAYS: z.coerce.number().int().min(1).max(3650).default(30).describe('days to keep a guild after the bot is removed'),
});
export type BotEnv = z.infer<typeof botEnvSchema>;

/** Parses the bot environment; throws EnvError listing every problem. */
export function parseBotEnv(source?: Record<string, string | undefined>): BotEnv {
  return parseEnv(botEnvSchema, source);
}

/** For the process entry point: prints the problems and exits 78 on invalid configuration. */
export function loadBotEnvOrExit(): BotEnv {
  return loadEnvOrExit(botEnvSchema);
}
