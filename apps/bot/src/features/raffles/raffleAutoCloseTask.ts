import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';
import { closeExpiredRaffles } from './raffleService.ts';

/** Job name of the raffle auto-close scan. */
export const RAFFLE_AUTO_CLOSE_JOB = 'raffle-auto-close';

/** Every 15 s (once cluster-wide): close the entries of raffles whose duration has passed. */
export const raffleAutoCloseTask: MaintenanceTask = { name: RAFFLE_AUTO_CLOSE_JOB, everyMs: 15_000, run: (ctx) => closeExpiredRaffles(ctx) };
