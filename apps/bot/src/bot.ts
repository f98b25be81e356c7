import { KickConnectionStore, SubscriptionService, TokenRefresher } from '@kickcord/connections';
import { createPrismaClient, TokenCipher } from '@kickcord/db';
import { KickApiClient, KickOAuth } from '@kickcord/kick';
import { createKickEventsWorker, createMaintenanceQueue, createMaintenanceWorker, createRedisConnection } from '@kickcord/queue';
import { Events, REST, Routes, type Client } from 'discord.js';
import type { BotContext } from './context.ts';
import { createDiscordClient } from './discord/createDiscordClient.ts';
import { onGuildJoined, onGuildLeft } from './discord/guildLifecycle.ts';
import { createInteractionRouter } from './discord/interactionRouter.ts';
import type { SlashCommand } from './discord/SlashCommand.ts';
import type { BotEnv } from './env.ts';
import { commands as defaultCommands, kickEventHandlers, maintenanceTasks as defaultTasks } from './features/assemble.ts';
import { KickChatSender } from './kickChat/KickChatSender.ts';
import type { KickEventHandler } from './kickEvents/KickEventHandler.ts';
import { processKickEvent } from './kickEvents/processKickEvent.ts';
import { RedisKeys } from './redisKeys.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMaintenanceProcessor, scheduleMaintenanceTasks } from './maintenance/maintenanceProcessor.ts';
import type { MaintenanceTask } from './maintenance/MaintenanceTask.ts';

/** Options for {@link startBot}; everything but `env` has a production default (what the features contribute). */
export interface StartBotOptions {
  env: BotEnv;
  logger?: Logger;
  now?: () => Date;
  /** Slash commands to serve; default every feature's. */
  commands?: SlashCommand[];
  /** Kick event handlers; default every feature's, then the chat command dispatcher. */
  handlers?: KickEventHandler[];
  /** Maintenance tasks; default every feature's. */
  tasks?: MaintenanceTask[];
  /** Register slash commands at start (global, or DISCORD_DEV_GUILD_ID). Default true. */
  registerCommands?: boolean;
  /** Create the repeatable maintenance schedules. Default true. */
  schedule?: boolean;
}

/** A running bot process. */
export interface BotHandle {
  ctx: BotContext;
  discord: Client;
  /** Resolves when discord.js is ready and guilds are synced. */
  ready: Promise<void>;
  /** Finishes jobs in hand, then closes Discord, Redis and Prisma. */
  close(): Promise<void>;
}

/** Registers the slash commands with Discord (bulk overwrite: idempotent). */
export async function registerCommands(env: Pick<BotEnv, 'DISCORD_TOKEN' | 'DISCORD_CLIENT_ID' | 'DISCORD_API_URL' | 'DISCORD_DEV_GUILD_ID'>, list: readonly SlashCommand[] = defaultCommands): Promise<number> {
  const rest = new REST({ api: env.DISCORD_API_URL }).setToken(env.DISCORD_TOKEN);
  const body = list.map((c) => c.data);
  const route = env.DISCORD_DEV_GUILD_ID ? Routes.applicationGuildCommands(env.DISCORD_CLIENT_ID, env.DISCORD_DEV_GUILD_ID) : Routes.applicationCommands(env.DISCORD_CLIENT_ID);
  await rest.put(route, { body });
  return body.length;
}

/** Starts the discord.js client, the kick-events and maintenance workers, and the schedules. */
export async function startBot(options: StartBotOptions): Promise<BotHandle> {
  const { env } = options;
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  const now = options.now ?? (() => new Date());
  const commands = options.commands ?? defaultCommands;
  const handlers = options.handlers ?? kickEventHandlers;
  const tasks = options.tasks ?? defaultTasks;

  const prisma = createPrismaClient(env.DATABASE_URL, {
    onConnectionError: (error) => logger.warn({ err: { message: error.message } }, 'database connection lost; it is replaced on the next query'),
  });
  const redis = createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-bot', enableAutoPipelining: true });
  const keys = new RedisKeys(env.QUEUE_PREFIX);
  const cipher = new TokenCipher(env.TOKEN_ENCRYPTION_KEY);
  const kickOAuth = new KickOAuth({ clientId: env.KICK_CLIENT_ID, clientSecret: env.KICK_CLIENT_SECRET, authUrl: env.KICK_AUTH_URL, apiUrl: env.KICK_API_URL });
  const kickApp = new KickApiClient({ apiUrl: env.KICK_API_URL, token: () => kickOAuth.appToken() });
  const subscriptions = new SubscriptionService({ prisma, oauth: kickOAuth, apiUrl: env.KICK_API_URL, logger, now });
  const connections = new KickConnectionStore({ prisma, cipher, oauth: kickOAuth, apiUrl: env.KICK_API_URL, subscriptions, logger, now });
  const refresher = new TokenRefresher({ prisma, store: connections, logger });
  const discord = createDiscordClient(env.DISCORD_API_URL);
  const kickChat = new KickChatSender({ prisma, redis, keys, connections, kickApiUrl: env.KICK_API_URL, logger, now, rateLimit: env.KICK_CHAT_RATE_LIMIT });
  const ctx: BotContext = { env, prisma, redis, keys, cipher, kickOAuth, kickApp, connections, subscriptions, refresher, kickChat, discord, logger, now };

  discord.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  discord.on(Events.GuildCreate, (guild) => void onGuildJoined(guild, ctx).catch((err: unknown) => logger.error({ err, guildId: guild.id }, 'guild join failed')));
  discord.on(Events.GuildAvailable, (guild) => void onGuildJoined(guild, ctx).catch((err: unknown) => logger.error({ err, guildId: guild.id }, 'guild sync failed')));
  discord.on(Events.GuildDelete, (guild) => {
    if (guild.available === false) return; // an outage, not a removal
    void onGuildLeft(guild, ctx).catch((err: unknown) => logger.error({ err, guildId: guild.id }, 'guild leave failed'));
  });
  const route = createInteractionRouter(commands, ctx);
  discord.on(Events.InteractionCreate, (interaction) => void route(interaction));

  const ready = new Promise<void>((resolve, reject) => {
    discord.once(Events.ClientReady, (client) => {
      Promise.all(client.guilds.cache.map((g) => onGuildJoined(g, ctx)))
        .then(() => logger.info({ guilds: client.guilds.cache.size, user: client.user.tag }, 'discord ready'))
        .then(resolve, reject);
    });
  });

  if (options.registerCommands ?? true) await registerCommands(env, commands);
  await discord.login(env.DISCORD_TOKEN);

  const bullConnections = [
    createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-bot-events' }),
    createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-bot-maintenance' }),
    createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-bot-scheduler' }),
  ] as const;
  const eventsWorker = createKickEventsWorker((job) => processKickEvent(ctx, handlers, job.data), {
    connection: bullConnections[0],
    prefix: env.QUEUE_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
  });
  eventsWorker.on('failed', (job, err) => logger.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'kick-events job failed'));
  eventsWorker.on('error', (err) => logger.error({ err }, 'kick-events worker error'));

  const maintenanceWorker = createMaintenanceWorker(createMaintenanceProcessor(tasks, ctx), { connection: bullConnections[1], prefix: env.QUEUE_PREFIX, concurrency: 4 });
  maintenanceWorker.on('failed', (job, err) => logger.warn({ err, job: job?.name }, 'maintenance job failed'));
  maintenanceWorker.on('error', (err) => logger.error({ err }, 'maintenance worker error'));

  const maintenanceQueue = createMaintenanceQueue({ connection: bullConnections[2], prefix: env.QUEUE_PREFIX });
  if (options.schedule ?? true) await scheduleMaintenanceTasks(maintenanceQueue, tasks);

  let closing: Promise<void> | undefined;
  return {
    ctx,
    discord,
    ready,
    close() {
      closing ??= (async () => {
        await Promise.allSettled([eventsWorker.close(), maintenanceWorker.close()]);
        await maintenanceQueue.close().catch(() => undefined);
        await discord.destroy();
        redis.disconnect();
        for (const c of bullConnections) c.disconnect();
        await prisma.$disconnect().catch(() => undefined);
      })();
      return closing;
    },
  };
}
