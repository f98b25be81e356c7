// Redis connections (single server or Redis Cluster) and the install's keyspace.
export { createRedisConnection, parseRedisUrl, RedisUrlError, whenRedisReady } from './connection.ts';
export type { RedisConnection, RedisConnectionOptions, RedisTarget } from './connection.ts';
export { DEFAULT_KEY_PREFIX, isSafeJobId, queueKeyPrefix } from './keyspace.ts';
export { redisScript, runScript } from './redisScript.ts';
export type { RedisScript } from './redisScript.ts';
export { announceCacheInvalidation, cacheInvalidationChannel, invalidateCacheEntries, LocalCopies } from './LocalCopies.ts';
export type { LocalCopiesOptions } from './LocalCopies.ts';

// Queues, job contracts and workers.
export {
  KICK_EVENTS_QUEUE,
  kickEventJobOptions,
  kickEventJobSchema,
  MAINTENANCE_QUEUE,
  MaintenanceJob,
  maintenanceJobOptions,
} from './jobs.ts';
export type { KickEventJob, MaintenanceJobName } from './jobs.ts';
export { createKickEventsQueue, createKickEventsWorker, createMaintenanceQueue, createMaintenanceWorker } from './queues.ts';
export type { QueueFactoryOptions, WorkerFactoryOptions } from './queues.ts';

// Changes the web dashboard asks the bot to make (same code as the slash commands).
export {
  createGuildActionsWorker,
  GUILD_ACTION_MAX_AGE_MS,
  GUILD_ACTIONS_QUEUE,
  GuildActionClient,
  guildActionJobSchema,
  GuildActionTimeoutError,
  readGuildActionResult,
} from './guildActions.ts';
export type { GuildActionActor, GuildActionClientOptions, GuildActionData, GuildActionJob, GuildActionResult } from './guildActions.ts';

// OBS overlay events: one Redis stream per guild, read by the web app's SSE endpoints.
export {
  guildIdOfOverlayStream,
  OVERLAY_ALERT_KINDS,
  OVERLAY_ALERT_LABELS,
  OVERLAY_SOUNDS,
  OVERLAY_STREAM_MAX_LENGTH,
  OVERLAY_TALLY_RETENTION_MS,
  OVERLAY_WIDGETS,
  overlayStreamKey,
  overlayTallyKey,
  publishOverlayEvent,
  readOverlayEntry,
  readOverlayTally,
  recordOverlayTally,
} from './overlayEvents.ts';
export type { OverlayAlert, OverlayAlertKind, OverlayChatLine, OverlayEvent, OverlayGame, OverlayGoal, OverlayLeaderboard, OverlaySound, OverlayTallyKind, OverlayWidget } from './overlayEvents.ts';

// The batched producer of `kick-events` jobs (web's ingest path).
export { EnqueueTimeoutError, ENQUEUER_BULLMQ_VERSION, KickEventEnqueuer, kickEventJobJson, UnsafeJobIdError } from './KickEventEnqueuer.ts';
export type { EnqueueOutcome, KickEventEnqueuerOptions } from './KickEventEnqueuer.ts';

// For tests and the sandbox.
export { testQueuePrefix, waitFor } from './testing.ts';
export { startLocalRedisCluster } from './redisCluster.ts';
export { startPrivateRedis } from './privateRedis.ts';
export type { PrivateRedis } from './privateRedis.ts';
export type { LocalRedisCluster } from './redisCluster.ts';
