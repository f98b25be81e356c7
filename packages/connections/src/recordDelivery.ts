import type { PrismaClient } from '@kickcord/db';
import type { KickEventJob } from '@kickcord/queue';

/**
 * How stale `KickSubscription.lastDeliveryAt` may get: it is a "last heard from" mark for `/kick status`,
 * and bumping it for every chat message would make one hot row that every worker queues on.
 */
export const LAST_DELIVERY_RESOLUTION_SECONDS = 10;

/**
 * Records a processed `kick-events` job as a `WebhookDelivery` row (insert ON CONFLICT DO NOTHING,
 * so retries and duplicates are harmless) and moves `KickSubscription.lastDeliveryAt` forward when it
 * is more than {@link LAST_DELIVERY_RESOLUTION_SECONDS} behind — one statement. Called by the bot's
 * worker, never by the web hot path. Returns whether this call inserted the row.
 */
export async function recordDelivery(prisma: PrismaClient, job: KickEventJob): Promise<{ inserted: boolean }> {
  const receivedAt = new Date(job.receivedAt);
  const rows = await prisma.$queryRaw<{ inserted: number }[]>`
    WITH ins AS (
      INSERT INTO "WebhookDelivery" ("messageId", "subscriptionId", "eventType", "eventVersion", "broadcasterUserId", "messageTimestamp", "receivedAt", outcome)
      VALUES (${job.messageId}, ${job.subscriptionId}, ${job.eventType}, ${job.eventVersion}, ${job.broadcasterUserId}::int,
              ${new Date(job.messageTimestamp)}::timestamp(3), ${receivedAt}::timestamp(3), 'enqueued'::"DeliveryOutcome")
      ON CONFLICT ("messageId") DO NOTHING
      RETURNING 1
    ),
    bump AS (
      UPDATE "KickSubscription" SET "lastDeliveryAt" = ${receivedAt}::timestamp(3)
      WHERE id = ${job.subscriptionId} AND EXISTS (SELECT 1 FROM ins)
        AND ("lastDeliveryAt" IS NULL OR "lastDeliveryAt" < ${receivedAt}::timestamp(3) - make_interval(secs => ${LAST_DELIVERY_RESOLUTION_SECONDS}))
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins)::int AS inserted`;
  return { inserted: (rows[0]?.inserted ?? 0) > 0 };
}
