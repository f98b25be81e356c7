import { appendLedgerEntries, spendPoints } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { TransactionRollback } from '../../database/TransactionRollback.ts';
import { parseBet, type BetResult, type RandomInt } from './bets.ts';

/** Outcome of {@link gamble}. */
export type GambleResult =
  | { outcome: 'won' | 'lost'; bet: number; balance: number }
  | { outcome: 'refused'; bet: Exclude<BetResult, { ok: true }>; balance: number }
  | { outcome: 'duplicate' };

/**
 * `!gamble`: bets points on one roll. A roll below the guild's win chance (percent, `randomInt(100)`) wins the bet
 * back doubled. Stake and win are one transaction in the ledger (`gamble:<message id>` and `gamble-win:<message id>`),
 * so a retried message changes nothing and nobody bets points they do not have.
 */
export async function gamble(
  ctx: BotContext,
  input: { guildId: string; messageId: string; userId: number; username: string; betText: string | undefined; winChance: number; minBet: number; maxBet: number; randomInt: RandomInt },
): Promise<GambleResult> {
  const key = `gamble:${input.messageId}`;
  if (await ctx.prisma.pointsLedger.findUnique({ where: { guildId_idempotencyKey: { guildId: input.guildId, idempotencyKey: key } }, select: { id: true } })) return { outcome: 'duplicate' };
  const stats = await ctx.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: input.guildId, kickUserId: input.userId } }, select: { points: true } });
  const balance = stats?.points ?? 0;
  const bet = parseBet(input.betText, balance, { min: input.minBet, max: input.maxBet });
  if (!bet.ok) return { outcome: 'refused', bet, balance };
  const won = input.randomInt(100) < input.winChance;
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      const spent = await spendPoints(tx, { guildId: input.guildId, kickUserId: input.userId, username: input.username, kind: 'gamble', cost: bet.amount, idempotencyKey: key, reason: 'gamble: bet' });
      if (!spent.ok) throw new TransactionRollback(String(spent.balance));
      if (spent.duplicate) return { outcome: 'duplicate' } as const;
      if (!won) return { outcome: 'lost', bet: bet.amount, balance: spent.balance } as const;
      await appendLedgerEntries(tx, [{ guildId: input.guildId, kickUserId: input.userId, username: input.username, kind: 'gamble', points: bet.amount * 2, idempotencyKey: `gamble-win:${input.messageId}`, reason: 'gamble: won' }]);
      const after = await tx.viewerStats.findUniqueOrThrow({ where: { guildId_kickUserId: { guildId: input.guildId, kickUserId: input.userId } }, select: { points: true } });
      return { outcome: 'won', bet: bet.amount, balance: after.points } as const;
    });
  } catch (error) {
    // The balance changed between the read and the bet (another message of the same viewer).
    if (error instanceof TransactionRollback) return { outcome: 'refused', bet: { ok: false, reason: 'insufficient', amount: bet.amount }, balance: Number(error.outcome) };
    throw error;
  }
}
