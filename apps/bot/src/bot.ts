import { checkTokenEncryptionKey, GuildFanOutCache, KickConnectionStore, SubscriptionService, TokenKeyMismatchError, TokenRefresher } from '@kickcord/connections';
import { createPrismaClient, TokenCipher } from '@kickcord/db';
import { KickApiClient, KickOAuth } from '@kickcord/kick';
import { createGuildActionsWorker, createKickEventsWorker, createMaintenanceQueue, createMaintenanceWorker, createRedisConnection, LocalCopies } from '@kickcord/queue';
import { Routes, type Client, type REST } from 'discord.js';
import type { BotContext } from './context.ts';
import { createDiscordRest } from './discord/createDiscordRest.ts';
import type { ShardPlan } from './discord/resolveShardPlan.ts';
import { startGateway, type Gateway } from './discord/startGateway.ts';
import { DiscordTokenRefusedError, isDiscordTokenRefusal } from './discord/DiscordTokenRefusedError.ts';
import type { SlashCommand } from './discord/SlashCommand.ts';
import type { BotEnv, BotRole } from './env.ts';
import { commands as defaultCommands, guildActions as defaultGuildActions, kickEventHandlers, maintenanceTasks as defaultTasks } from './features/assemble.ts';
import { createGuildActionsProcessor } from './guildActions/guildActionsProcessor.ts';
import type { GuildAction } from './guildActions/GuildAction.ts';
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
  /** Guild actions the dashboard may ask for; default every feature's. */
  guildActions?: readonly GuildAction[];
  /** Register slash commands at start (global, or DISCORD_DEV_GUILD_ID) when this process holds shard 0. Default true. */
  registerCommands?: boolean;
  /** Create the repeatable maintenance schedules (worker side). Default true. */
  schedule?: boolean;
}

/** A running bot process. */
export interface BotHandle {
  /** What this process runs (BOT_ROLE). */
  role: BotRole;
  ctx: BotContext;
  /** The gateway's discord.js client (`gateway` and `all`); null in a worker, which has no gateway session. */
  discord: Client | null;
  /** The shards this process holds (`gateway` and `all`); null in a worker. */
  shards: ShardPlan | null;
  /** Resolves when the process is serving: its shards ready and guilds synced, its queue workers connected. */
  ready: Promise<void>;
  /** Finishes jobs in hand, then closes Discord, Redis and Prisma. */
  close(): Promise<void>;
}

/**
 * Registers the slash commands with Discord (bulk overwrite: idempotent), through DISCORD_REST_PROXY_URL when
 * set. `rest` defaults to a new bot-token REST client.
 */
export async function registerCommands(
  env: Pick<BotEnv, 'DISCORD_TOKEN' | 'DISCORD_CLIENT_ID' | 'DISCORD_API_URL' | 'DISCORD_DEV_GUILD_ID' | 'DISCORD_REST_PROXY_URL'>,
  list: readonly SlashCommand[] = defaultCommands,
  rest: Pick<REST, 'put'> = createDiscordRest(env.DISCORD_REST_PROXY_URL ?? env.DISCORD_API_URL, env.DISCORD_TOKEN),
): Promise<number> {
  const body = list.map((c) => c.data);
  const route = env.DISCORD_DEV_GUILD_ID ? Routes.applicationGuildCommands(env.DISCORD_CLIENT_ID, env.DISCORD_DEV_GUILD_ID) : Routes.applicationCommands(env.DISCORD_CLIENT_ID);
  await rest.put(route, { body });
  return body.length;
}

/** The queue side of a process: kick-events and maintenance workers and the maintenance schedules. */
interface QueueWorkers {
  ready: Promise<void>;
  close(): Promise<void>;
}

async function startQueueWorkers(ctx: BotContext, handlers: KickEventHandler[], tasks: readonly MaintenanceTask[], actions: readonly GuildAction[], schedule: boolean): Promise<QueueWorkers> {
  const { env, logger } = ctx;
  const bullConnections = [
    createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-bot-events' }),
    createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-bot-maintenance' }),
    createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-bot-scheduler' }),
    createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-bot-guild-actions' }),
  ] as const;
  // BullMQ completes jobs on the connection it is given: handlers may send idempotent writes on it ahead of the
  // completion (one connection runs in order). A cluster routes by key, so there it is not offered.
  const jobConnection = bullConnections[0].isCluster ? undefined : bullConnections[0];
  const eventsWorker = createKickEventsWorker((job) => processKickEvent(ctx, handlers, job.data, { jobConnection }), {
    connection: bullConnections[0],
    prefix: env.QUEUE_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
  });
  eventsWorker.on('failed', (job, err) => logger.warn({ err, jobId: job?.id, attempts: job?.attemptsMade }, 'kick-events job failed'));
  eventsWorker.on('error', (err) => logger.error({ err }, 'kick-events worker error'));

  const maintenanceWorker = createMaintenanceWorker(createMaintenanceProcessor(tasks, ctx), { connection: bullConnections[1], prefix: env.QUEUE_PREFIX, concurrency: 4 });
  maintenanceWorker.on('failed', (job, err) => logger.warn({ err, job: job?.name }, 'maintenance job failed'));
  maintenanceWorker.on('error', (err) => logger.error({ err }, 'maintenance worker error'));

  const actionsWorker = createGuildActionsWorker(createGuildActionsProcessor(actions, ctx), { connection: bullConnections[3], prefix: env.QUEUE_PREFIX, concurrency: 4 });
  actionsWorker.on('error', (err) => logger.error({ err }, 'guild-actions worker error'));

  const maintenanceQueue = createMaintenanceQueue({ connection: bullConnections[2], prefix: env.QUEUE_PREFIX });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await Promise.allSettled([eventsWorker.close(), maintenanceWorker.close(), actionsWorker.close()]);
      await maintenanceQueue.close().catch(() => undefined);
      for (const c of bullConnections) c.disconnect();
    })();
    return closing;
  };
  try {
    if (schedule) await scheduleMaintenanceTasks(maintenanceQueue, tasks);
  } catch (error) {
    await close();
    throw error;
  }
  const ready = Promise.all([eventsWorker.waitUntilReady(), maintenanceWorker.waitUntilReady(), actionsWorker.waitUntilReady()]).then(() => logger.info({ concurrency: env.WORKER_CONCURRENCY }, 'queue workers ready'));
  ready.catch(() => undefined);
  return { ready, close };
}

/**
 * Refuses to start when TOKEN_ENCRYPTION_KEY is not the key the stored tokens were encrypted with
 * (`TokenKeyMismatchError`, whose message says what to do). A database that cannot be reached yet does not
 * stop the start (jobs retry until it answers); the key is then checked by the next start.
 */
async function refuseWrongTokenKey(ctx: Pick<BotContext, 'prisma' | 'cipher' | 'logger'>): Promise<void> {
  try {
    await checkTokenEncryptionKey(ctx.prisma, ctx.cipher);
  } catch (error) {
    if (error instanceof TokenKeyMismatchError) throw error;
    ctx.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'token key check skipped at start: database not reachable');
  }
}

/**
 * Starts what BOT_ROLE asks for: `gateway` (discord.js with this process's shards: slash commands, guild joins
 * and leaves; the holder of shard 0 registers the commands), `worker` (kick-events and maintenance jobs, posting
 * to Discord over REST only) or `all` (both). Every Discord REST call goes through DISCORD_REST_PROXY_URL when set.
 */
export async function startBot(options: StartBotOptions): Promise<BotHandle> {
  const { env } = options;
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  const now = options.now ?? (() => new Date());
  const commands = options.commands ?? defaultCommands;
  const handlers = options.handlers ?? kickEventHandlers;
  const tasks = options.tasks ?? defaultTasks;
  const role = env.BOT_ROLE;

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
  // Hot cache entries (settings, fan-out lists, raffle hints) are copied into this process and dropped on
  // every process when one announces a change; see LocalCopies.
  const localCopies = await LocalCopies.start(redis, env.QUEUE_PREFIX);
  const fanOut = new GuildFanOutCache({ prisma, redis, keyPrefix: env.QUEUE_PREFIX, localCopies });
  const discordApi = env.DISCORD_REST_PROXY_URL ?? env.DISCORD_API_URL;
  const discordRest = createDiscordRest(discordApi, env.DISCORD_TOKEN);
  const kickChat = new KickChatSender({ prisma, redis, keys, connections, kickApiUrl: env.KICK_API_URL, logger, now, rateLimit: env.KICK_CHAT_RATE_LIMIT });
  const ctx: BotContext = { env, prisma, redis, localCopies, keys, cipher, kickOAuth, kickApp, connections, fanOut, subscriptions, refresher, kickChat, discordRest, logger, now };


  let gateway: Gateway | undefined;
  let workers: QueueWorkers | undefined;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await workers?.close();
      await gateway?.client.destroy();
      discordRest.clearHashSweeper();
      discordRest.clearHandlerSweeper();
      await localCopies.close();
      redis.disconnect();
      await prisma.$disconnect().catch(() => undefined);
    })();
    return closing;
  };

  try {
    logger.info({ role, restProxy: Boolean(env.DISCORD_REST_PROXY_URL) }, 'bot starting');
    await refuseWrongTokenKey(ctx);
    if (role !== 'worker') {
      gateway = await startGateway({
        ctx,
        apiUrl: discordApi,
        rest: discordRest,
        commands,
        beforeLogin: async (shards) => {
          // A bulk overwrite is idempotent, but one registration per deploy is enough: the holder of shard 0 does it.
          if ((options.registerCommands ?? true) && shards.shardIds.includes(0)) await registerCommands(env, commands, discordRest);
        },
      });
    }
    if (role !== 'gateway') workers = await startQueueWorkers(ctx, handlers, tasks, options.guildActions ?? defaultGuildActions, options.schedule ?? true);
  } catch (error) {
    await close();
    // Discord's raw 401 body says nothing about which setting is wrong.
    if (isDiscordTokenRefusal(error)) throw new DiscordTokenRefusedError({ cause: error });
    throw error;
  }

  const ready = Promise.all([gateway?.ready, workers?.ready]).then(() => undefined);
  ready.catch(() => undefined);
  return { role, ctx, discord: gateway?.client ?? null, shards: gateway?.shards ?? null, ready, close };
}
