import { processReconcileSubscriptions, processRefreshTokens } from '@kickcord/connections';
import { MaintenanceJob } from '@kickcord/queue';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';
import { sendGrantExpiryWarnings, sendReauthNotices } from './connectionNotices.ts';

/** Every 15 minutes: converge Kick event subscriptions with what linked guilds need. */
export const reconcileSubscriptionsTask: MaintenanceTask = {
  name: MaintenanceJob.ReconcileSubscriptions,
  everyMs: 15 * 60_000,
  run: (ctx) => processReconcileSubscriptions({ subscriptions: ctx.subscriptions }),
};

/**
 * Every 5 minutes: refresh streamers' access tokens before they expire, then tell each guild whose connection
 * needs the streamer to log in again (a dead refresh token, or chat refused twice with 401) — once per episode —
 * and warn each guild whose streamer's Kick consent runs out within 3 days, with a reconnect link.
 */
export const refreshTokensTask: MaintenanceTask = {
  name: MaintenanceJob.RefreshTokens,
  everyMs: 5 * 60_000,
  run: async (ctx) => {
    const counts = await processRefreshTokens({ refresher: ctx.refresher, now: ctx.now });
    const reauthNotices = await sendReauthNotices(ctx);
    const expiryWarnings = await sendGrantExpiryWarnings(ctx);
    return { ...counts, reauthNotices, expiryWarnings };
  },
};
