import { MaintenanceJob } from '@kickcord/queue';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';
import { runLinkedRolesSync } from './linkedRolesSync.ts';

/** Every minute: write the role connections whose values changed (Linked Roles; nothing without DISCORD_CLIENT_SECRET). */
export const linkedRolesSyncTask: MaintenanceTask = {
  name: MaintenanceJob.LinkedRolesSync,
  everyMs: 60_000,
  run: (ctx) => runLinkedRolesSync(ctx),
};
