import { purgeExpiredRecords } from '@kickcord/db';
import { MaintenanceJob } from '@kickcord/queue';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';

/** Every hour: delete delivery records, quarantined deliveries, OAuth states, connect links, mod-log actions and decided reward redemptions past their ages (`RETENTION_*`). */
export const purgeExpiredRecordsTask: MaintenanceTask = {
  name: MaintenanceJob.PurgeExpiredRecords,
  everyMs: 3_600_000,
  async run(ctx) {
    const { env } = ctx;
    const policy = {
      deliveryDays: env.RETENTION_DELIVERY_DAYS,
      quarantineDays: env.RETENTION_QUARANTINE_DAYS,
      connectLinkDays: env.RETENTION_CONNECT_LINK_DAYS,
      oauthStateHours: env.RETENTION_OAUTH_STATE_HOURS,
      moderationActionDays: env.RETENTION_MODERATION_DAYS,
      redemptionDays: env.RETENTION_REDEMPTION_DAYS,
    };
    const deleted = await purgeExpiredRecords(ctx.prisma, policy, { now: ctx.now() });
    ctx.logger.info({ deleted }, 'expired records purged');
    return deleted;
  },
};
