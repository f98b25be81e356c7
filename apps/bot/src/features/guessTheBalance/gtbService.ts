import { AMOUNT_EXAMPLES, centsToDecimalString, closestGuesses, decimalStringToCents, formatCents, formatPointsAmount, parseAmount } from '@kickcord/core';
import { appendLedgerEntries, type GtbRound } from '@kickcord/db';
import { requireConnectedChannel } from '../../connectedChannel.ts';
import type { BotContext } from '../../context.ts';
import { isUniqueViolation } from '../../database/isUniqueViolation.ts';
import { formatPoints } from '../../formatPoints.ts';
import { announceInKickChat } from '../../kickChat/announceInKickChat.ts';
import { mentionList } from '../../kickChat/mentionList.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Largest prize of a round. */
export const MAX_GTB_PRIZE = 1_000_000_000;

/** Starts a guess-the-balance round (one per guild) and announces it in Kick chat. */
export async function startGtbRound(ctx: BotContext, input: { guildId: string; actorDiscordId: string; prize?: number | null }): Promise<GtbRound> {
  const { broadcasterUserId } = await requireConnectedChannel(ctx, input.guildId);
  const prize = input.prize ?? 0;
  if (!Number.isInteger(prize) || prize < 0 || prize > MAX_GTB_PRIZE) throw new UserFacingError(`The prize must be a whole number of points from 0 to ${formatPoints(MAX_GTB_PRIZE)}.`);
  let round: GtbRound;
  try {
    round = await ctx.prisma.gtbRound.create({ data: { guildId: input.guildId, openGuildId: input.guildId, prize, createdByDiscordId: input.actorDiscordId, createdAt: ctx.now() } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserFacingError('A guess-the-balance round is already running. Finish it with `/gtb result` (or `/gtb cancel`) first.');
    throw error;
  }
  const content = `💰 Guess the balance! Type !gtb <amount> (e.g. !gtb 1,234.50 or !gtb 1.2k). One guess each — you can change it until guesses close.${prize > 0 ? ` Closest guess wins ${formatPointsAmount(prize)}!` : ''}`;
  await announceInKickChat(ctx, { guildId: input.guildId, broadcasterUserId, dedupeKey: `gtb-start:${round.id}`, content });
  return round;
}

/** The guild's round that is open or closed but has no result yet. */
export function activeGtbRound(ctx: BotContext, guildId: string): Promise<GtbRound | null> {
  return ctx.prisma.gtbRound.findUnique({ where: { openGuildId: guildId } });
}

/** What happened to a `!gtb` guess. */
export type GtbGuessOutcome = { outcome: 'recorded'; cents: number } | { outcome: 'invalid'; problem: string } | { outcome: 'no-round' } | { outcome: 'closed' } | { outcome: 'stale' };

/**
 * Records or changes a viewer's guess while the round is open. Idempotent on the message: the guess carries the
 * message's time and only replaces an older one, so a retried (or late) message never overwrites a newer guess.
 */
export async function recordGtbGuess(ctx: BotContext, input: { guildId: string; userId: number; username: string; text: string; at: Date }): Promise<GtbGuessOutcome> {
  const round = await activeGtbRound(ctx, input.guildId);
  if (!round) return { outcome: 'no-round' };
  if (round.status !== 'open') return { outcome: 'closed' };
  const parsed = parseAmount(input.text);
  if (!parsed.ok) return { outcome: 'invalid', problem: parsed.problem };
  const rows = await ctx.prisma.$queryRaw<{ ok: number }[]>`
    INSERT INTO "GtbGuess" ("roundId", "kickUserId", username, amount, "guessedAt")
    SELECT r.id, ${input.userId}, ${input.username}, ${centsToDecimalString(parsed.cents)}::numeric, ${input.at}
      FROM "GtbRound" r WHERE r.id = ${round.id} AND r.status = 'open' FOR SHARE
    ON CONFLICT ("roundId", "kickUserId") DO UPDATE SET amount = EXCLUDED.amount, username = EXCLUDED.username, "guessedAt" = EXCLUDED."guessedAt"
      WHERE "GtbGuess"."guessedAt" <= EXCLUDED."guessedAt"
    RETURNING 1 AS ok`;
  if (rows.length > 0) return { outcome: 'recorded', cents: parsed.cents };
  const still = await ctx.prisma.gtbRound.findUnique({ where: { id: round.id }, select: { status: true } });
  return still?.status === 'open' ? { outcome: 'stale' } : { outcome: 'closed' };
}

/** The refusal when a round id (from a dashboard form) names no round of this server. */
export const NOT_THIS_SERVERS_ROUND = 'That guess-the-balance round is not one of this server’s rounds. Reload the page.';

/** The round `roundId` of `guildId`, or the refusal {@link NOT_THIS_SERVERS_ROUND} (another server's round or none). */
export async function gtbRoundOfGuild(ctx: BotContext, guildId: string, roundId: string): Promise<GtbRound> {
  const round = await ctx.prisma.gtbRound.findUnique({ where: { id: roundId } });
  if (!round || round.guildId !== guildId) throw new UserFacingError(NOT_THIS_SERVERS_ROUND);
  return round;
}

/** Why a round named by id could not be closed, resolved or cancelled: it is not this server's, or it has ended. */
async function endedRoundRefusal(ctx: BotContext, guildId: string, roundId: string): Promise<UserFacingError> {
  const round = await gtbRoundOfGuild(ctx, guildId, roundId);
  if (round.status === 'resolved') return new UserFacingError('This round already has a result.');
  if (round.status === 'cancelled') return new UserFacingError('This round was cancelled.');
  return new UserFacingError('This round changed meanwhile. Reload the page.');
}

/**
 * Stops accepting guesses and announces it (once per round). `changed` is false when guesses were already closed.
 * `roundId` (a dashboard form's) must be the guild's active round.
 */
export async function closeGtbRound(ctx: BotContext, input: { guildId: string; roundId?: string | null }): Promise<{ round: GtbRound; guesses: number; changed: boolean }> {
  const { broadcasterUserId } = await requireConnectedChannel(ctx, input.guildId);
  const roundId = input.roundId ?? null;
  const updated = await ctx.prisma.gtbRound.updateMany({ where: { openGuildId: input.guildId, status: 'open', ...(roundId !== null ? { id: roundId } : {}) }, data: { status: 'closed', closedAt: ctx.now() } });
  const round = await activeGtbRound(ctx, input.guildId);
  if (roundId !== null && round?.id !== roundId) throw await endedRoundRefusal(ctx, input.guildId, roundId);
  if (!round) throw new UserFacingError('There is no guess-the-balance round. Start one with `/gtb start`.');
  if (updated.count === 0 && round.status !== 'closed') throw new UserFacingError('The round is not open.');
  const guesses = await ctx.prisma.gtbGuess.count({ where: { roundId: round.id } });
  await announceInKickChat(ctx, { guildId: input.guildId, broadcasterUserId, dedupeKey: `gtb-close:${round.id}`, content: `🔒 Guesses are closed — ${guesses} ${guesses === 1 ? 'guess' : 'guesses'} in. Good luck!` });
  return { round, guesses, changed: updated.count > 0 };
}

/** One guess of a result. */
export interface GtbResultGuess {
  kickUserId: number;
  username: string;
  cents: number;
  guessedAt: Date;
}

/** Result of {@link resolveGtbRound}. */
export interface GtbResult {
  round: GtbRound;
  resultCents: number;
  /** Every guess at the smallest distance, earliest first. */
  closest: GtbResultGuess[];
  /** The earliest of the closest guesses (gets the prize), or null without guesses. */
  winner: GtbResultGuess | null;
  guesses: number;
}

/**
 * Ends the round with the real balance: names the closest guess(es) (ties → earliest guess wins), pays the prize
 * through the ledger (key `gtb:<roundId>`) in the same transaction, and announces it in Kick chat.
 */
export async function resolveGtbRound(ctx: BotContext, input: { guildId: string; amountText: string; actorDiscordId: string; roundId?: string | null }): Promise<GtbResult> {
  const parsed = parseAmount(input.amountText);
  if (!parsed.ok) throw new UserFacingError(`The balance "${input.amountText}" can't be read: ${parsed.problem} — ${AMOUNT_EXAMPLES}.`);
  const resultCents = parsed.cents;
  const { broadcasterUserId } = await requireConnectedChannel(ctx, input.guildId);
  const roundId = input.roundId ?? null;
  const out = await ctx.prisma.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<GtbRound[]>`
      UPDATE "GtbRound" SET status = 'resolved', result = ${centsToDecimalString(resultCents)}::numeric, "resolvedAt" = ${ctx.now()},
             "closedAt" = COALESCE("closedAt", ${ctx.now()}), "openGuildId" = NULL
      WHERE "openGuildId" = ${input.guildId} AND status IN ('open', 'closed') AND (${roundId}::text IS NULL OR id = ${roundId})
      RETURNING *`;
    const round = claimed[0];
    if (!round) return null;
    const rows = await tx.gtbGuess.findMany({ where: { roundId: round.id } });
    const guesses = rows.map((g) => ({ kickUserId: g.kickUserId, username: g.username, cents: decimalStringToCents(g.amount.toString()), guessedAt: g.guessedAt, userId: g.kickUserId }));
    const closest = closestGuesses(
      guesses.map((g) => ({ ...g, guessedAt: g.guessedAt.getTime(), at: g.guessedAt })),
      resultCents,
    ).map((g) => ({ kickUserId: g.kickUserId, username: g.username, cents: g.cents, guessedAt: g.at }));
    const winner = closest[0] ?? null;
    if (winner && round.prize > 0) {
      await appendLedgerEntries(tx, [
        { guildId: input.guildId, kickUserId: winner.kickUserId, username: winner.username, kind: 'gtb', points: round.prize, idempotencyKey: `gtb:${round.id}`, reason: 'guess the balance prize', actorDiscordId: input.actorDiscordId },
      ]);
    }
    return { round, resultCents, closest, winner, guesses: rows.length };
  });
  if (!out) {
    if (roundId !== null) throw await endedRoundRefusal(ctx, input.guildId, roundId);
    throw new UserFacingError('There is no guess-the-balance round to resolve. Start one with `/gtb start`.');
  }
  let content = `💰 The balance was ${formatCents(resultCents)}!`;
  if (!out.winner) content += ' Nobody guessed this round.';
  else {
    const others = out.closest.slice(1);
    content += ` Closest guess: ${mentionList([out.winner.username])} with ${formatCents(out.winner.cents)}`;
    if (others.length > 0) content += ` (tied with ${mentionList(others.map((g) => g.username))} — earliest guess wins)`;
    content += out.round.prize > 0 ? ` and wins ${formatPointsAmount(out.round.prize)}! 🎉` : '! 🎉';
  }
  await announceInKickChat(ctx, { guildId: input.guildId, broadcasterUserId, dedupeKey: `gtb-result:${out.round.id}`, content });
  return out;
}

/** Ends the round without a result or prize. `roundId` (a dashboard form's) must be the guild's active round. */
export async function cancelGtbRound(ctx: BotContext, input: { guildId: string; roundId?: string | null }): Promise<GtbRound> {
  const roundId = input.roundId ?? null;
  const claimed = await ctx.prisma.$queryRaw<GtbRound[]>`
    UPDATE "GtbRound" SET status = 'cancelled', "openGuildId" = NULL, "closedAt" = COALESCE("closedAt", ${ctx.now()})
    WHERE "openGuildId" = ${input.guildId} AND status IN ('open', 'closed') AND (${roundId}::text IS NULL OR id = ${roundId}) RETURNING *`;
  const round = claimed[0];
  if (!round && roundId !== null) throw await endedRoundRefusal(ctx, input.guildId, roundId);
  if (!round) throw new UserFacingError('There is no guess-the-balance round to cancel.');
  return round;
}
