import type { PrismaClient } from './generated/prisma/client.ts';

/** How long each kind of short-lived record is kept; see {@link purgeExpiredRecords}. */
export interface RetentionPolicy {
  /** `WebhookDelivery` rows (the bot's record of each processed Kick delivery), by `receivedAt`. */
  deliveryDays: number;
  /** `QuarantinedDelivery` rows (signed deliveries that could not be used, kept verbatim for inspection). */
  quarantineDays: number;
  /** `ConnectLink` rows (and their `OAuthState` rows) once expired, by `expiresAt`. */
  connectLinkDays: number;
  /** `OAuthState` rows once expired, by `expiresAt`. */
  oauthStateHours: number;
  /** `ModerationAction` rows (the mod log's record: filter hits, `/mod`, buttons), by `createdAt`. */
  moderationActionDays: number;
  /**
   * `ChannelRewardRedemption` rows once decided (accepted or rejected) and out of the reward queue, by when they
   * were decided (or redeemed, when Kick decided without a date). Pending and queued redemptions are kept.
   */
  redemptionDays: number;
}

/**
 * Defaults: a delivery record outlives Kick's retry window (a day at most) several times over; quarantined
 * payloads stay a month for a human to look at; an expired OAuth state or connect link has no use at all
 * and goes after a grace period that keeps it for a support question the same day. The mod log keeps a year
 * (a viewer's history when they appeal); a decided channel-reward redemption, three months.
 */
export const DEFAULT_RETENTION: RetentionPolicy = { deliveryDays: 7, quarantineDays: 30, connectLinkDays: 7, oauthStateHours: 24, moderationActionDays: 365, redemptionDays: 90 };

/** Rows deleted per table by one {@link purgeExpiredRecords} call. */
export interface RetentionResult {
  deliveries: number;
  quarantined: number;
  oauthStates: number;
  connectLinks: number;
  moderationActions: number;
  redemptions: number;
}

const DAY_MS = 86_400_000;

// Each statement deletes at most `batch` rows, so no single transaction holds many row locks or
// produces a burst of WAL; the loop runs until a statement deletes fewer than `batch`.
const STATEMENTS = {
  deliveries: `DELETE FROM "WebhookDelivery" WHERE "messageId" IN (SELECT "messageId" FROM "WebhookDelivery" WHERE "receivedAt" < $1 LIMIT $2)`,
  quarantined: `DELETE FROM "QuarantinedDelivery" WHERE "messageId" IN (SELECT "messageId" FROM "QuarantinedDelivery" WHERE "receivedAt" < $1 LIMIT $2)`,
  oauthStates: `DELETE FROM "OAuthState" WHERE "state" IN (SELECT "state" FROM "OAuthState" WHERE "expiresAt" < $1 LIMIT $2)`,
  connectLinks: `DELETE FROM "ConnectLink" WHERE "id" IN (SELECT "id" FROM "ConnectLink" WHERE "expiresAt" < $1 LIMIT $2)`,
  moderationActions: `DELETE FROM "ModerationAction" WHERE "id" IN (SELECT "id" FROM "ModerationAction" WHERE "createdAt" < $1 LIMIT $2)`,
  redemptions: `DELETE FROM "ChannelRewardRedemption" WHERE ("guildId", "redemptionId") IN (
    SELECT "guildId", "redemptionId" FROM "ChannelRewardRedemption"
    WHERE "status" <> 'pending' AND ("queuedAt" IS NULL OR "queueDoneAt" IS NOT NULL) AND COALESCE("decidedAt", "redeemedAt") < $1 LIMIT $2)`,
} as const;

/**
 * Deletes records past their age under `policy`: delivery records, quarantined deliveries, expired
 * OAuth states and expired connect links (whose states go with them), mod-log actions, and decided channel-reward
 * redemptions. Live rows — younger than the policy, not yet expired, pending or still queued — are never touched. Deletes in batches of `batch` rows.
 */
export async function purgeExpiredRecords(
  prisma: PrismaClient,
  policy: RetentionPolicy = DEFAULT_RETENTION,
  options: { now?: Date; batch?: number } = {},
): Promise<RetentionResult> {
  const now = (options.now ?? new Date()).getTime();
  const batch = options.batch ?? 5_000;
  const cutoffs: Record<keyof RetentionResult, Date> = {
    deliveries: new Date(now - policy.deliveryDays * DAY_MS),
    quarantined: new Date(now - policy.quarantineDays * DAY_MS),
    oauthStates: new Date(now - policy.oauthStateHours * 3_600_000),
    connectLinks: new Date(now - policy.connectLinkDays * DAY_MS),
    moderationActions: new Date(now - policy.moderationActionDays * DAY_MS),
    redemptions: new Date(now - policy.redemptionDays * DAY_MS),
  };
  const result: RetentionResult = { deliveries: 0, quarantined: 0, oauthStates: 0, connectLinks: 0, moderationActions: 0, redemptions: 0 };
  for (const table of Object.keys(STATEMENTS) as (keyof RetentionResult)[]) {
    for (;;) {
      const deleted = await prisma.$executeRawUnsafe(STATEMENTS[table], cutoffs[table], batch);
      result[table] += deleted;
      if (deleted < batch) break;
    }
  }
  return result;
}
