import { MaintenanceJob } from '@kickcord/queue';
import type { MaintenanceTask } from '../maintenance/MaintenanceTask.ts';
import { expireStuckReplies } from './KickChatSender.ts';

/** Every minute: chat replies left `pending` by a process that stopped while sending become `failed` (see /kick status). */
export const expireStuckRepliesTask: MaintenanceTask = {
  name: MaintenanceJob.ExpireStuckChatReplies,
  everyMs: 60_000,
  run: (ctx) => expireStuckReplies(ctx.prisma, ctx.now()),
};
