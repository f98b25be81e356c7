import type { PrismaClient } from '@kickcord/db';
import { redisScript, runScript, type KickEventJob, type RedisConnection } from '@kickcord/queue';

/**
 * How stale `KickSubscription.lastDeliveryAt` may get: it is a "last heard from" mark for `/kick status`,
 * and bumping it for every chat message would make one hot row that every worker queues on.
 */
export const LAST_DELIVERY_RESOLUTION_SECONDS = 10;

/**
 * Records a processed `kick-events` job as a `WebhookDelivery` row (insert ON CONFLICT DO NOTHING,
 * so retries and duplicates are harmless) and moves `KickSubscription.lastDeliveryAt` forward when it
 * is more than {@link LAST_DELIVERY_RESOLUTION_SECONDS} behind — one statement. A delivery without
 * `Kick-Event-Subscription-Id` (the header is optional) is stored with an empty subscription id and bumps the
 * active subscription of its broadcaster and event type instead. Called by the bot's
 * worker, never by the web hot path. Returns whether this call inserted the row.
 */
export async function recordDelivery(prisma: PrismaClient, job: KickEventJob): Promise<{ inserted: boolean }> {
  const receivedAt = new Date(job.receivedAt);
  const rows = await prisma.$queryRaw<{ inserted: number }[]>`
    WITH ins AS (
      INSERT INTO "WebhookDelivery" ("messageId", "subscriptionId", "eventType", "eventVersion", "broadcasterUserId", "messageTimestamp", "receivedAt", outcome)
      VALUES (${job.messageId}, ${job.subscriptionId ?? ''}, ${job.eventType}, ${job.eventVersion}, ${job.broadcasterUserId}::int,
              ${new Date(job.messageTimestamp)}::timestamp(3), ${receivedAt}::timestamp(3), 'enqueued'::"DeliveryOutcome")
      ON CONFLICT ("messageId") DO NOTHING
      RETURNING 1
    ),
    bump AS (
      UPDATE "KickSubscription" SET "lastDeliveryAt" = ${receivedAt}::timestamp(3)
      WHERE (CASE WHEN ${job.subscriptionId}::text IS NULL
                  THEN "broadcasterUserId" = ${job.broadcasterUserId}::int AND event = ${job.eventType} AND status = 'active'::"SubscriptionStatus"
                  ELSE id = ${job.subscriptionId}::text END)
        AND EXISTS (SELECT 1 FROM ins)
        AND ("lastDeliveryAt" IS NULL OR "lastDeliveryAt" < ${receivedAt}::timestamp(3) - make_interval(secs => ${LAST_DELIVERY_RESOLUTION_SECONDS}))
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins)::int AS inserted`;
  return { inserted: (rows[0]?.inserted ?? 0) > 0 };
}

const MARK_HEARD_SCRIPT = redisScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if (not cur) or tonumber(cur) < tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`);

/** A process skips re-marking a subscription it marked less than this long before (by delivery time). */
export const MARK_HEARD_SKIP_MS = 1_000;
const recentMarks = new Map<string, number>();

/** The Redis hash of "last heard from" marks: subscription id → epoch ms of its latest chat delivery. */
export function lastHeardKey(keyPrefix: string): string {
  return `${keyPrefix}:heard`;
}

/**
 * The chat path's record of a delivery: only a "last heard from" mark in Redis (no `WebhookDelivery` row,
 * no database statement). {@link flushLastHeard} moves the marks to `KickSubscription.lastDeliveryAt`.
 * Chat effects are exactly-once by their own keys (activity per message, ledger idempotency keys, the
 * outgoing-chat claim), not by a delivery row.
 */
export async function markHeard(redis: RedisConnection, keyPrefix: string, job: Pick<KickEventJob, 'subscriptionId' | 'receivedAt'>): Promise<void> {
  if (!job.subscriptionId) return;
  // The mark has a 10-second resolution: a process that marked this subscription less than a second ago
  // (by delivery time) skips the Redis call — one command fewer per chat message in a busy channel.
  const at = Date.parse(job.receivedAt);
  const memoKey = `${keyPrefix}|${job.subscriptionId}`;
  const marked = recentMarks.get(memoKey);
  if (marked !== undefined && at < marked + MARK_HEARD_SKIP_MS) return;
  if (recentMarks.size >= 10_000) recentMarks.clear();
  recentMarks.set(memoKey, at);
  await runScript(redis, MARK_HEARD_SCRIPT, [lastHeardKey(keyPrefix)], [job.subscriptionId, Date.parse(job.receivedAt), 2 * 86_400]);
}

/**
 * Writes the "last heard from" marks to `KickSubscription.lastDeliveryAt` in one statement, moving a row
 * only when the mark is more than {@link LAST_DELIVERY_RESOLUTION_SECONDS} ahead of it. The marks stay in
 * Redis (a hash of one field per subscription), so a failed write is simply repeated by the next flush.
 * Returns how many subscriptions moved.
 */
export async function flushLastHeard(prisma: PrismaClient, redis: RedisConnection, keyPrefix: string): Promise<number> {
  const marks = await redis.hgetall(lastHeardKey(keyPrefix));
  const ids = Object.keys(marks);
  if (ids.length === 0) return 0;
  const at = ids.map((id) => new Date(Number(marks[id])));
  return prisma.$executeRaw`
    UPDATE "KickSubscription" s SET "lastDeliveryAt" = m.at
    FROM unnest(${ids}::text[], ${at}::timestamp(3)[]) AS m(id, at)
    WHERE s.id = m.id AND (s."lastDeliveryAt" IS NULL OR s."lastDeliveryAt" < m.at - make_interval(secs => ${LAST_DELIVERY_RESOLUTION_SECONDS}))`;
}
