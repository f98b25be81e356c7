import type { BotFeature } from '../BotFeature.ts';
import { flushLastHeardTask } from './flushLastHeardTask.ts';
import { purgeExpiredRecordsTask } from './purgeExpiredRecordsTask.ts';

/**
 * Delivery records: what kickcord keeps about Kick's deliveries and the connect flow, and for how long —
 * "last heard from" per subscription (from the chat path's Redis marks), and the hourly retention of
 * short-lived tables.
 */
export const deliveryRecordsFeature: BotFeature = {
  name: 'delivery-records',
  maintenanceTasks: [flushLastHeardTask, purgeExpiredRecordsTask],
};
