import { flushLastHeard } from '@kickcord/connections';
import { MaintenanceJob } from '@kickcord/queue';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';

/** Every 15 seconds: move the chat path's "last heard from" marks to `KickSubscription.lastDeliveryAt` (`/kick status`). */
export const flushLastHeardTask: MaintenanceTask = {
  name: MaintenanceJob.FlushLastHeard,
  everyMs: 15_000,
  run: (ctx) => flushLastHeard(ctx.prisma, ctx.redis, ctx.env.QUEUE_PREFIX),
};
