import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';
import { expireShopRoles } from './redemptions.ts';

/** Job name of the timed shop role removal. */
export const SHOP_ROLE_EXPIRY_JOB = 'shop-role-expiry';

/** Every minute (once cluster-wide): take back timed roles bought in the shop whose time is up. */
export const shopRoleExpiryTask: MaintenanceTask = { name: SHOP_ROLE_EXPIRY_JOB, everyMs: 60_000, run: (ctx) => expireShopRoles(ctx) };
