import { processReconcileSubscriptions, processRefreshTokens } from '@kickcord/connections';
import { MaintenanceJob } from '@kickcord/queue';
import { purgeInactiveGuilds } from '../discord/guildLifecycle.ts';
import type { MaintenanceTask } from './MaintenanceProcessor.ts';

/** Subscription reconcile, token refresh and the inactive-guild purge. */
export const coreMaintenanceTasks: MaintenanceTask[] = [
  {
    name: MaintenanceJob.ReconcileSubscriptions,
    everyMs: 15 * 60_000,
    run: (ctx) => processReconcileSubscriptions({ subscriptions: ctx.subscriptions }),
  },
  {
    name: MaintenanceJob.RefreshTokens,
    everyMs: 5 * 60_000,
    run: (ctx) => processRefreshTokens({ refresher: ctx.refresher, now: ctx.now }),
  },
  {
    name: MaintenanceJob.PurgeInactiveGuilds,
    everyMs: 24 * 3600_000,
    run: (ctx) => purgeInactiveGuilds(ctx, ctx.env.GUILD_PURGE_AFTER_DAYS),
  },
];
