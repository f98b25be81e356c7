import { MaintenanceJob } from '@kickcord/queue';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';
import { runDueTimers } from './timerService.ts';

/** Every minute (once cluster-wide): post the timed messages that are due in live channels. */
export const timersTickTask: MaintenanceTask = { name: MaintenanceJob.TimersTick, everyMs: 60_000, run: (ctx) => runDueTimers(ctx) };
