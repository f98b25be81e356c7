import type { PrismaClient } from '@kickcord/db';
import type { KickEventJob } from '@kickcord/queue';

/**
 * Records a processed `kick-events` job as a `WebhookDelivery` row (insert ON CONFLICT DO NOTHING,
 * so retries and duplicates are harmless) and bumps `KickSubscription.lastDeliveryAt`. Called by the
 * bot's worker, never by the web hot path. Returns whether this call inserted the row.
 */
export async function recordDelivery(prisma: PrismaClient, job: KickEventJob): Promise<{ inserted: boolean }> {
  const receivedAt = new Date(job.receivedAt);
  const { count } = await prisma.webhookDelivery.createMany({
    data: [
      {
        messageId: job.messageId,
        subscriptionId: job.subscriptionId,
        eventType: job.eventType,
        eventVersion: job.eventVersion,
        broadcasterUserId: job.broadcasterUserId,
        messageTimestamp: new Date(job.messageTimestamp),
        receivedAt,
        outcome: 'enqueued',
      },
    ],
    skipDuplicates: true,
  });
  if (count > 0 && job.subscriptionId) {
    await prisma.kickSubscription.updateMany({
      where: { id: job.subscriptionId, OR: [{ lastDeliveryAt: null }, { lastDeliveryAt: { lt: receivedAt } }] },
      data: { lastDeliveryAt: receivedAt },
    });
  }
  return { inserted: count > 0 };
}
