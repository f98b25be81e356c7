import type { GuildFanOutCache, KickConnectionStore, SubscriptionService, TokenRefresher } from '@kickcord/connections';
import type { PrismaClient, TokenCipher } from '@kickcord/db';
import type { KickApiClient, KickOAuth } from '@kickcord/kick';
import type { REST } from 'discord.js';
import type { LocalCopies, RedisConnection } from '@kickcord/queue';
import type { BotEnv } from './env.ts';
import type { KickChatSender } from './kickChat/KickChatSender.ts';
import type { Logger } from './logger.ts';
import type { RedisKeys } from './redisKeys.ts';

/** Everything a command, event handler or job needs; built once per process in `startBot`. */
export interface BotContext {
  env: BotEnv;
  prisma: PrismaClient;
  /** General-purpose Redis (activity windows, cooldowns, counters); a Redis Cluster works too. */
  redis: RedisConnection;
  /**
   * This process's copies of hot Redis cache entries (guild settings, fan-out lists, raffle keyword hints),
   * dropped on every process when any process announces a change. Absent: every read goes to Redis.
   */
  localCopies?: LocalCopies;
  /** The names of every Redis key the bot writes, under the install's prefix. */
  keys: RedisKeys;
  cipher: TokenCipher;
  kickOAuth: KickOAuth;
  /** Kick REST with the app token (subscriptions, channel lookups for any broadcaster). */
  kickApp: KickApiClient;
  connections: KickConnectionStore;
  /** The guilds each delivery fans out to, cached in Redis; call `forget`/`forgetGuild` after changing links. */
  fanOut: GuildFanOutCache;
  subscriptions: SubscriptionService;
  refresher: TokenRefresher;
  /** Sends replies to Kick chat with the owner's token (rate-limited, deduplicated). */
  kickChat: KickChatSender;
  /**
   * Discord REST with the bot token: everything kickcord does on Discord outside an interaction (announcements)
   * goes through it, so a worker needs no gateway session. The gateway's discord.js client is `interaction.client`.
   */
  discordRest: REST;
  logger: Logger;
  /** Injected clock so schedules and tests agree on "now". */
  now: () => Date;
}
