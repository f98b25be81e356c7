import { Queue, type ConnectionOptions } from 'bullmq';
import { KICK_EVENTS_QUEUE, kickEventJobOptions, MAINTENANCE_QUEUE, maintenanceJobOptions, type KickEventJob } from './jobs.ts';

/** Options shared by queue factories; `prefix` isolates test runs (BullMQ default `bull`). */
export interface QueueFactoryOptions {
  connection: ConnectionOptions;
  prefix?: string;
}

/** The `kick-events` queue (producer side). */
export function createKickEventsQueue(options: QueueFactoryOptions): Queue<KickEventJob> {
  return new Queue<KickEventJob>(KICK_EVENTS_QUEUE, {
    connection: options.connection,
    prefix: options.prefix ?? 'bull',
    defaultJobOptions: kickEventJobOptions,
  });
}

/** The maintenance queue (schedulers and their jobs). */
export function createMaintenanceQueue(options: QueueFactoryOptions): Queue {
  return new Queue(MAINTENANCE_QUEUE, {
    connection: options.connection,
    prefix: options.prefix ?? 'bull',
    defaultJobOptions: maintenanceJobOptions,
  });
}
