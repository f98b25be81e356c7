import { MaintenanceJob } from '@kickcord/queue';
import type { MaintenanceTask } from '../maintenance/MaintenanceProcessor.ts';
import { closeExpiredRaffles } from './raffleService.ts';
import { runDueTimers } from './timerService.ts';

/** Job name of the raffle auto-close scan. */
export const RAFFLE_AUTO_CLOSE_JOB = 'raffle-auto-close';

/** Timed messages (every minute) and the raffle auto-close scan (every 15 s); each runs once cluster-wide per interval. */
export const gameMaintenanceTasks: MaintenanceTask[] = [
  { name: MaintenanceJob.TimersTick, everyMs: 60_000, run: (ctx) => runDueTimers(ctx) },
  { name: RAFFLE_AUTO_CLOSE_JOB, everyMs: 15_000, run: (ctx) => closeExpiredRaffles(ctx) },
];
