import { formatPointsAmount } from '@kickcord/core';
import { z } from 'zod';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { cancelRaffle, closeRaffle, drawRaffle, redrawRaffle, startRaffle } from './raffleService.ts';

/**
 * A whole number typed in a form ('' = not given) or given by a slash command option (null = not given). The
 * service checks the range with the slash command's own words.
 */
function optionalWholeNumber(label: string) {
  const message = `${label} must be a whole number.`;
  return z
    .preprocess(
      (value) => (typeof value === 'string' ? (value.trim() === '' ? null : Number(value.trim())) : (value ?? null)),
      z.number({ error: message }).int({ error: message }).nullable(),
    )
    .optional()
    .transform((value) => value ?? null);
}

/** The raffle a dashboard form was showing (null = the guild's active raffle, as a slash command means it). */
const raffleIdInput = z.string().trim().max(64).nullish().transform((v) => v || null);

/** A winner as the slash command's reply and the dashboard show it. */
export type RaffleWinnerData = { kickUserId: number; username: string; tickets: number };

/** What `raffles.draw` answers besides its sentence. */
export type RaffleDrawData = { raffleId: string; winners: RaffleWinnerData[]; entrants: number; tickets: number };

/** What `raffles.start` answers besides its sentence. */
export type RaffleStartData = { raffleId: string; keyword: string; cost: number; winners: number; subscriberLuck: number; giftedSubTickets: number; endsAt: string | null };

function ticketsLabel(n: number): string {
  return `${n} ${n === 1 ? 'ticket' : 'tickets'}`;
}

/** `/raffle start`, and the dashboard's "Start a raffle": one open raffle per server, announced in Kick chat. */
export const startRaffleAction = defineGuildAction({
  name: 'raffles.start',
  input: z.object({
    keyword: z.string().max(200).nullish().transform((v) => (v?.trim() ? v : null)),
    cost: optionalWholeNumber('The entry cost'),
    durationMinutes: optionalWholeNumber('The duration'),
    winners: optionalWholeNumber('The number of winners'),
    subscriberLuck: optionalWholeNumber('Subscriber luck'),
    giftedSubTickets: optionalWholeNumber('Tickets per gifted sub'),
  }),
  async run(ctx, call, input) {
    const raffle = await startRaffle(ctx, {
      guildId: call.guildId,
      actorDiscordId: call.actor.id,
      keyword: input.keyword,
      cost: input.cost,
      durationMinutes: input.durationMinutes,
      winners: input.winners,
      subscriberLuck: input.subscriberLuck,
      giftedSubTickets: input.giftedSubTickets,
    });
    await auditAction(ctx, call, 'raffles.start', {
      raffle: raffle.id,
      keyword: raffle.keyword,
      cost: raffle.cost,
      winners: raffle.winnersCount,
      subscriberLuck: raffle.subscriberLuck,
      giftedSubTickets: raffle.giftedSubTickets,
      durationMinutes: input.durationMinutes,
    });
    const extras = [
      raffle.winnersCount > 1 ? `${raffle.winnersCount} winners` : '1 winner',
      ...(raffle.subscriberLuck > 1 ? [`subscribers get ${raffle.subscriberLuck} tickets`] : []),
      ...(raffle.giftedSubTickets > 0 ? [`${ticketsLabel(raffle.giftedSubTickets)} per gifted sub`] : []),
    ];
    const data: RaffleStartData = {
      raffleId: raffle.id,
      keyword: raffle.keyword,
      cost: raffle.cost,
      winners: raffle.winnersCount,
      subscriberLuck: raffle.subscriberLuck,
      giftedSubTickets: raffle.giftedSubTickets,
      endsAt: raffle.endsAt?.toISOString() ?? null,
    };
    return {
      message: `🎟️ Raffle started: viewers enter by typing **${raffle.keyword}** in Kick chat${raffle.cost > 0 ? ` (costs ${formatPointsAmount(raffle.cost)})` : ''}. ${extras.join(' · ')}.${input.durationMinutes !== null ? ` Entries close in ${input.durationMinutes} min.` : ''}`,
      data,
    };
  },
});

/** `/raffle close`, and the dashboard's "Close entries": no more entries; a moderator then draws. */
export const closeRaffleAction = defineGuildAction({
  name: 'raffles.close',
  input: z.object({ raffleId: raffleIdInput }),
  async run(ctx, call, input) {
    const out = await closeRaffle(ctx, { guildId: call.guildId, raffleId: input.raffleId });
    if (out.changed) await auditAction(ctx, call, 'raffles.close', { raffle: out.raffle.id, keyword: out.raffle.keyword, entries: out.entrants });
    return {
      message: `${out.changed ? '⏰ Raffle entries are closed' : 'Raffle entries were already closed'} with ${out.entrants} ${out.entrants === 1 ? 'entry' : 'entries'}. Draw the ${out.raffle.winnersCount === 1 ? 'winner' : 'winners'} with \`/raffle draw\`.`,
      data: { raffleId: out.raffle.id, entrants: out.entrants },
    };
  },
});

/** The winners as the slash command's embed lists them (with the linked viewers' Discord mentions, when given). */
export function describeRaffleWinners(winners: readonly RaffleWinnerData[], label: (w: RaffleWinnerData) => string = (w) => `**${w.username}**`): string {
  return winners.map((w, i) => `${i + 1}. ${label(w)} (${ticketsLabel(w.tickets)})`).join('\n');
}

/** `/raffle draw`, and the dashboard's Draw: picks the winners (weighted by tickets), ends the raffle, announces them. */
export const drawRaffleAction = defineGuildAction({
  name: 'raffles.draw',
  input: z.object({ raffleId: raffleIdInput }),
  async run(ctx, call, input) {
    const result = await drawRaffle(ctx, { guildId: call.guildId, raffleId: input.raffleId });
    const winners = result.winners.map((w) => ({ kickUserId: w.kickUserId, username: w.username, tickets: w.tickets }));
    await auditAction(ctx, call, 'raffles.draw', { raffle: result.raffle.id, keyword: result.raffle.keyword, winners: winners.map((w) => w.username), entries: result.entrants, tickets: result.tickets });
    const data: RaffleDrawData = { raffleId: result.raffle.id, winners, entrants: result.entrants, tickets: result.tickets };
    return {
      message: `🎉 ${winners.length === 1 ? 'Raffle winner' : 'Raffle winners'}:\n${describeRaffleWinners(winners)}\n${result.entrants} ${result.entrants === 1 ? 'entry' : 'entries'} · ${ticketsLabel(result.tickets)}`,
      data,
    };
  },
});

/** `/raffle redraw`, and the dashboard's Re-draw: one more winner of a drawn raffle, among those who have not won. */
export const redrawRaffleAction = defineGuildAction({
  name: 'raffles.redraw',
  input: z.object({ raffleId: raffleIdInput }),
  async run(ctx, call, input) {
    const out = await redrawRaffle(ctx, { guildId: call.guildId, raffleId: input.raffleId });
    const winner = { kickUserId: out.winner.kickUserId, username: out.winner.username, tickets: out.winner.tickets };
    await auditAction(ctx, call, 'raffles.redraw', { raffle: out.raffle.id, keyword: out.raffle.keyword, winner: winner.username });
    return {
      message: `🎉 Re-drawn: the new winner is **${winner.username}** (${ticketsLabel(winner.tickets)}). ${out.remaining} ${out.remaining === 1 ? 'entrant has' : 'entrants have'} not won yet.`,
      data: { raffleId: out.raffle.id, winner, remaining: out.remaining },
    };
  },
});

/** `/raffle cancel`, and the dashboard's Cancel: ends the raffle without winners and refunds every entry cost. */
export const cancelRaffleAction = defineGuildAction({
  name: 'raffles.cancel',
  input: z.object({ raffleId: raffleIdInput }),
  async run(ctx, call, input) {
    const out = await cancelRaffle(ctx, { guildId: call.guildId, actorDiscordId: call.actor.id, raffleId: input.raffleId });
    await auditAction(ctx, call, 'raffles.cancel', { raffle: out.raffle.id, keyword: out.raffle.keyword, refunded: out.refunded, refundedPoints: out.refundedPoints });
    return {
      message: `🎟️ Raffle cancelled.${out.refunded > 0 ? ` Refunded ${formatPointsAmount(out.refundedPoints)} to ${out.refunded} ${out.refunded === 1 ? 'viewer' : 'viewers'}.` : ''}`,
      data: { raffleId: out.raffle.id, refunded: out.refunded, refundedPoints: out.refundedPoints },
    };
  },
});

/** Every raffle action. */
export const raffleActions = [startRaffleAction, closeRaffleAction, drawRaffleAction, redrawRaffleAction, cancelRaffleAction] as const;
