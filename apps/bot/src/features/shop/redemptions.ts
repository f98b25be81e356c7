import { randomInt } from 'node:crypto';
import { compileTemplate, fitChatMessage, renderTemplate } from '@kickcord/core';
import { appendLedgerEntries, spendPoints, type ShopItem, type ShopRedemption } from '@kickcord/db';
import { KICK_CHAT_MAX_LENGTH } from '@kickcord/kick';
import { requireConnectedChannel } from '../../connectedChannel.ts';
import type { BotContext } from '../../context.ts';
import { changeMemberRole } from '../../discord/memberRoles.ts';
import { stableId } from '../../database/stableId.ts';
import { TransactionRollback } from '../../database/TransactionRollback.ts';
import { formatPoints } from '../../formatPoints.ts';
import { announceInKickChat } from '../../kickChat/announceInKickChat.ts';
import { noticeFailedDelivery, postRedemptionToQueue } from './redemptionQueue.ts';
import { SHOP_LIMITS, SHOP_TEMPLATE_VARIABLES } from './shopItems.ts';

/** Where a purchase came from: its Kick chat message or its Discord interaction (each buys at most once). */
export type PurchaseSource = { kind: 'kick'; messageId: string } | { kind: 'discord'; interactionId: string };

/** A purchase to make. */
export interface PurchaseRequest {
  guildId: string;
  /** The item's name as typed (case-insensitive). */
  itemName: string;
  buyer: { kickUserId: number; username: string; discordUserId: string | null };
  /** The viewer's free text (shown only in the Discord redemption queue). */
  input: string | null;
  source: PurchaseSource;
}

/** What happened to a purchase after it was paid. */
export type Delivery = { state: 'queued' } | { state: 'fulfilled' } | { state: 'refunded'; reason: string };

/** Outcome of {@link purchaseItem}. */
export type PurchaseResult =
  | { outcome: 'bought'; redemption: ShopRedemption; item: ShopItem; balance: number; delivery: Delivery }
  | { outcome: 'duplicate'; redemption: ShopRedemption; item: ShopItem; delivery: Delivery }
  | { outcome: 'unknown-item' }
  | { outcome: 'sold-out'; item: ShopItem }
  | { outcome: 'limit'; item: ShopItem }
  | { outcome: 'cooldown'; item: ShopItem; retryInSec: number }
  | { outcome: 'insufficient'; item: ShopItem; balance: number }
  | { outcome: 'input-required'; item: ShopItem }
  | { outcome: 'input-too-long'; item: ShopItem }
  | { outcome: 'not-linked'; item: ShopItem };

type Refusal = Extract<PurchaseResult, { outcome: 'sold-out' | 'limit' | 'cooldown' | 'insufficient' }>;

/** The redemption id of a purchase: derived from its Kick message id or Discord interaction id. */
export function redemptionId(guildId: string, source: PurchaseSource): string {
  return source.kind === 'kick' ? stableId('shop', guildId, 'kick', source.messageId) : stableId('shop', guildId, 'discord', source.interactionId);
}

/**
 * Buys an item in ONE transaction, exactly once per Kick message or Discord interaction: the item row is locked
 * by taking a unit of stock (`stock > 0`, so stock never goes negative and concurrent buyers of the last unit
 * queue behind each other), the per-viewer limit and cooldown are checked under that lock, the price is spent
 * through the ledger (key `shop:<redemption id>`), and the redemption is recorded. Anything refused rolls all of
 * it back. Then the item is delivered ({@link deliverRedemption}); a retry of the same message or interaction
 * finds the redemption and only finishes its delivery.
 */
export async function purchaseItem(ctx: BotContext, request: PurchaseRequest): Promise<PurchaseResult> {
  const id = redemptionId(request.guildId, request.source);
  const existing = await ctx.prisma.shopRedemption.findUnique({ where: { id }, include: { item: true } });
  if (existing) return { outcome: 'duplicate', redemption: existing, item: existing.item, delivery: await deliverRedemption(ctx, existing, existing.item) };
  const item = await ctx.prisma.shopItem.findUnique({ where: { guildId_name: { guildId: request.guildId, name: request.itemName.trim().toLowerCase() } } });
  if (!item || !item.enabled) return { outcome: 'unknown-item' };
  const input = item.inputPrompt ? (request.input?.trim() ?? '') : '';
  if (item.inputPrompt && input.length === 0) return { outcome: 'input-required', item };
  if (input.length > SHOP_LIMITS.maxInputLength) return { outcome: 'input-too-long', item };
  if (item.kind === 'role' && !request.buyer.discordUserId) return { outcome: 'not-linked', item };
  const now = ctx.now();
  let balance = 0;
  try {
    const redemption = await ctx.prisma.$transaction(async (tx) => {
      const taken = await tx.$executeRaw`
        UPDATE "ShopItem" SET stock = CASE WHEN stock IS NULL THEN NULL ELSE stock - 1 END, "updatedAt" = now()
        WHERE id = ${item.id} AND enabled AND (stock IS NULL OR stock > 0)`;
      if (taken === 0) throw new TransactionRollback<Refusal['outcome']>('sold-out');
      const kept = { itemId: item.id, kickUserId: request.buyer.kickUserId, status: { not: 'refunded' as const } };
      if (item.perViewerLimit > 0 && (await tx.shopRedemption.count({ where: kept })) >= item.perViewerLimit) throw new TransactionRollback<Refusal['outcome']>('limit');
      if (item.cooldownSec > 0) {
        const last = await tx.shopRedemption.findFirst({ where: kept, orderBy: { createdAt: 'desc' }, select: { createdAt: true } });
        const waitMs = last ? last.createdAt.getTime() + item.cooldownSec * 1000 - now.getTime() : 0;
        if (waitMs > 0) throw new CooldownRollback(Math.ceil(waitMs / 1000));
      }
      const spent = await spendPoints(tx, { guildId: request.guildId, kickUserId: request.buyer.kickUserId, username: request.buyer.username, kind: 'shop', cost: item.price, idempotencyKey: `shop:${id}`, reason: `shop: ${item.name}`, actorDiscordId: request.buyer.discordUserId });
      if (!spent.ok) {
        balance = spent.balance;
        throw new TransactionRollback<Refusal['outcome']>('insufficient');
      }
      balance = spent.balance;
      return tx.shopRedemption.create({
        data: { id, guildId: request.guildId, itemId: item.id, kickUserId: request.buyer.kickUserId, username: request.buyer.username, discordUserId: request.buyer.discordUserId, price: item.price, input: input || null, source: request.source.kind, createdAt: now },
      });
    });
    return { outcome: 'bought', redemption, item, balance, delivery: await deliverRedemption(ctx, redemption, item) };
  } catch (error) {
    if (error instanceof CooldownRollback) return { outcome: 'cooldown', item, retryInSec: error.retryInSec };
    if (error instanceof TransactionRollback) {
      const outcome = error.outcome as Refusal['outcome'];
      if (outcome === 'insufficient') return { outcome, item, balance };
      if (outcome === 'sold-out' || outcome === 'limit') return { outcome, item };
    }
    // The same message or interaction bought at the same moment in another worker: report that purchase.
    const again = await ctx.prisma.shopRedemption.findUnique({ where: { id }, include: { item: true } });
    if (again) return { outcome: 'duplicate', redemption: again, item: again.item, delivery: await deliverRedemption(ctx, again, again.item) };
    throw error;
  }
}

class CooldownRollback extends TransactionRollback<'cooldown'> {
  constructor(readonly retryInSec: number) {
    super('cooldown');
  }
}

/**
 * Delivers a paid purchase (idempotent; a retry finishes what a crash interrupted):
 * - a reward goes into the redemption queue channel and waits for a moderator;
 * - a chat message item posts its template in Kick chat (once per redemption) and is fulfilled;
 * - a role item gives the role to the buyer's Discord account (a timed one until `roleExpiresAt`) and is fulfilled —
 *   when Discord refuses, the purchase is refunded exactly and moderators are told what to fix.
 */
export async function deliverRedemption(ctx: BotContext, redemption: ShopRedemption, item: ShopItem): Promise<Delivery> {
  if (redemption.status === 'fulfilled') return { state: 'fulfilled' };
  if (redemption.status === 'refunded') return { state: 'refunded', reason: 'The purchase was refunded.' };
  if (item.kind === 'reward') {
    await postRedemptionToQueue(ctx, redemption, item);
    return { state: 'queued' };
  }
  if (item.kind === 'chat') {
    const compiled = compileTemplate(item.template ?? '', { allowed: SHOP_TEMPLATE_VARIABLES });
    if (compiled.ok) {
      const { broadcasterUserId } = await requireConnectedChannel(ctx, redemption.guildId);
      const text = renderTemplate(compiled.template, { user: redemption.username, item: item.name, price: formatPoints(redemption.price) }, () => randomInt(1_000_000) / 1_000_000);
      await announceInKickChat(ctx, { guildId: redemption.guildId, broadcasterUserId, dedupeKey: `shop-chat:${redemption.id}`, content: fitChatMessage(text, KICK_CHAT_MAX_LENGTH) });
    }
    await markFulfilled(ctx, redemption.id, { roleExpiresAt: null });
    return { state: 'fulfilled' };
  }
  const refused = async (reason: string): Promise<Delivery> => {
    await refundRedemption(ctx, { redemptionId: redemption.id, actorDiscordId: null, reason: `shop refund (role not given): ${item.name}` });
    await noticeFailedDelivery(ctx, redemption, item, reason);
    ctx.logger.warn({ guildId: redemption.guildId, redemptionId: redemption.id, reason }, 'shop role not given; purchase refunded');
    return { state: 'refunded', reason };
  };
  if (!redemption.discordUserId || !item.roleId) return refused('The buyer has no linked Discord account.');
  const roleExpiresAt = item.roleDays ? await roleEnd(ctx, redemption, item.roleId, item.roleDays) : null;
  const outcome = await changeMemberRole(ctx.discordRest, { guildId: redemption.guildId, userId: redemption.discordUserId, roleId: item.roleId, add: true, reason: `kickcord shop: ${item.name} bought by ${redemption.username}` });
  if (outcome.ok) {
    await markFulfilled(ctx, redemption.id, { roleExpiresAt });
    return { state: 'fulfilled' };
  }
  if ('gone' in outcome) return refused('The buyer is not a member of this Discord server, so the role cannot be given.');
  if (outcome.problem.kind === 'unknown-role') return refused("The item's role no longer exists: edit the item with `/shop edit` and choose another role.");
  return refused(sentence(outcome.problem.text));
}

/** A role problem's text as a sentence of its own (capital first letter, full stop). */
function sentence(text: string): string {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/u.test(s) ? s : `${s}.`;
}

/** When a timed role bought now ends: `days` after now, or after the end of the same role the buyer already holds from the shop. */
async function roleEnd(ctx: BotContext, redemption: ShopRedemption, roleId: string, days: number): Promise<Date> {
  const running = await ctx.prisma.shopRedemption.findFirst({
    where: { guildId: redemption.guildId, discordUserId: redemption.discordUserId, status: 'fulfilled', roleRemovedAt: null, roleExpiresAt: { gt: ctx.now() }, item: { roleId } },
    orderBy: { roleExpiresAt: 'desc' },
    select: { roleExpiresAt: true },
  });
  const from = Math.max(ctx.now().getTime(), running?.roleExpiresAt?.getTime() ?? 0);
  return new Date(from + days * 86_400_000);
}

async function markFulfilled(ctx: BotContext, id: string, data: { roleExpiresAt: Date | null; decidedByDiscordId?: string }): Promise<boolean> {
  const done = await ctx.prisma.shopRedemption.updateMany({ where: { id, status: 'pending' }, data: { status: 'fulfilled', decidedAt: ctx.now(), ...data } });
  return done.count === 1;
}

/** Outcome of a moderator's decision on a queued purchase. */
export type DecisionResult = { outcome: 'decided'; redemption: ShopRedemption; item: ShopItem } | { outcome: 'already'; redemption: ShopRedemption; item: ShopItem } | { outcome: 'unknown' };

/** A moderator fulfils a queued purchase (once; a second click reports who decided first). */
export async function fulfilRedemption(ctx: BotContext, input: { guildId: string; redemptionId: string; actorDiscordId: string }): Promise<DecisionResult> {
  const done = await ctx.prisma.shopRedemption.updateMany({ where: { id: input.redemptionId, guildId: input.guildId, status: 'pending' }, data: { status: 'fulfilled', decidedAt: ctx.now(), decidedByDiscordId: input.actorDiscordId } });
  return decision(ctx, input.guildId, input.redemptionId, done.count === 1);
}

/**
 * Refunds a pending purchase exactly: in one transaction the redemption becomes `refunded` (once — a second refund
 * finds nothing pending), the price goes back through the ledger (key `shop-refund:<id>`, refused rather than cut
 * at the maximum balance) and the unit goes back into stock.
 */
export async function refundRedemption(ctx: BotContext, input: { redemptionId: string; actorDiscordId: string | null; reason?: string; guildId?: string }): Promise<DecisionResult> {
  const refunded = await ctx.prisma.$transaction(async (tx) => {
    const done = await tx.shopRedemption.updateMany({ where: { id: input.redemptionId, status: 'pending', ...(input.guildId ? { guildId: input.guildId } : {}) }, data: { status: 'refunded', decidedAt: ctx.now(), decidedByDiscordId: input.actorDiscordId } });
    if (done.count === 0) return false;
    const r = await tx.shopRedemption.findUniqueOrThrow({ where: { id: input.redemptionId }, include: { item: { select: { name: true } } } });
    await appendLedgerEntries(tx, [{ guildId: r.guildId, kickUserId: r.kickUserId, username: r.username, kind: 'shop', points: r.price, idempotencyKey: `shop-refund:${r.id}`, reason: input.reason ?? `shop refund: ${r.item.name}`, actorDiscordId: input.actorDiscordId }], { overLimit: 'refuse' });
    await tx.$executeRaw`UPDATE "ShopItem" SET stock = stock + 1, "updatedAt" = now() WHERE id = ${r.itemId} AND stock IS NOT NULL`;
    return true;
  });
  const found = await ctx.prisma.shopRedemption.findUnique({ where: { id: input.redemptionId }, select: { guildId: true } });
  return decision(ctx, input.guildId ?? found?.guildId ?? '', input.redemptionId, refunded);
}

async function decision(ctx: BotContext, guildId: string, id: string, decided: boolean): Promise<DecisionResult> {
  const redemption = await ctx.prisma.shopRedemption.findFirst({ where: { id, guildId }, include: { item: true } });
  if (!redemption) return { outcome: 'unknown' };
  const { item, ...row } = redemption;
  return { outcome: decided ? 'decided' : 'already', redemption: row, item };
}

/**
 * Takes timed shop roles back when they end (maintenance): each fulfilled role purchase whose `roleExpiresAt` has
 * passed is marked removed, and the role is removed from the member unless another shop purchase of the same role
 * still runs for them (a later end, or a permanent one). Returns how many purchases ended.
 */
export async function expireShopRoles(ctx: BotContext, limit = 200): Promise<{ ended: number; removed: number; failed: number }> {
  const now = ctx.now();
  const due = await ctx.prisma.shopRedemption.findMany({
    where: { status: 'fulfilled', roleRemovedAt: null, roleExpiresAt: { lte: now } },
    include: { item: { select: { roleId: true, name: true } } },
    orderBy: { roleExpiresAt: 'asc' },
    take: limit,
  });
  let removed = 0;
  let failed = 0;
  for (const r of due) {
    const roleId = r.item.roleId;
    if (roleId && r.discordUserId) {
      const stillHeld = await ctx.prisma.shopRedemption.count({
        where: { id: { not: r.id }, guildId: r.guildId, discordUserId: r.discordUserId, status: 'fulfilled', roleRemovedAt: null, item: { roleId }, OR: [{ roleExpiresAt: null }, { roleExpiresAt: { gt: now } }] },
      });
      if (stillHeld === 0) {
        // A member who left or a deleted role leaves nothing to take back. A refusal (e.g. the bot lost Manage Roles) or an
        // unreachable Discord is left for the next run; moderators see it in the logs.
        const outcome = await changeMemberRole(ctx.discordRest, { guildId: r.guildId, userId: r.discordUserId, roleId, add: false, reason: `kickcord shop: ${r.item.name} ended` }).catch((error: unknown) => {
          ctx.logger.warn({ err: error, guildId: r.guildId, redemptionId: r.id }, 'could not remove an expired shop role');
          return null;
        });
        if (!outcome || ('problem' in outcome && outcome.problem.kind !== 'unknown-role')) {
          if (outcome && 'problem' in outcome) ctx.logger.warn({ guildId: r.guildId, redemptionId: r.id, problem: outcome.problem.text }, 'could not remove an expired shop role');
          failed++;
          continue;
        }
        removed++;
      }
    }
    await ctx.prisma.shopRedemption.updateMany({ where: { id: r.id, roleRemovedAt: null }, data: { roleRemovedAt: now } });
  }
  return { ended: due.length - failed, removed, failed };
}
