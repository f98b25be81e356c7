import type { DefaultJobOptions } from 'bullmq';
import { z } from 'zod';

/** The queue every verified Kick delivery goes to: one job per delivery, jobId = Kick message id. */
export const KICK_EVENTS_QUEUE = 'kick-events';
/** Scheduled maintenance: watchtime tick, timers, subscription reconcile, token refresh, live checks. */
export const MAINTENANCE_QUEUE = 'kick-maintenance';

/** Payload of a `kick-events` job: the verified delivery's headers plus its parsed payload. */
export const kickEventJobSchema = z.object({
  messageId: z.string().min(1),
  /** Kick-Event-Subscription-Id, or null when Kick sent none (the header is optional). */
  subscriptionId: z.string().nullable(),
  eventType: z.string().min(1),
  eventVersion: z.string().min(1),
  /** RFC 3339 timestamp from Kick-Event-Message-Timestamp. */
  messageTimestamp: z.string(),
  /** ISO time the web app accepted the delivery. */
  receivedAt: z.string(),
  broadcasterUserId: z.number().int().nullable(),
  /** The event payload, already validated against its schema by the web app. */
  payload: z.unknown(),
});
export type KickEventJob = z.infer<typeof kickEventJobSchema>;

/** Names of maintenance jobs (scheduled as BullMQ job schedulers: each runs once per interval cluster-wide). */
export const MaintenanceJob = {
  WatchtimeTick: 'watchtime-tick',
  TimersTick: 'timers-tick',
  ReconcileSubscriptions: 'reconcile-subscriptions',
  RefreshTokens: 'refresh-tokens',
  LiveStatusCheck: 'live-status-check',
  PurgeInactiveGuilds: 'purge-inactive-guilds',
  FlushNewViewers: 'flush-new-viewers',
  FlushLastHeard: 'flush-last-heard',
  PurgeExpiredRecords: 'purge-expired-records',
  ExpireStuckChatReplies: 'expire-stuck-chat-replies',
  LinkedRolesSync: 'linked-roles-sync',
} as const;
export type MaintenanceJobName = (typeof MaintenanceJob)[keyof typeof MaintenanceJob];

/** Defaults for `kick-events`: retried with exponential backoff; finished jobs kept briefly for dedupe and inspection. */
export const kickEventJobOptions: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** Defaults for maintenance jobs. */
export const maintenanceJobOptions: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { count: 1_000 },
  removeOnFail: { count: 1_000 },
};
