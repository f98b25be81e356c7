import { randomInt as cryptoRandomInt } from 'node:crypto';
import { formatPointsAmount, groupCalls, normalizeSlotName, slotCallViewerKey, type SlotCallGroup } from '@kickcord/core';
import { appendLedgerEntries, spendPoints, type SlotCall } from '@kickcord/db';
import { requireConnectedChannel } from '../../connectedChannel.ts';
import type { BotContext } from '../../context.ts';
import { forgetGuildSettings } from '../../guildSettings.ts';
import { stableId } from '../../database/stableId.ts';
import { TransactionRollback } from '../../database/TransactionRollback.ts';
import { formatPoints } from '../../formatPoints.ts';
import { announceInKickChat } from '../../kickChat/announceInKickChat.ts';
import { mentionList } from '../../kickChat/mentionList.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Largest slot-call cost. */
export const MAX_SLOT_CALL_COST = 1_000_000;

type CallGroup = SlotCallGroup<{ normalizedName: string; slotName: string; createdAt: number; call: SlotCall }>;

/** What happened to a `!call`. */
export type SlotCallOutcome =
  | { outcome: 'queued'; call: SlotCall; position: number; merged: number }
  | { outcome: 'duplicate' }
  | { outcome: 'closed' }
  | { outcome: 'invalid'; reason: string }
  | { outcome: 'already'; slotName: string }
  | { outcome: 'insufficient'; balance: number; cost: number };

/**
 * Queues a viewer's slot call: at most one open call per viewer (`openViewerKey`), the guild's cost charged via
 * `spendPoints` (key `slotcall:<callId>`) in the same transaction as the insert. The call id derives from the Kick
 * message id, so a retried job finds the call and changes nothing.
 */
export async function callSlot(
  ctx: BotContext,
  input: { guildId: string; messageId: string; userId: number; username: string; text: string; at: Date },
): Promise<SlotCallOutcome> {
  const id = stableId('slotcall', input.guildId, input.messageId);
  if (await ctx.prisma.slotCall.findUnique({ where: { id }, select: { id: true } })) return { outcome: 'duplicate' };
  const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId: input.guildId } });
  if (!settings?.slotCallsOpen) return { outcome: 'closed' };
  const name = normalizeSlotName(input.text);
  if (!name.ok) return { outcome: 'invalid', reason: name.reason };
  const viewerKey = slotCallViewerKey(input.guildId, input.userId);
  const open = await ctx.prisma.slotCall.findUnique({ where: { openViewerKey: viewerKey } });
  if (open) return { outcome: 'already', slotName: open.slotName };
  const cost = settings.slotCallCost;
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      if (cost > 0) {
        const spent = await spendPoints(tx, { guildId: input.guildId, kickUserId: input.userId, username: input.username, kind: 'slotcall', cost, idempotencyKey: `slotcall:${id}`, reason: `slot call: ${name.display}` });
        if (!spent.ok) return { outcome: 'insufficient', balance: spent.balance, cost } as const;
      }
      const created = await tx.slotCall.createMany({
        data: [{ id, guildId: input.guildId, kickUserId: input.userId, username: input.username, slotName: name.display, normalizedName: name.normalized, openViewerKey: viewerKey, cost, createdAt: input.at }],
        skipDuplicates: true,
      });
      if (created.count === 0) throw new TransactionRollback('already');
      const call = await tx.slotCall.findUniqueOrThrow({ where: { id } });
      const openCalls = await tx.slotCall.findMany({ where: { guildId: input.guildId, status: 'open' } });
      const groups = groupOpenCalls(openCalls);
      const index = groups.findIndex((g) => g.normalizedName === name.normalized);
      return { outcome: 'queued', call, position: index + 1, merged: (groups[index]?.count ?? 1) - 1 } as const;
    });
  } catch (error) {
    if (error instanceof TransactionRollback) {
      const again = await ctx.prisma.slotCall.findUnique({ where: { openViewerKey: viewerKey } });
      return again?.id === id ? { outcome: 'duplicate' } : { outcome: 'already', slotName: again?.slotName ?? name.display };
    }
    throw error;
  }
}

/** Open calls grouped by slot (same slot merged), in queue order: most callers first, then earliest. */
export function groupOpenCalls(calls: readonly SlotCall[]): CallGroup[] {
  return groupCalls(calls.map((c) => ({ normalizedName: c.normalizedName, slotName: c.slotName, createdAt: c.createdAt.getTime(), call: c })));
}

/** The guild's open calls, grouped. */
export async function listSlotCalls(ctx: BotContext, guildId: string): Promise<CallGroup[]> {
  const calls = await ctx.prisma.slotCall.findMany({ where: { guildId, status: 'open' }, orderBy: { createdAt: 'asc' } });
  return groupOpenCalls(calls);
}

/**
 * Picks the next slot — the top of the queue, or with `random` a uniformly random open call (so a slot called
 * by more viewers is proportionally likelier) — marks every call of that slot picked, and announces it in Kick chat
 * by queue number and callers (never the slot name the viewers typed).
 */
export async function pickSlotCall(
  ctx: BotContext,
  input: { guildId: string; random: boolean; randomInt?: (maxExclusive: number) => number },
): Promise<{ slotName: string; callers: string[]; callerViewers: { kickUserId: number; username: string }[] } | null> {
  const { broadcasterUserId } = await requireConnectedChannel(ctx, input.guildId);
  const calls = await ctx.prisma.slotCall.findMany({ where: { guildId: input.guildId, status: 'open' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  if (calls.length === 0) return null;
  const groups = groupOpenCalls(calls);
  let normalizedName: string;
  if (input.random) {
    const rnd = input.randomInt ?? ((max: number) => cryptoRandomInt(max));
    normalizedName = (calls[rnd(calls.length)] ?? calls[0])?.normalizedName ?? '';
  } else {
    normalizedName = groups[0]?.normalizedName ?? '';
  }
  const position = groups.findIndex((g) => g.normalizedName === normalizedName) + 1;
  const picked = await ctx.prisma.$queryRaw<SlotCall[]>`
    UPDATE "SlotCall" SET status = 'picked', "pickedAt" = ${ctx.now()}, "openViewerKey" = NULL
    WHERE "guildId" = ${input.guildId} AND status = 'open' AND "normalizedName" = ${normalizedName}
    RETURNING *`;
  if (picked.length === 0) return null; // another moderator picked it at the same moment
  picked.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const first = picked[0] as SlotCall;
  const callers = picked.map((c) => c.username);
  await announceInKickChat(ctx, {
    guildId: input.guildId,
    broadcasterUserId,
    dedupeKey: `slotcall-pick:${first.id}`,
    // The slot name is the viewer's own text: Kick chat names the call by queue number and callers only.
    content: `🎰 Next slot: call #${position} in the queue, called by ${mentionList(callers)}!`,
  });
  return { slotName: first.slotName, callers, callerViewers: picked.map((c) => ({ kickUserId: c.kickUserId, username: c.username })) };
}

/**
 * Removes open calls (one viewer's, one slot's, or all with `clear`) and refunds what they paid through the ledger
 * (key `slotcall-refund:<callId>`), in one transaction.
 */
export async function removeSlotCalls(
  ctx: BotContext,
  input: { guildId: string; actorDiscordId: string; username?: string | null; slot?: string | null; all?: boolean },
): Promise<{ removed: SlotCall[]; refundedPoints: number }> {
  let normalized: string | null = null;
  if (input.slot) {
    const n = normalizeSlotName(input.slot);
    if (!n.ok) throw new UserFacingError(n.reason);
    normalized = n.normalized;
  }
  const username = input.username?.trim().replace(/^@/u, '') ?? null;
  if (!input.all && !normalized && !username) throw new UserFacingError('Say which call to remove: give a `viewer` or a `slot`.');
  return ctx.prisma.$transaction(async (tx) => {
    const removed = await tx.$queryRaw<SlotCall[]>`
      UPDATE "SlotCall" SET status = 'removed', "openViewerKey" = NULL
      WHERE "guildId" = ${input.guildId} AND status = 'open'
        AND (${normalized}::text IS NULL OR "normalizedName" = ${normalized})
        AND (${username}::text IS NULL OR lower(username) = lower(${username}))
      RETURNING *`;
    const refunds = removed.filter((c) => c.cost > 0);
    if (refunds.length > 0) {
      await appendLedgerEntries(
        tx,
        refunds.map((c) => ({ guildId: input.guildId, kickUserId: c.kickUserId, username: c.username, kind: 'slotcall' as const, points: c.cost, idempotencyKey: `slotcall-refund:${c.id}`, reason: `slot call removed: ${c.slotName}`, actorDiscordId: input.actorDiscordId })),
      );
    }
    return { removed, refundedPoints: refunds.reduce((s, c) => s + c.cost, 0) };
  });
}

/** Opens or closes slot calls (optionally setting the cost) and announces it in Kick chat. */
export async function setSlotCallsOpen(ctx: BotContext, input: { guildId: string; open: boolean; cost?: number | null }): Promise<{ open: boolean; cost: number }> {
  const { broadcasterUserId } = await requireConnectedChannel(ctx, input.guildId);
  if (input.cost !== undefined && input.cost !== null && (!Number.isInteger(input.cost) || input.cost < 0 || input.cost > MAX_SLOT_CALL_COST)) {
    throw new UserFacingError(`The cost must be a whole number of points from 0 to ${formatPoints(MAX_SLOT_CALL_COST)}.`);
  }
  const data = { slotCallsOpen: input.open, ...(input.cost !== undefined && input.cost !== null ? { slotCallCost: input.cost } : {}) };
  const settings = await ctx.prisma.guildSettings.upsert({ where: { guildId: input.guildId }, create: { guildId: input.guildId, ...data }, update: data });
  await forgetGuildSettings(ctx, input.guildId);
  const stamp = ctx.now().getTime();
  const content = input.open
    ? `🎰 Slot calls are open! Type !call <slot name>${settings.slotCallCost > 0 ? ` (costs ${formatPointsAmount(settings.slotCallCost)})` : ''}.`
    : '🎰 Slot calls are closed.';
  await announceInKickChat(ctx, { guildId: input.guildId, broadcasterUserId, dedupeKey: `slotcalls-${input.open ? 'open' : 'close'}:${stamp}`, content });
  return { open: settings.slotCallsOpen, cost: settings.slotCallCost };
}
