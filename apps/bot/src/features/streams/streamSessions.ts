/**
 * Stream sessions: opened and closed from `livestream.status.updated`, confirmed by polling Kick's
 * channel API. At most one session per channel is open (`openBroadcasterUserId` is unique and NULL once
 * closed). Deliveries can be late, duplicated or out of order, so every change compares times:
 * a late "live" never reopens a stream we saw end, and a late "offline" never closes a newer stream.
 */
import type { PrismaClient } from '@kickcord/db';

/** Two start times closer than this are the same stream (Kick's webhook and API may differ by seconds). */
export const SAME_STREAM_TOLERANCE_MS = 90_000;
/** The live-status poll never closes a session younger than this (Kick's API lags its webhooks). */
export const POLL_CLOSE_GRACE_MS = 3 * 60_000;

const SESSION_LOCK_NAMESPACE = 872_001;

/** A live-status observation, from a webhook or from polling. */
export interface LiveStatusInput {
  broadcasterUserId: number;
  isLive: boolean;
  /** When the stream started (Kick's `started_at` / `stream.start_time`), if known. */
  startedAt: Date | null;
  /** When it ended (Kick's `ended_at`), if known. */
  endedAt: Date | null;
  title: string | null;
  categoryName?: string | null;
  /** When Kick observed this (message timestamp, or the poll time). */
  observedAt: Date;
  source: 'webhook' | 'poll';
}

/** What {@link applyLiveStatus} did. */
export type LiveStatusOutcome =
  | { action: 'opened'; sessionId: string; closedPrevious: string | null }
  | { action: 'closed'; sessionId: string }
  | { action: 'updated'; sessionId: string }
  | { action: 'ignored'; reason: string };

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

function near(a: Date, b: Date): boolean {
  return Math.abs(a.getTime() - b.getTime()) <= SAME_STREAM_TOLERANCE_MS;
}

async function openSession(tx: Tx, input: LiveStatusInput): Promise<LiveStatusOutcome> {
  const startedAt = input.startedAt ?? input.observedAt;
  const sessions = await tx.streamSession.findMany({
    where: { broadcasterUserId: input.broadcasterUserId, startedAt: { gte: new Date(startedAt.getTime() - SAME_STREAM_TOLERANCE_MS) } },
    orderBy: { startedAt: 'desc' },
  });
  const same = sessions.find((s) => near(s.startedAt, startedAt));
  if (same) {
    if (same.openBroadcasterUserId === null) return { action: 'ignored', reason: 'that stream already ended' };
    const data: { title?: string; categoryName?: string } = {};
    if (input.title && input.title !== same.title) data.title = input.title;
    if (input.categoryName && input.categoryName !== same.categoryName) data.categoryName = input.categoryName;
    if (Object.keys(data).length > 0) await tx.streamSession.update({ where: { id: same.id }, data });
    return Object.keys(data).length > 0 ? { action: 'updated', sessionId: same.id } : { action: 'ignored', reason: 'session already open' };
  }
  if (sessions.some((s) => s.startedAt > startedAt)) return { action: 'ignored', reason: 'a newer stream is already known' };
  const open = await tx.streamSession.findUnique({ where: { openBroadcasterUserId: input.broadcasterUserId } });
  let closedPrevious: string | null = null;
  if (open) {
    // Kick never told us the previous stream ended: it ended no later than this one started.
    await tx.streamSession.update({ where: { id: open.id }, data: { openBroadcasterUserId: null, endedAt: startedAt, endSource: `superseded-${input.source}` } });
    closedPrevious = open.id;
  }
  const created = await tx.streamSession.create({
    data: {
      broadcasterUserId: input.broadcasterUserId,
      openBroadcasterUserId: input.broadcasterUserId,
      startedAt,
      title: input.title || null,
      categoryName: input.categoryName ?? null,
      startSource: input.source,
    },
  });
  await tx.kickChannel.updateMany({
    where: { broadcasterUserId: input.broadcasterUserId },
    data: { isLive: true, ...(input.title ? { streamTitle: input.title } : {}), ...(input.categoryName ? { categoryName: input.categoryName } : {}) },
  });
  return { action: 'opened', sessionId: created.id, closedPrevious };
}

async function closeSession(tx: Tx, input: LiveStatusInput): Promise<LiveStatusOutcome> {
  const endedAt = input.endedAt ?? input.observedAt;
  const open = await tx.streamSession.findUnique({ where: { openBroadcasterUserId: input.broadcasterUserId } });
  if (!open) return { action: 'ignored', reason: 'no open session' };
  if (input.startedAt && !near(input.startedAt, open.startedAt) && input.startedAt < open.startedAt) {
    return { action: 'ignored', reason: 'offline for an older stream' };
  }
  if (open.startedAt > endedAt) return { action: 'ignored', reason: 'the open session started after this offline' };
  if (input.source === 'poll' && input.observedAt.getTime() - open.startedAt.getTime() < POLL_CLOSE_GRACE_MS) {
    return { action: 'ignored', reason: 'session too young to close from a poll' };
  }
  await tx.streamSession.update({ where: { id: open.id }, data: { openBroadcasterUserId: null, endedAt, endSource: input.source } });
  await tx.kickChannel.updateMany({ where: { broadcasterUserId: input.broadcasterUserId }, data: { isLive: false } });
  return { action: 'closed', sessionId: open.id };
}

/**
 * Applies a live/offline observation in a transaction serialized per channel (advisory lock), so
 * concurrent deliveries for one channel cannot both open a session. Requires the `KickChannel` row.
 */
export async function applyLiveStatus(prisma: PrismaClient, input: LiveStatusInput): Promise<LiveStatusOutcome> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1::int, $2::int)', SESSION_LOCK_NAMESPACE, input.broadcasterUserId);
    const channel = await tx.kickChannel.findUnique({ where: { broadcasterUserId: input.broadcasterUserId }, select: { broadcasterUserId: true } });
    if (!channel) return { action: 'ignored', reason: 'unknown channel' } as const;
    return input.isLive ? openSession(tx, input) : closeSession(tx, input);
  });
}

/**
 * Applies `livestream.metadata.updated`: the open session's (and channel's) title and category.
 * A metadata event older than the open session's start belongs to an earlier stream and is ignored.
 */
export async function applyStreamMetadata(
  prisma: PrismaClient,
  input: { broadcasterUserId: number; title: string | null; categoryName: string | null; observedAt: Date },
): Promise<'updated' | 'ignored'> {
  const data: { title?: string; categoryName?: string } = {};
  if (input.title) data.title = input.title;
  if (input.categoryName) data.categoryName = input.categoryName;
  if (Object.keys(data).length === 0) return 'ignored';
  const { count } = await prisma.streamSession.updateMany({
    where: { openBroadcasterUserId: input.broadcasterUserId, startedAt: { lte: new Date(input.observedAt.getTime() + SAME_STREAM_TOLERANCE_MS) } },
    data,
  });
  await prisma.kickChannel.updateMany({
    where: { broadcasterUserId: input.broadcasterUserId },
    data: { ...(data.title ? { streamTitle: data.title } : {}), ...(data.categoryName ? { categoryName: data.categoryName } : {}) },
  });
  return count > 0 ? 'updated' : 'ignored';
}

/** The open session of a channel, if live. */
export async function openSessionOf(prisma: PrismaClient, broadcasterUserId: number) {
  return prisma.streamSession.findUnique({ where: { openBroadcasterUserId: broadcasterUserId } });
}

/** Whether the channel is live: the stored channel state says so or a stream session is open. */
export async function isChannelLive(ctx: { prisma: PrismaClient }, broadcasterUserId: number): Promise<boolean> {
  const [channel, session] = await Promise.all([
    ctx.prisma.kickChannel.findUnique({ where: { broadcasterUserId }, select: { isLive: true } }),
    ctx.prisma.streamSession.findUnique({ where: { openBroadcasterUserId: broadcasterUserId }, select: { id: true } }),
  ]);
  return Boolean(channel?.isLive) || session !== null;
}
