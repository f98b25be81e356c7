import { discordEnv, discordOAuthEnv, encryptionEnv, kickEnv, loadEnvOrExit, logEnv, parseEnv, queueEnv, retentionEnv, storageEnv } from '@kickcord/config';
import { PAYOUT_MINUTES_CHOICES } from '@kickcord/core';
import { z } from 'zod';
import { formatShardIds, MAX_SHARD_ID, parseShardIds } from './discord/shardIds.ts';
import type { ChatRateLimit } from './kickChat/KickChatSender.ts';

/**
 * `<messages>/<seconds>` (already checked by the pattern) as a {@link ChatRateLimit}. `String()` of the
 * result gives back the same text, so a parsed environment can be handed to a child process as strings.
 */
function parseChatRateLimit(value: string): ChatRateLimit {
  const [messages, windowSeconds] = value.split('/').map(Number) as [number, number];
  return Object.defineProperty({ messages, windowSeconds }, 'toString', { value: () => `${messages}/${windowSeconds}`, enumerable: false });
}

/** What a bot process runs: see {@link botEnvSchema}'s `BOT_ROLE`. */
export const BOT_ROLES = ['all', 'gateway', 'worker'] as const;
export type BotRole = (typeof BOT_ROLES)[number];

/** Everything apps/bot reads from the environment (validated at start). */
export const botEnvSchema = z
  .object({
    ...storageEnv,
    ...encryptionEnv,
    ...kickEnv,
    ...discordEnv,
    ...discordOAuthEnv,
    ...logEnv,
    ...queueEnv,
    ...retentionEnv,
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
    BOT_ROLE: z
      .enum(BOT_ROLES)
      .default('all')
      .describe('what this process runs: gateway (Discord shards, slash commands, guild joins), worker (Kick event jobs, timers and maintenance over Discord REST, no gateway session) or all (both; the default)'),
    DISCORD_SHARD_COUNT: z
      .string()
      .regex(/^(auto|[1-9]\d{0,4})$/, 'must be auto or a whole number of shards ≥ 1')
      .default('auto')
      .transform((v): number | 'auto' => (v === 'auto' ? 'auto' : Number(v)))
      .describe("total Discord shards shared by every gateway process: auto (Discord's recommendation from GET /gateway/bot) or a number"),
    DISCORD_SHARD_IDS: z
      .string()
      .transform((v, ctx) => {
        const parsed = parseShardIds(v);
        if (parsed.ok) return parsed.ids;
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return z.NEVER;
      })
      .optional()
      .describe(`the shards this gateway process holds, as ids and ranges (e.g. 0-3 or 0,2,5-7; at most ${MAX_SHARD_ID}); default every shard of DISCORD_SHARD_COUNT`),
    DISCORD_REST_PROXY_URL: z
      .url()
      .refine((v) => /^https?:$/.test(new URL(v).protocol) && /\/api\/?$/.test(new URL(v).pathname), 'must be an http(s) URL ending in /api, e.g. http://discord-proxy:8080/api')
      .transform((v) => v.replace(/\/$/, ''))
      .optional()
      .describe('send every Discord REST call through this proxy (apps/discord-proxy), so all bot processes share one view of the rate limits'),
  })
  .refine((env) => env.DISCORD_SHARD_COUNT === 'auto' || !env.DISCORD_SHARD_IDS || env.DISCORD_SHARD_IDS.every((id) => id < (env.DISCORD_SHARD_COUNT as number)), {
    path: ['DISCORD_SHARD_IDS'],
    error: (issue) => {
      const env = issue.input as { DISCORD_SHARD_COUNT: number; DISCORD_SHARD_IDS: number[] };
      const outside = env.DISCORD_SHARD_IDS.filter((id) => id >= env.DISCORD_SHARD_COUNT);
      return `names shard ${formatShardIds(outside)}, but DISCORD_SHARD_COUNT=${env.DISCORD_SHARD_COUNT} means shard ids 0-${env.DISCORD_SHARD_COUNT - 1}; raise DISCORD_SHARD_COUNT to the total every process shares, or drop those ids`;
    },
    // Checked whenever both variables themselves are valid, even if other variables are not.
    when: (payload) => payload.issues.every((issue) => issue.path?.[0] !== 'DISCORD_SHARD_IDS' && issue.path?.[0] !== 'DISCORD_SHARD_COUNT'),
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
