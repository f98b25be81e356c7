import { Events, type Client, type REST } from 'discord.js';
import type { BotContext } from '../context.ts';
import { concurrencyLimit } from './concurrencyLimit.ts';
import { createDiscordClient } from './createDiscordClient.ts';
import { onGuildJoined, onGuildLeft } from './guildLifecycle.ts';
import { createInteractionRouter } from './interactionRouter.ts';
import { loginGateway } from './loginGateway.ts';
import { RedisIdentifyThrottler } from './RedisIdentifyThrottler.ts';
import { resolveShardPlan, type ShardPlan } from './resolveShardPlan.ts';
import type { SlashCommand } from './SlashCommand.ts';
import { formatShardIds } from './shardIds.ts';

/**
 * Guild joins and leaves written to the database at once. A shard becoming ready (or available again after an
 * outage) announces all its guilds together; unbounded, their upserts would wait for pool connections until
 * they time out.
 */
export const GUILD_SYNC_CONCURRENCY = 4;

/** A logged-in gateway: the client, the shards it holds, and when its guilds are synced. */
export interface Gateway {
  client: Client;
  shards: ShardPlan;
  /** Resolves when every shard of this process is ready and its guilds are synced to the database. */
  ready: Promise<void>;
}

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  ctx: BotContext;
  /** Discord REST base URL (the shared proxy when configured). */
  apiUrl: string;
  /** Bot-token REST for `GET /gateway/bot` (shard count, the recommendation in error messages). */
  rest: REST;
  commands: readonly SlashCommand[];
  /** Called once the shards are known and before login (the holder of shard 0 registers the commands). */
  beforeLogin?: (shards: ShardPlan) => Promise<void>;
}

/**
 * Connects this process's shards (DISCORD_SHARD_COUNT / DISCORD_SHARD_IDS) to the Discord gateway:
 * interactions are routed to the slash commands, guild joins and leaves keep the tenants in step, and
 * IDENTIFYs wait for a Redis slot shared by every gateway process of the install (`<prefix>:identify:<key>`),
 * so shards on several machines respect `max_concurrency`.
 */
export async function startGateway(options: StartGatewayOptions): Promise<Gateway> {
  const { ctx, commands } = options;
  const { env, logger } = ctx;
  const shards = await resolveShardPlan({ shardCount: env.DISCORD_SHARD_COUNT, shardIds: env.DISCORD_SHARD_IDS }, options.rest);
  const client = createDiscordClient({
    apiUrl: options.apiUrl,
    shards,
    async buildIdentifyThrottler(manager) {
      const info = await manager.fetchGatewayInformation();
      return new RedisIdentifyThrottler({ redis: ctx.redis, maxConcurrency: info.session_start_limit.max_concurrency, key: (rateLimitKey) => ctx.keys.identify(rateLimitKey) });
    },
  });

  const sync = concurrencyLimit(GUILD_SYNC_CONCURRENCY);
  const joined = (guild: Parameters<typeof onGuildJoined>[0]) => sync(() => onGuildJoined(guild, ctx));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.GuildCreate, (guild) => void joined(guild).catch((err: unknown) => logger.error({ err, guildId: guild.id }, 'guild join failed')));
  client.on(Events.GuildAvailable, (guild) => void joined(guild).catch((err: unknown) => logger.error({ err, guildId: guild.id }, 'guild sync failed')));
  client.on(Events.GuildDelete, (guild) => {
    if (guild.available === false) return; // an outage, not a removal
    void sync(() => onGuildLeft(guild, ctx)).catch((err: unknown) => logger.error({ err, guildId: guild.id }, 'guild leave failed'));
  });
  const route = createInteractionRouter(commands, ctx);
  client.on(Events.InteractionCreate, (interaction) => {
    logger.debug({ interactionId: interaction.id, guildId: interaction.guildId, shardId: interaction.guild?.shardId }, 'interaction received');
    void route(interaction);
  });

  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, (readyClient) => {
      Promise.all(readyClient.guilds.cache.map((g) => joined(g)))
        .then(() => logger.info({ guilds: readyClient.guilds.cache.size, user: readyClient.user.tag, shards: formatShardIds(shards.shardIds), shardCount: shards.shardCount }, 'discord ready'))
        .then(resolve, reject);
    });
  });
  ready.catch(() => undefined);

  try {
    await options.beforeLogin?.(shards);
    logger.info({ shards: formatShardIds(shards.shardIds), shardCount: shards.shardCount }, 'connecting to the Discord gateway');
    await loginGateway(client, { token: env.DISCORD_TOKEN, plan: shards, rest: options.rest });
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw error;
  }
  return { client, shards, ready };
}
