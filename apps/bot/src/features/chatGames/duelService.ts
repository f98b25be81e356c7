import { formatPointsAmount } from '@kickcord/core';
import { appendLedgerEntries, spendPoints, type ChatDuel } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { isUniqueViolation } from '../../database/isUniqueViolation.ts';
import { stableId } from '../../database/stableId.ts';
import { TransactionRollback } from '../../database/TransactionRollback.ts';
import { announceInKickChat } from '../../kickChat/announceInKickChat.ts';
import { findViewerStats } from '../../viewers/viewerStats.ts';
import { parseBet, type BetResult, type RandomInt } from './bets.ts';

/** Outcome of {@link challengeDuel}. */
export type ChallengeResult =
  | { outcome: 'challenged'; duel: ChatDuel }
  | { outcome: 'duplicate' }
  | { outcome: 'usage' }
  | { outcome: 'unknown-opponent' }
  | { outcome: 'self' }
  | { outcome: 'already'; opponentName: string }
  | { outcome: 'refused'; bet: Exclude<BetResult, { ok: true }>; balance: number };

/**
 * `!duel @viewer <amount>`: challenges a viewer the guild knows. The challenger's stake is taken at once (ledger
 * key `duel:<duel id>`) and held until the duel is accepted or expires, so nobody can spend it meanwhile. One open
 * challenge per viewer; the duel id derives from the Kick message id.
 */
export async function challengeDuel(
  ctx: BotContext,
  input: { guildId: string; broadcasterUserId: number; messageId: string; userId: number; username: string; opponentText: string | undefined; betText: string | undefined; minBet: number; maxBet: number; expirySec: number },
): Promise<ChallengeResult> {
  const id = stableId('duel', input.guildId, input.messageId);
  if (await ctx.prisma.chatDuel.findUnique({ where: { id }, select: { id: true } })) return { outcome: 'duplicate' };
  if (!input.opponentText || !input.betText) return { outcome: 'usage' };
  const opponent = await findViewerStats(ctx.prisma, input.guildId, input.opponentText);
  if (!opponent) return { outcome: 'unknown-opponent' };
  if (opponent.kickUserId === input.userId) return { outcome: 'self' };
  await expireDuels(ctx, { guildId: input.guildId });
  const stats = await ctx.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: input.guildId, kickUserId: input.userId } }, select: { points: true } });
  const balance = stats?.points ?? 0;
  const bet = parseBet(input.betText, balance, { min: input.minBet, max: input.maxBet });
  if (!bet.ok) return { outcome: 'refused', bet, balance };
  const openKey = `${input.guildId}:${input.userId}`;
  try {
    const duel = await ctx.prisma.$transaction(async (tx) => {
      const spent = await spendPoints(tx, { guildId: input.guildId, kickUserId: input.userId, username: input.username, kind: 'duel', cost: bet.amount, idempotencyKey: `duel:${id}`, reason: `duel stake vs ${opponent.username}` });
      if (!spent.ok) throw new TransactionRollback(`insufficient:${spent.balance}`);
      return tx.chatDuel.create({
        data: { id, guildId: input.guildId, broadcasterUserId: input.broadcasterUserId, challengerId: input.userId, challengerName: input.username, opponentId: opponent.kickUserId, opponentName: opponent.username, stake: bet.amount, openChallengerKey: openKey, expiresAt: new Date(ctx.now().getTime() + input.expirySec * 1000), createdAt: ctx.now() },
      });
    });
    return { outcome: 'challenged', duel };
  } catch (error) {
    if (error instanceof TransactionRollback && error.outcome.startsWith('insufficient:')) return { outcome: 'refused', bet: { ok: false, reason: 'insufficient', amount: bet.amount }, balance: Number(error.outcome.slice(13)) };
    if (isUniqueViolation(error)) {
      const open = await ctx.prisma.chatDuel.findUnique({ where: { openChallengerKey: openKey } });
      if (open?.id === id) return { outcome: 'duplicate' };
      return { outcome: 'already', opponentName: open?.opponentName ?? opponent.username };
    }
    throw error;
  }
}

/** Outcome of {@link acceptDuel}. */
export type AcceptResult =
  | { outcome: 'resolved'; duel: ChatDuel; winner: { id: number; name: string }; loser: { id: number; name: string } }
  | { outcome: 'none' }
  | { outcome: 'insufficient'; duel: ChatDuel; balance: number };

/**
 * `!accept [@challenger]`: the challenged viewer accepts the oldest open, unexpired challenge (or the named
 * challenger's). In one transaction the duel is closed (only while still open and unexpired — a second accept or the
 * expiry finds nothing), the opponent's stake is taken (`duel-accept:<id>`; refused if they cannot cover it, and the
 * challenge stays open), `randomInt(2)` picks the winner and both stakes are paid to them (`duel-win:<id>`).
 */
export async function acceptDuel(ctx: BotContext, input: { guildId: string; userId: number; username: string; challengerText: string | undefined; randomInt: RandomInt }): Promise<AcceptResult> {
  const now = ctx.now();
  const challenger = input.challengerText?.trim().replace(/^@+/u, '').toLowerCase();
  const open = await ctx.prisma.chatDuel.findMany({ where: { guildId: input.guildId, opponentId: input.userId, status: 'open', expiresAt: { gt: now } }, orderBy: { createdAt: 'asc' } });
  const duel = open.find((d) => !challenger || d.challengerName.toLowerCase() === challenger);
  if (!duel) return { outcome: 'none' };
  const challengerWins = input.randomInt(2) === 0;
  const winner = challengerWins ? { id: duel.challengerId, name: duel.challengerName } : { id: duel.opponentId, name: duel.opponentName };
  const loser = challengerWins ? { id: duel.opponentId, name: duel.opponentName } : { id: duel.challengerId, name: duel.challengerName };
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      const closed = await tx.chatDuel.updateMany({ where: { id: duel.id, status: 'open', expiresAt: { gt: now } }, data: { status: 'resolved', openChallengerKey: null, winnerId: winner.id, resolvedAt: now } });
      if (closed.count === 0) throw new TransactionRollback('none');
      const spent = await spendPoints(tx, { guildId: input.guildId, kickUserId: input.userId, username: input.username, kind: 'duel', cost: duel.stake, idempotencyKey: `duel-accept:${duel.id}`, reason: `duel stake vs ${duel.challengerName}` });
      if (!spent.ok) throw new TransactionRollback(`insufficient:${spent.balance}`);
      await appendLedgerEntries(tx, [{ guildId: input.guildId, kickUserId: winner.id, username: winner.name, kind: 'duel', points: duel.stake * 2, idempotencyKey: `duel-win:${duel.id}`, reason: `duel won vs ${loser.name}` }]);
      return { outcome: 'resolved', duel: { ...duel, status: 'resolved', winnerId: winner.id, resolvedAt: now, openChallengerKey: null }, winner, loser } as const;
    });
  } catch (error) {
    if (error instanceof TransactionRollback) {
      if (error.outcome.startsWith('insufficient:')) return { outcome: 'insufficient', duel, balance: Number(error.outcome.slice(13)) };
      return { outcome: 'none' };
    }
    throw error;
  }
}

/**
 * Ends open challenges whose time is up (maintenance, and before a new challenge): each is marked expired once and
 * its stake paid back to the challenger in the same transaction (`duel-refund:<id>`), then Kick chat is told once.
 */
export async function expireDuels(ctx: BotContext, scope: { guildId?: string } = {}): Promise<number> {
  const now = ctx.now();
  const due = await ctx.prisma.chatDuel.findMany({ where: { status: 'open', expiresAt: { lte: now }, ...(scope.guildId ? { guildId: scope.guildId } : {}) }, take: 500 });
  let expired = 0;
  for (const duel of due) {
    const done = await ctx.prisma.$transaction(async (tx) => {
      const closed = await tx.chatDuel.updateMany({ where: { id: duel.id, status: 'open' }, data: { status: 'expired', openChallengerKey: null, resolvedAt: now } });
      if (closed.count === 0) return false;
      await appendLedgerEntries(tx, [{ guildId: duel.guildId, kickUserId: duel.challengerId, username: duel.challengerName, kind: 'duel', points: duel.stake, idempotencyKey: `duel-refund:${duel.id}`, reason: `duel with ${duel.opponentName} expired` }]);
      return true;
    });
    if (!done) continue;
    expired++;
    await announceInKickChat(ctx, {
      guildId: duel.guildId,
      broadcasterUserId: duel.broadcasterUserId,
      dedupeKey: `duel-expired:${duel.id}`,
      content: `⚔️ @${duel.challengerName} your duel with @${duel.opponentName} expired — you got your ${formatPointsAmount(duel.stake)} back.`,
    });
  }
  return expired;
}
