import { randomInt as cryptoRandomInt } from 'node:crypto';
import { drawWinners, formatPointsAmount, giftedSubTickets, ticketsForEntry, validateRaffleOptions } from '@kickcord/core';
import { appendLedgerEntries, spendPoints, type Raffle, type RaffleEntry } from '@kickcord/db';
import { announceCacheInvalidation } from '@kickcord/queue';
import { requireConnectedChannel } from '../../connectedChannel.ts';
import type { BotContext } from '../../context.ts';
import { isUniqueViolation } from '../../database/isUniqueViolation.ts';
import { TransactionRollback } from '../../database/TransactionRollback.ts';
import { announceInKickChat } from '../../kickChat/announceInKickChat.ts';
import { mentionList } from '../../kickChat/mentionList.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Default entry keyword. */
export const DEFAULT_RAFFLE_KEYWORD = '!join';
/** Longest raffle duration, in minutes (one day). */
export const MAX_RAFFLE_DURATION_MINUTES = 24 * 60;

/** Options of `/raffle start`. */
export interface StartRaffleInput {
  guildId: string;
  actorDiscordId: string;
  keyword?: string | null;
  cost?: number | null;
  durationMinutes?: number | null;
  winners?: number | null;
  subscriberLuck?: number | null;
  giftedSubTickets?: number | null;
}

/** Normalizes and checks an entry keyword: one word (e.g. `!join`, `!ticket`, `raffle`), lower-cased. */
export function normalizeKeyword(raw: string | null | undefined): string {
  const keyword = (raw ?? DEFAULT_RAFFLE_KEYWORD).trim().toLowerCase();
  if (!/^\S{1,32}$/u.test(keyword)) throw new UserFacingError(`The keyword must be one word of at most 32 characters, like \`!join\` (got "${raw ?? ''}").`);
  return keyword;
}

/** Starts a raffle (one open raffle per guild) and announces it in Kick chat. */
export async function startRaffle(ctx: BotContext, input: StartRaffleInput): Promise<Raffle> {
  const { broadcasterUserId } = await requireConnectedChannel(ctx, input.guildId);
  const keyword = normalizeKeyword(input.keyword);
  const options = {
    cost: input.cost ?? 0,
    winnersCount: input.winners ?? 1,
    subscriberLuck: input.subscriberLuck ?? 1,
    giftedSubTickets: input.giftedSubTickets ?? 0,
  };
  const valid = validateRaffleOptions(options);
  if (!valid.ok) throw new UserFacingError(valid.errors.join('\n'));
  const duration = input.durationMinutes ?? null;
  if (duration !== null && (!Number.isInteger(duration) || duration < 1 || duration > MAX_RAFFLE_DURATION_MINUTES)) {
    throw new UserFacingError(`Duration must be a whole number of minutes from 1 to ${MAX_RAFFLE_DURATION_MINUTES}.`);
  }
  const now = ctx.now();
  let raffle: Raffle;
  try {
    raffle = await ctx.prisma.raffle.create({
      data: {
        guildId: input.guildId,
        openGuildId: input.guildId,
        broadcasterUserId,
        keyword,
        ...options,
        endsAt: duration === null ? null : new Date(now.getTime() + duration * 60_000),
        createdByDiscordId: input.actorDiscordId,
        createdAt: now,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserFacingError('A raffle is already running in this server. Finish it with `/raffle draw` or `/raffle cancel` first.');
    throw error;
  }
  await setKeywordHint(ctx, input.guildId, keyword);
  const parts = [`🎟️ Raffle started! Type ${keyword} to enter`];
  if (options.cost > 0) parts.push(`(costs ${formatPointsAmount(options.cost)})`);
  if (duration !== null) parts.push(`— entries close in ${duration} min`);
  const extras: string[] = [];
  if (options.winnersCount > 1) extras.push(`${options.winnersCount} winners`);
  if (options.subscriberLuck > 1) extras.push(`subscribers get ${options.subscriberLuck} tickets`);
  if (options.giftedSubTickets > 0) extras.push(`+${options.giftedSubTickets} tickets per gifted sub`);
  const content = `${parts.join(' ')}.${extras.length ? ` ${extras.join(', ')}.` : ''}`;
  await announceInKickChat(ctx, { guildId: input.guildId, broadcasterUserId, dedupeKey: `raffle-start:${raffle.id}`, content });
  return raffle;
}

/** The guild's raffle that is open or closed but not drawn yet. */
export function activeRaffle(ctx: BotContext, guildId: string): Promise<Raffle | null> {
  return ctx.prisma.raffle.findUnique({ where: { openGuildId: guildId } });
}

/**
 * A Redis hint of the keyword of the guild's raffle taking entries ('' = none), so an ordinary chat
 * message costs no database query to tell it is not an entry. Starting a raffle writes it; closing,
 * drawing or cancelling deletes it; a message that finds no hint asks PostgreSQL and fills it only if
 * still absent (NX), so it never overwrites what a start or end wrote meanwhile. A stale keyword costs
 * one query (the entry path re-reads the raffle); the TTL bounds anything else.
 */
const KEYWORD_HINT_TTL_SECONDS = 60;

/** Whether `word` (lower-cased) may be the keyword of the guild's raffle taking entries. */
export async function mayBeRaffleKeyword(ctx: BotContext, guildId: string, word: string): Promise<boolean> {
  const key = ctx.keys.raffleKeyword(guildId);
  const copy = ctx.localCopies?.get<string>(key);
  if (copy !== undefined) return copy === word;
  const stamp = ctx.localCopies?.stamp() ?? 0;
  const hint = await ctx.redis.get(key).catch(() => null);
  if (hint !== null) {
    ctx.localCopies?.set(key, hint, stamp);
    return hint === word;
  }
  const raffle = await activeRaffle(ctx, guildId);
  const keyword = raffle?.status === 'open' ? raffle.keyword : '';
  await ctx.redis.set(ctx.keys.raffleKeyword(guildId), keyword, 'EX', KEYWORD_HINT_TTL_SECONDS, 'NX').catch(() => undefined);
  ctx.localCopies?.set(key, keyword, stamp);
  return keyword === word;
}

async function setKeywordHint(ctx: BotContext, guildId: string, keyword: string | null): Promise<void> {
  const key = ctx.keys.raffleKeyword(guildId);
  ctx.localCopies?.drop([key]);
  try {
    if (keyword === null) await ctx.redis.del(key);
    else await ctx.redis.set(key, keyword, 'EX', KEYWORD_HINT_TTL_SECONDS);
    await announceCacheInvalidation(ctx.redis, ctx.keys.prefix, [key]);
  } catch (error) {
    // Without the write a stale hint lives until its TTL ends (≤ 60 s); say so rather than fail the command.
    ctx.logger.warn({ guildId, err: error }, 'raffle keyword hint not updated; chat entries may lag by up to a minute');
  }
}

/** What happened to a chat entry. */
export type RaffleEntryOutcome =
  | { outcome: 'entered'; tickets: number }
  | { outcome: 'already' }
  | { outcome: 'closed' }
  | { outcome: 'insufficient'; balance: number; cost: number };

/**
 * Enters a viewer into an open raffle: charges the cost (ledger key `raffle:<raffleId>:<userId>`) and adds the
 * entry in ONE transaction, so a viewer pays at most once and never pays without an entry. Safe to repeat
 * (a retried job finds the entry and changes nothing).
 */
export async function enterRaffle(
  ctx: BotContext,
  raffle: Pick<Raffle, 'id' | 'guildId' | 'cost' | 'subscriberLuck'>,
  viewer: { userId: number; username: string; isSubscriber: boolean },
): Promise<RaffleEntryOutcome> {
  const tickets = ticketsForEntry({ isSubscriber: viewer.isSubscriber, subscriberLuck: raffle.subscriberLuck });
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      if (raffle.cost > 0) {
        const spent = await spendPoints(tx, {
          guildId: raffle.guildId,
          kickUserId: viewer.userId,
          username: viewer.username,
          kind: 'raffle',
          cost: raffle.cost,
          idempotencyKey: `raffle:${raffle.id}:${viewer.userId}`,
          reason: 'raffle entry',
        });
        if (!spent.ok) return { outcome: 'insufficient', balance: spent.balance, cost: raffle.cost } as const;
        if (spent.duplicate) return { outcome: 'already' } as const;
      }
      const inserted = await tx.$queryRaw<{ tickets: number }[]>`
        INSERT INTO "RaffleEntry" ("raffleId", "kickUserId", username, tickets, paid, "createdAt")
        SELECT r.id, ${viewer.userId}, ${viewer.username}, ${tickets}, ${raffle.cost}, ${ctx.now()}
          FROM "Raffle" r WHERE r.id = ${raffle.id} AND r.status = 'open' FOR SHARE
        ON CONFLICT ("raffleId", "kickUserId") DO NOTHING
        RETURNING tickets`;
      if (inserted.length > 0) return { outcome: 'entered', tickets } as const;
      const existing = await tx.raffleEntry.findUnique({ where: { raffleId_kickUserId: { raffleId: raffle.id, kickUserId: viewer.userId } }, select: { tickets: true } });
      // Roll back any charge: either the viewer is already in (e.g. via gifted subs) or the raffle just closed.
      throw new TransactionRollback(existing ? 'already' : 'closed');
    });
  } catch (error) {
    if (error instanceof TransactionRollback) return { outcome: error.outcome as 'already' | 'closed' };
    throw error;
  }
}

/**
 * Credits a gifter with tickets for a `channel.subscription.gifts` event while the guild's raffle is open and
 * gifted-sub tickets are on. Anonymous gifts earn nothing. Exactly once per Kick message: a zero-point ledger
 * row keyed `raffle-gift:<raffleId>:<messageId>` is written in the same transaction (and doubles as the audit trail).
 * A gifter who had not entered is entered for free with the gifted tickets.
 */
export async function addGiftedSubTickets(
  ctx: BotContext,
  input: { guildId: string; messageId: string; gifter: { userId: number | null; username: string | null; anonymous: boolean }; giftCount: number },
): Promise<{ outcome: 'added'; tickets: number; total: number } | { outcome: 'none' | 'duplicate' | 'closed' }> {
  const raffle = await activeRaffle(ctx, input.guildId);
  if (!raffle || raffle.status !== 'open' || raffle.giftedSubTickets <= 0) return { outcome: 'none' };
  const { userId, username } = input.gifter;
  const anonymous = input.gifter.anonymous || userId === null || username === null;
  const tickets = giftedSubTickets({ giftCount: input.giftCount, ticketsPerGift: raffle.giftedSubTickets, anonymous });
  if (tickets <= 0 || userId === null || username === null) return { outcome: 'none' };
  try {
    return await ctx.prisma.$transaction(async (tx) => {
      const marker = await appendLedgerEntries(tx, [
        {
          guildId: input.guildId,
          kickUserId: userId,
          username,
          kind: 'raffle',
          points: 0,
          idempotencyKey: `raffle-gift:${raffle.id}:${input.messageId}`,
          reason: `${input.giftCount} gifted sub(s): +${tickets} raffle tickets`,
        },
      ]);
      if (marker.inserted === 0) return { outcome: 'duplicate' } as const;
      const rows = await tx.$queryRaw<{ tickets: number }[]>`
        INSERT INTO "RaffleEntry" ("raffleId", "kickUserId", username, tickets, paid, "createdAt")
        SELECT r.id, ${userId}, ${username}, ${tickets}, 0, ${ctx.now()}
          FROM "Raffle" r WHERE r.id = ${raffle.id} AND r.status = 'open' FOR SHARE
        ON CONFLICT ("raffleId", "kickUserId") DO UPDATE SET tickets = "RaffleEntry".tickets + EXCLUDED.tickets
        RETURNING tickets`;
      const row = rows[0];
      if (!row) throw new TransactionRollback('closed');
      return { outcome: 'added', tickets, total: row.tickets } as const;
    });
  } catch (error) {
    if (error instanceof TransactionRollback) return { outcome: 'closed' };
    throw error;
  }
}

/** Result of {@link drawRaffle}. */
export interface RaffleDrawResult {
  raffle: Raffle;
  winners: RaffleEntry[];
  entrants: number;
  tickets: number;
}

/** The refusal when a raffle id (from a dashboard form) names no raffle of this server. */
export const NOT_THIS_SERVERS_RAFFLE = 'That raffle is not one of this server’s raffles. Reload the page.';

/** The raffle `raffleId` of `guildId`, or the refusal {@link NOT_THIS_SERVERS_RAFFLE} (another server's raffle or none). */
export async function raffleOfGuild(ctx: BotContext, guildId: string, raffleId: string): Promise<Raffle> {
  const raffle = await ctx.prisma.raffle.findUnique({ where: { id: raffleId } });
  if (!raffle || raffle.guildId !== guildId) throw new UserFacingError(NOT_THIS_SERVERS_RAFFLE);
  return raffle;
}

/**
 * Why a raffle named by id could not be drawn, closed or cancelled: it is not this server's, or it has ended. Used
 * after the claiming UPDATE found nothing, so the words say what happened meanwhile (e.g. another moderator drew it).
 */
async function endedRaffleRefusal(ctx: BotContext, guildId: string, raffleId: string): Promise<UserFacingError> {
  const raffle = await raffleOfGuild(ctx, guildId, raffleId);
  if (raffle.status === 'drawn') return new UserFacingError('This raffle has already been drawn.');
  if (raffle.status === 'cancelled') return new UserFacingError('This raffle was cancelled.');
  return new UserFacingError('This raffle changed meanwhile. Reload the page.');
}

/**
 * Draws the winners of the guild's active raffle (open or closed) with a cryptographically secure, unbiased
 * draw weighted by tickets (`drawWinners` + `crypto.randomInt`), marks them, ends the raffle and announces the
 * winners in Kick chat (once per raffle). A raffle nobody entered is not drawn (it stays as it is: wait for entries
 * or cancel it). `raffleId` (a dashboard form's) must be that active raffle. `randomInt` is injectable for tests only.
 */
export async function drawRaffle(
  ctx: BotContext,
  input: { guildId: string; raffleId?: string | null; randomInt?: (maxExclusive: number) => number },
): Promise<RaffleDrawResult> {
  const randomInt = input.randomInt ?? ((max: number) => cryptoRandomInt(max));
  const raffleId = input.raffleId ?? null;
  const result = await ctx.prisma.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<Raffle[]>`
      UPDATE "Raffle" SET status = 'drawn', "openGuildId" = NULL, "closedAt" = COALESCE("closedAt", ${ctx.now()})
      WHERE "openGuildId" = ${input.guildId} AND status IN ('open', 'closed') AND (${raffleId}::text IS NULL OR id = ${raffleId})
      RETURNING *`;
    const raffle = claimed[0];
    if (!raffle) return null;
    const entries = await tx.raffleEntry.findMany({ where: { raffleId: raffle.id }, orderBy: [{ createdAt: 'asc' }, { kickUserId: 'asc' }] });
    // Rolls the claim back: the raffle keeps taking entries (or waits to be cancelled).
    if (entries.length === 0) throw new UserFacingError('Nobody has entered this raffle yet, so there is nobody to draw. Wait for entries, or end it with `/raffle cancel`.');
    const picked = drawWinners(
      entries.map((e) => ({ id: String(e.kickUserId), tickets: e.tickets, entry: e })),
      raffle.winnersCount,
      randomInt,
    );
    if (picked.length > 0) {
      await tx.raffleEntry.updateMany({ where: { raffleId: raffle.id, kickUserId: { in: picked.map((p) => p.entry.kickUserId) } }, data: { won: true } });
    }
    return {
      raffle,
      winners: picked.map((p) => ({ ...p.entry, won: true })),
      entrants: entries.length,
      tickets: entries.reduce((s, e) => s + e.tickets, 0),
    };
  });
  if (!result) {
    if (raffleId !== null) throw await endedRaffleRefusal(ctx, input.guildId, raffleId);
    throw new UserFacingError('There is no raffle to draw. Start one with `/raffle start`.');
  }
  const { raffle, winners, entrants } = result;
  const content = `🎉 Raffle ${winners.length === 1 ? 'winner' : 'winners'}: ${mentionList(winners.map((w) => w.username))}! (${entrants} ${entrants === 1 ? 'entry' : 'entries'}) Congratulations!`;
  await setKeywordHint(ctx, raffle.guildId, null);
  await announceInKickChat(ctx, { guildId: raffle.guildId, broadcasterUserId: raffle.broadcasterUserId, dedupeKey: `raffle-winners:${raffle.id}`, content });
  return result;
}

/** Result of {@link redrawRaffle}. */
export interface RaffleRedrawResult {
  raffle: Raffle;
  winner: RaffleEntry;
  /** Entrants who have not won yet, after this draw. */
  remaining: number;
  entrants: number;
}

/**
 * Draws one more winner of a raffle that was drawn (e.g. when a winner does not claim the prize): weighted by tickets
 * like the draw, among the entrants who have not won yet, so nobody wins twice. Without `raffleId` it is the
 * guild's most recently drawn raffle. Announced in Kick chat once per new winner.
 */
export async function redrawRaffle(
  ctx: BotContext,
  input: { guildId: string; raffleId?: string | null; randomInt?: (maxExclusive: number) => number },
): Promise<RaffleRedrawResult> {
  const randomInt = input.randomInt ?? ((max: number) => cryptoRandomInt(max));
  const target = input.raffleId
    ? await raffleOfGuild(ctx, input.guildId, input.raffleId)
    : await ctx.prisma.raffle.findFirst({ where: { guildId: input.guildId, status: 'drawn' }, orderBy: [{ closedAt: 'desc' }, { createdAt: 'desc' }] });
  if (!target) throw new UserFacingError('There is no drawn raffle to re-draw. Draw one with `/raffle draw` first.');
  if (target.status === 'open' || target.status === 'closed') throw new UserFacingError('This raffle has not been drawn yet: draw it with `/raffle draw`.');
  if (target.status === 'cancelled') throw new UserFacingError('This raffle was cancelled, so there is nobody to re-draw.');
  const result = await ctx.prisma.$transaction(async (tx) => {
    // One re-draw at a time per raffle: the row lock orders them, so two never pick the same viewer.
    await tx.$queryRaw`SELECT id FROM "Raffle" WHERE id = ${target.id} FOR UPDATE`;
    const entries = await tx.raffleEntry.findMany({ where: { raffleId: target.id }, orderBy: [{ createdAt: 'asc' }, { kickUserId: 'asc' }] });
    const eligible = entries.filter((e) => !e.won);
    const [picked] = drawWinners(
      eligible.map((e) => ({ id: String(e.kickUserId), tickets: e.tickets, entry: e })),
      1,
      randomInt,
    );
    if (!picked) throw new UserFacingError('Everyone who entered this raffle has already won: there is nobody left to draw.');
    await tx.raffleEntry.update({ where: { raffleId_kickUserId: { raffleId: target.id, kickUserId: picked.entry.kickUserId } }, data: { won: true } });
    return { raffle: target, winner: { ...picked.entry, won: true }, remaining: eligible.length - 1, entrants: entries.length };
  });
  await announceInKickChat(ctx, {
    guildId: target.guildId,
    broadcasterUserId: target.broadcasterUserId,
    dedupeKey: `raffle-redraw:${target.id}:${result.winner.kickUserId}`,
    content: `🎉 Raffle re-draw — the new winner is ${mentionList([result.winner.username])}! Congratulations!`,
  });
  return result;
}

/**
 * Stops taking entries of the guild's open raffle (status `closed`; a moderator then draws) and says so in Kick chat.
 * `changed` is false when its entries were already closed. `raffleId` (a dashboard form's) must be that raffle.
 */
export async function closeRaffle(ctx: BotContext, input: { guildId: string; raffleId?: string | null }): Promise<{ raffle: Raffle; entrants: number; changed: boolean }> {
  const raffleId = input.raffleId ?? null;
  const closed = await ctx.prisma.$queryRaw<Raffle[]>`
    UPDATE "Raffle" SET status = 'closed', "closedAt" = ${ctx.now()}
    WHERE "openGuildId" = ${input.guildId} AND status = 'open' AND (${raffleId}::text IS NULL OR id = ${raffleId})
    RETURNING *`;
  const raffle = closed[0] ?? (await activeRaffle(ctx, input.guildId));
  if (!raffle || (raffleId !== null && raffle.id !== raffleId)) {
    if (raffleId !== null) throw await endedRaffleRefusal(ctx, input.guildId, raffleId);
    throw new UserFacingError('There is no raffle taking entries. Start one with `/raffle start`.');
  }
  const { entrants } = await raffleStats(ctx, raffle.id);
  if (closed[0]) {
    await setKeywordHint(ctx, raffle.guildId, null);
    await announceRaffleClosed(ctx, raffle, entrants);
  }
  return { raffle, entrants, changed: closed.length > 0 };
}

/** "Entries are closed" in Kick chat, once per raffle (a manual close and the timer share the key). */
async function announceRaffleClosed(ctx: BotContext, raffle: Pick<Raffle, 'id' | 'guildId' | 'broadcasterUserId'>, entrants: number): Promise<void> {
  await announceInKickChat(ctx, {
    guildId: raffle.guildId,
    broadcasterUserId: raffle.broadcasterUserId,
    dedupeKey: `raffle-closed:${raffle.id}`,
    content: `⏰ Raffle entries are closed — ${entrants} ${entrants === 1 ? 'viewer' : 'viewers'} entered. Winners will be drawn shortly!`,
  });
}

/**
 * Cancels the guild's active raffle and refunds every paid entry through the ledger (keys
 * `raffle-refund:<raffleId>:<userId>`), all in one transaction; announces the cancellation in Kick chat. `raffleId` (a
 * dashboard form's) must be that active raffle.
 */
export async function cancelRaffle(ctx: BotContext, input: { guildId: string; actorDiscordId: string; raffleId?: string | null }): Promise<{ raffle: Raffle; refunded: number; refundedPoints: number }> {
  const raffleId = input.raffleId ?? null;
  const out = await ctx.prisma.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<Raffle[]>`
      UPDATE "Raffle" SET status = 'cancelled', "openGuildId" = NULL, "closedAt" = COALESCE("closedAt", ${ctx.now()})
      WHERE "openGuildId" = ${input.guildId} AND status IN ('open', 'closed') AND (${raffleId}::text IS NULL OR id = ${raffleId})
      RETURNING *`;
    const raffle = claimed[0];
    if (!raffle) return null;
    const paid = await tx.raffleEntry.findMany({ where: { raffleId: raffle.id, paid: { gt: 0 }, refundedAt: null } });
    if (paid.length > 0) {
      await appendLedgerEntries(
        tx,
        paid.map((e) => ({
          guildId: raffle.guildId,
          kickUserId: e.kickUserId,
          username: e.username,
          kind: 'raffle' as const,
          points: e.paid,
          idempotencyKey: `raffle-refund:${raffle.id}:${e.kickUserId}`,
          reason: 'raffle cancelled: entry refunded',
          actorDiscordId: input.actorDiscordId,
        })),
      );
      await tx.raffleEntry.updateMany({ where: { raffleId: raffle.id, paid: { gt: 0 } }, data: { refundedAt: ctx.now() } });
    }
    return { raffle, refunded: paid.length, refundedPoints: paid.reduce((s, e) => s + e.paid, 0) };
  });
  if (!out) {
    if (raffleId !== null) throw await endedRaffleRefusal(ctx, input.guildId, raffleId);
    throw new UserFacingError('There is no raffle to cancel.');
  }
  await setKeywordHint(ctx, out.raffle.guildId, null);
  const content = `🎟️ The raffle was cancelled.${out.refunded > 0 ? ' Entry costs have been refunded.' : ''}`;
  await announceInKickChat(ctx, { guildId: out.raffle.guildId, broadcasterUserId: out.raffle.broadcasterUserId, dedupeKey: `raffle-cancel:${out.raffle.id}`, content });
  return out;
}

/** Counts of a raffle's entries. */
export async function raffleStats(ctx: BotContext, raffleId: string): Promise<{ entrants: number; tickets: number; paid: number }> {
  const agg = await ctx.prisma.raffleEntry.aggregate({ where: { raffleId }, _count: { _all: true }, _sum: { tickets: true, paid: true } });
  return { entrants: agg._count._all, tickets: agg._sum.tickets ?? 0, paid: agg._sum.paid ?? 0 };
}

/**
 * Closes entries of raffles whose duration ran out (status `closed`; a moderator then draws) and announces it
 * in Kick chat. Each raffle is claimed by one UPDATE … RETURNING, so concurrent workers close it once.
 * Returns how many raffles were closed.
 */
export async function closeExpiredRaffles(ctx: BotContext): Promise<number> {
  const now = ctx.now();
  const closed = await ctx.prisma.$queryRaw<Pick<Raffle, 'id' | 'guildId' | 'broadcasterUserId'>[]>`
    UPDATE "Raffle" SET status = 'closed', "closedAt" = ${now}
    WHERE status = 'open' AND "endsAt" IS NOT NULL AND "endsAt" <= ${now}
    RETURNING id, "guildId", "broadcasterUserId"`;
  for (const raffle of closed) {
    await setKeywordHint(ctx, raffle.guildId, null);
    const stats = await raffleStats(ctx, raffle.id);
    await announceRaffleClosed(ctx, raffle, stats.entrants);
  }
  return closed.length;
}
