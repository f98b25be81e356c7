import { MaintenanceJob } from '@kickcord/queue';
import type { MaintenanceTask } from '../maintenance/MaintenanceProcessor.ts';
import { runLiveStatusCheck } from './liveStatusCheck.ts';
import { runWatchtimeTick } from './watchtimeTick.ts';

/** Every minute (once cluster-wide): pay live sessions their finished `WATCH_PAYOUT_MINUTES` blocks. */
export const watchtimeTickTask: MaintenanceTask = {
  name: MaintenanceJob.WatchtimeTick,
  everyMs: 60_000,
  run: (ctx) => runWatchtimeTick(ctx, { payoutMinutes: ctx.env.WATCH_PAYOUT_MINUTES }),
};

/** Every 2 minutes: confirm live status from Kick's channel API (missed go-live/offline webhooks). */
export const liveStatusCheckTask: MaintenanceTask = {
  name: MaintenanceJob.LiveStatusCheck,
  everyMs: 2 * 60_000,
  run: (ctx) => runLiveStatusCheck(ctx),
};

/** Loyalty's scheduled tasks. */
export const loyaltyMaintenanceTasks: MaintenanceTask[] = [watchtimeTickTask, liveStatusCheckTask];
