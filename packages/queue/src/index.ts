export { createRedisConnection } from './connection.ts';
export {
  KICK_EVENTS_QUEUE,
  kickEventJobOptions,
  kickEventJobSchema,
  MAINTENANCE_QUEUE,
  MaintenanceJob,
  maintenanceJobOptions,
} from './jobs.ts';
export type { KickEventJob, MaintenanceJobName } from './jobs.ts';
export { EnqueueTimeoutError, KickEventEnqueuer, kickEventJobJson, UnsafeJobIdError } from './KickEventEnqueuer.ts';
export type { EnqueueOutcome, KickEventEnqueuerOptions } from './KickEventEnqueuer.ts';
export { createKickEventsQueue, createMaintenanceQueue } from './queues.ts';
export type { QueueFactoryOptions } from './queues.ts';
export { testQueuePrefix, waitFor } from './testing.ts';
