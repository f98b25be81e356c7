import { Queue, Worker, type ConnectionOptions, type Processor, type WorkerOptions } from 'bullmq';
import { KICK_EVENTS_QUEUE, kickEventJobOptions, MAINTENANCE_QUEUE, maintenanceJobOptions, type KickEventJob } from './jobs.ts';
import { DEFAULT_KEY_PREFIX, queueKeyPrefix } from './keyspace.ts';

/** Options shared by the queue and worker factories. */
export interface QueueFactoryOptions {
  connection: ConnectionOptions;
  /** The install's key prefix (`QUEUE_PREFIX`, default `kc`); the queue's keys go under `<prefix>:{q}`. */
  prefix?: string;
}

/** The `kick-events` queue (producer side). */
export function createKickEventsQueue(options: QueueFactoryOptions): Queue<KickEventJob> {
  return new Queue<KickEventJob>(KICK_EVENTS_QUEUE, {
    connection: options.connection,
    prefix: queueKeyPrefix(options.prefix ?? DEFAULT_KEY_PREFIX),
    defaultJobOptions: kickEventJobOptions,
  });
}

/** The maintenance queue (schedulers and their jobs). */
export function createMaintenanceQueue(options: QueueFactoryOptions): Queue {
  return new Queue(MAINTENANCE_QUEUE, {
    connection: options.connection,
    prefix: queueKeyPrefix(options.prefix ?? DEFAULT_KEY_PREFIX),
    defaultJobOptions: maintenanceJobOptions,
  });
}

/** Options of the worker factories: BullMQ's, less `connection` and `prefix`, which the factory sets. */
export type WorkerFactoryOptions = QueueFactoryOptions & Omit<WorkerOptions, 'connection' | 'prefix'>;

/** A BullMQ worker of the `kick-events` queue under the install's prefix. */
export function createKickEventsWorker<R>(processor: Processor<KickEventJob, R>, options: WorkerFactoryOptions): Worker<KickEventJob, R> {
  const { connection, prefix, ...rest } = options;
  return new Worker<KickEventJob, R>(KICK_EVENTS_QUEUE, processor, { ...rest, connection, prefix: queueKeyPrefix(prefix ?? DEFAULT_KEY_PREFIX) });
}

/** A BullMQ worker of the maintenance queue under the install's prefix. */
export function createMaintenanceWorker<R>(processor: Processor<unknown, R>, options: WorkerFactoryOptions): Worker<unknown, R> {
  const { connection, prefix, ...rest } = options;
  return new Worker<unknown, R>(MAINTENANCE_QUEUE, processor, { ...rest, connection, prefix: queueKeyPrefix(prefix ?? DEFAULT_KEY_PREFIX) });
}
