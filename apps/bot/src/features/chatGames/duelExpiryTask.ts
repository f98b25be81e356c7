import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';
import { expireDuels } from './duelService.ts';

/** Job name of the duel expiry scan. */
export const DUEL_EXPIRY_JOB = 'duel-expiry';

/** Every 15 s (once cluster-wide): end unaccepted duel challenges and give the challengers their stakes back. */
export const duelExpiryTask: MaintenanceTask = { name: DUEL_EXPIRY_JOB, everyMs: 15_000, run: (ctx) => expireDuels(ctx) };
