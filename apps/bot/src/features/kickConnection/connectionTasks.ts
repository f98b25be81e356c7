import { processReconcileSubscriptions, processRefreshTokens } from '@kickcord/connections';
import { MaintenanceJob } from '@kickcord/queue';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';

/** Every 15 minutes: converge Kick event subscriptions with what linked guilds need. */
export const reconcileSubscriptionsTask: MaintenanceTask = {
  name: MaintenanceJob.ReconcileSubscriptions,
  everyMs: 15 * 60_000,
  run: (ctx) => processReconcileSubscriptions({ subscriptions: ctx.subscriptions }),
};

/** Every 5 minutes: refresh streamers' access tokens before they expire. */
export const refreshTokensTask: MaintenanceTask = {
  name: MaintenanceJob.RefreshTokens,
  everyMs: 5 * 60_000,
  run: (ctx) => processRefreshTokens({ refresher: ctx.refresher, now: ctx.now }),
};
