import { createPrismaClient, disconnectPrisma, TokenCipher, type PrismaClient } from '@kickcord/db';
import { DiscordUserApi, DiscordUserOAuth, RoleConnectionService, SubscriptionService } from '@kickcord/connections';
import { KickOAuth, WebhookKeyProvider } from '@kickcord/kick';
import { createKickEventsQueue, createRedisConnection, GuildActionClient, type KickEventJob, type RedisConnection } from '@kickcord/queue';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { WebEnv } from './env.ts';
import { createLogger } from './logger.ts';
import { WebMetrics } from './metrics.ts';

/** Settings the web app reads at run time (a subset of {@link WebEnv}, in handy units). */
export interface WebConfig {
  /** PUBLIC_URL without trailing slash. */
  publicUrl: string;
  kickApiUrl: string;
  adminPassword: string | undefined;
  webhookMaxAgeMs: number;
  webhookMaxBodyBytes: number;
  /** Worker threads for signature checks (0 = main thread). */
  webhookVerifyThreads: number;
  /** A webhook body must arrive within this long after its headers. */
  webhookBodyTimeoutMs: number;
  /** Webhook bodies read at once (one more ends the oldest). */
  webhookMaxPendingBodies: number;
  /** Bytes unfinished webhook bodies may buffer together (past it the oldest are ended). */
  webhookPendingBodyBytes: number;
  /** Request headers must be complete within this long (every route). */
  headersTimeoutMs: number;
  /** The install's Redis key prefix (QUEUE_PREFIX): the admin login limiter counts under `<prefix>:`. */
  installPrefix: string;
  /** Whether Bull Board may change queues and jobs (ADMIN_QUEUES_WRITABLE=1); read-only otherwise. */
  adminQueuesWritable: boolean;
  /** Failed Bull Board logins per client IP per window before 429. */
  adminAuthMaxFailures: number;
  adminAuthWindowMs: number;
}

/** Everything the web app needs; tests build it with their own database, Redis prefix and kick-sim. */
export interface WebDeps {
  config: WebConfig;
  prisma: PrismaClient;
  cipher: TokenCipher;
  /** Producer connection (fails fast when Redis is down; no auto-pipelining, see {@link createWebDeps}). */
  redis: RedisConnection;
  queue: Queue<KickEventJob>;
  keyProvider: WebhookKeyProvider;
  oauth: KickOAuth;
  subscriptions: SubscriptionService;
  /** Discord Linked Roles (`/linked-roles`); null when DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET are not set. */
  linkedRoles: LinkedRolesDeps | null;
  /** The web dashboard (`/dashboard`); null when DASHBOARD_SESSION_SECRET is not set. */
  dashboard: DashboardDeps | null;
  metrics: WebMetrics;
  logger: Logger;
}

/** What the Linked Roles verification needs: Discord's user OAuth2 and the role connection writer. */
export interface LinkedRolesDeps {
  oauth: DiscordUserOAuth;
  api: DiscordUserApi;
  service: RoleConnectionService;
}

/** What the dashboard needs: Discord's user OAuth2 (login), the user and bot REST calls, the session secret. */
export interface DashboardDeps {
  oauth: DiscordUserOAuth;
  api: DiscordUserApi;
  /** The bot token: reads a member's roles and a server's roles. */
  botToken: string;
  sessionSecret: string;
  /** Sends changes to the bot's `guild-actions` workers (the same code as the slash commands) and waits for the answer. */
  actions: GuildActionClient;
}

/** Options of {@link createWebDeps}. */
export interface CreateWebDepsOptions {
  /** Queue prefix (tests isolate themselves with `testQueuePrefix()`); default: the environment's QUEUE_PREFIX. */
  queuePrefix?: string;
  /** Log destination (tests pass a stream to inspect or silence logs). */
  logDestination?: NodeJS.WritableStream;
  /** An existing Prisma client to use instead of creating one from DATABASE_URL (not closed by `closeWebDeps`). */
  prisma?: PrismaClient;
}

/** Builds the web app's dependencies from a parsed environment. Close them with {@link closeWebDeps}. */
export function createWebDeps(env: WebEnv, options: CreateWebDepsOptions = {}): WebDeps & { ownsPrisma: boolean } {
  const logger = createLogger(env.LOG_LEVEL, options.logDestination);
  const prisma =
    options.prisma ??
    createPrismaClient(env.DATABASE_URL, {
      onConnectionError: (error) => logger.warn({ err: { message: error.message } }, 'database connection lost; it is replaced on the next query'),
    });
  // No ready check: with no offline queue, ioredis's INFO ready check rejects unhandled when the
  // connection drops mid-handshake. A Redis still loading its dataset answers LOADING → we answer 503.
  // No auto-pipelining: the webhook route already sends one script call per event-loop turn, and
  // ioredis's auto-pipeline kept each batch's ~25 KB command text alive past young-generation GCs —
  // measured 2026-11-23 on a 2-vCPU AMD EPYC VM (bench, allocation sampling of survivors): 87% of what
  // reached the old generation, which V8 then let grow to ~4× the live heap before a full GC (peak RSS
  // 270 → 205 MB without it; docs/performance.md).
  const redis = createRedisConnection(env.REDIS_URL, {
    usage: 'producer',
    enableReadyCheck: false,
    connectionName: 'kickcord-web',
  });
  // ioredis emits 'error' on every failed reconnect; /readyz and 503s report the outage, one line is enough.
  let redisDown = false;
  redis.on('error', (error: Error) => {
    if (!redisDown) logger.error({ err: { message: error.message } }, 'redis connection error');
    redisDown = true;
  });
  redis.on('ready', () => {
    if (redisDown) logger.info('redis connection restored');
    redisDown = false;
  });
  const installPrefix = options.queuePrefix ?? env.QUEUE_PREFIX;
  const queue = createKickEventsQueue({ connection: redis, prefix: installPrefix });
  queue.on('error', () => undefined);
  const keyProvider = new WebhookKeyProvider(env.KICK_WEBHOOK_PUBLIC_KEY ? { pem: env.KICK_WEBHOOK_PUBLIC_KEY } : { apiUrl: env.KICK_API_URL });
  // Fetch Kick's key now (when not pinned by env) so the first delivery does not wait for it.
  void keyProvider.getKey();
  const oauth = new KickOAuth({ clientId: env.KICK_CLIENT_ID, clientSecret: env.KICK_CLIENT_SECRET, authUrl: env.KICK_AUTH_URL, apiUrl: env.KICK_API_URL });
  const subscriptions = new SubscriptionService({ prisma, oauth, apiUrl: env.KICK_API_URL, logger: logger.child({ component: 'subscriptions' }) });
  const metrics = new WebMetrics(() => queue.getJobCounts());
  const cipher = new TokenCipher(env.TOKEN_ENCRYPTION_KEY);
  let linkedRoles: LinkedRolesDeps | null = null;
  let dashboard: DashboardDeps | null = null;
  if (env.DISCORD_CLIENT_ID && env.DISCORD_CLIENT_SECRET) {
    const discordOAuth = new DiscordUserOAuth({ clientId: env.DISCORD_CLIENT_ID, clientSecret: env.DISCORD_CLIENT_SECRET, apiUrl: env.DISCORD_API_URL });
    const api = new DiscordUserApi({ apiUrl: env.DISCORD_API_URL });
    const service = new RoleConnectionService({ prisma, cipher, oauth: discordOAuth, api, applicationId: env.DISCORD_CLIENT_ID, logger: logger.child({ component: 'linked-roles' }) });
    linkedRoles = { oauth: discordOAuth, api, service };
    // The env check requires DISCORD_TOKEN with DASHBOARD_SESSION_SECRET.
    if (env.DASHBOARD_SESSION_SECRET && env.DISCORD_TOKEN) {
      // Its own two connections: QueueEvents blocks on one, and neither may slow the webhook path's producer.
      const actions = new GuildActionClient({
        connection: createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-web-actions' }),
        eventsConnection: createRedisConnection(env.REDIS_URL, { connectionName: 'kickcord-web-action-events' }),
        prefix: installPrefix,
      });
      dashboard = { oauth: discordOAuth, api, botToken: env.DISCORD_TOKEN, sessionSecret: env.DASHBOARD_SESSION_SECRET, actions };
    }
  }
  return {
    config: {
      publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
      kickApiUrl: env.KICK_API_URL,
      adminPassword: env.ADMIN_PASSWORD,
      webhookMaxAgeMs: env.WEBHOOK_MAX_AGE_SECONDS * 1000,
      webhookMaxBodyBytes: env.WEBHOOK_MAX_BODY_BYTES,
      webhookVerifyThreads: env.WEBHOOK_VERIFY_THREADS,
      webhookBodyTimeoutMs: env.WEBHOOK_BODY_TIMEOUT_MS,
      webhookMaxPendingBodies: env.WEBHOOK_MAX_PENDING_BODIES,
      webhookPendingBodyBytes: env.WEBHOOK_PENDING_BODY_BYTES,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      installPrefix,
      adminQueuesWritable: env.ADMIN_QUEUES_WRITABLE,
      adminAuthMaxFailures: env.ADMIN_AUTH_MAX_FAILURES,
      adminAuthWindowMs: env.ADMIN_AUTH_WINDOW_SECONDS * 1000,
    },
    prisma,
    cipher,
    redis,
    queue,
    keyProvider,
    oauth,
    subscriptions,
    linkedRoles,
    dashboard,
    metrics,
    logger,
    ownsPrisma: options.prisma === undefined,
  };
}

/**
 * Closes a BullMQ queue that runs on a shared connection; never throws. BullMQ drops its connection's
 * listeners on close, yet a start-up check still waiting for a Redis that is down reports its failure
 * there once the shared connection is disconnected — with no listener left, as an unhandled rejection.
 * A no-op listener stays behind for it.
 */
export async function closeQueue(queue: Queue): Promise<void> {
  const connection = (queue as unknown as { connection?: NodeJS.EventEmitter }).connection;
  await queue.close().catch(() => undefined);
  connection?.on('error', () => undefined);
}

/** Closes the queue, Redis and (when owned) Prisma; never throws. */
export async function closeWebDeps(deps: WebDeps & { ownsPrisma?: boolean }): Promise<void> {
  await deps.dashboard?.actions.close();
  // BullMQ's close waits for a connection that may never come while Redis is down: bound it.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    closeQueue(deps.queue),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2_000);
    }),
  ]);
  clearTimeout(timer);
  // Disconnecting while ioredis is still setting the connection up (status "connect") makes its pending
  // commands reject unhandled inside ioredis (no offline queue); let it finish first.
  if (deps.redis.status === 'connect') {
    await new Promise<void>((resolve) => {
      const done = setTimeout(resolve, 1_000);
      deps.redis.once('ready', () => {
        clearTimeout(done);
        resolve();
      });
    });
  }
  deps.redis.disconnect();
  if (deps.ownsPrisma !== false) await disconnectPrisma(deps.prisma);
}
