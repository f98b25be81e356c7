import type { Job } from 'bullmq';
import type { BotContext } from '../context.ts';

/** A scheduled maintenance job: runs once per interval across all bot workers (BullMQ job scheduler). */
export interface MaintenanceTask {
  /** Job name (see MaintenanceJob in @kickcord/queue). */
  name: string;
  /** Interval between runs. */
  everyMs: number;
  run(ctx: BotContext, job: Job): Promise<unknown>;
}
