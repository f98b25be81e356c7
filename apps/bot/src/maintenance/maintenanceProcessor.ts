import type { Job, Queue } from 'bullmq';
import type { BotContext } from '../context.ts';
import type { MaintenanceTask } from './MaintenanceTask.ts';

/** The maintenance queue's job processor: runs the task named by the job. A job with no such task fails. */
export function createMaintenanceProcessor(tasks: readonly MaintenanceTask[], ctx: BotContext): (job: Job) => Promise<unknown> {
  const byName = new Map(tasks.map((t) => [t.name, t]));
  return async (job) => {
    const task = byName.get(job.name);
    if (!task) throw new Error(`no maintenance task named ${job.name}`);
    return task.run(ctx, job);
  };
}

/** Creates (or updates) one repeatable job scheduler per task on the maintenance queue. */
export async function scheduleMaintenanceTasks(queue: Pick<Queue, 'upsertJobScheduler'>, tasks: readonly MaintenanceTask[]): Promise<void> {
  for (const task of tasks) await queue.upsertJobScheduler(task.name, { every: task.everyMs }, { name: task.name });
}
