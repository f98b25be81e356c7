import { formatCents, formatPointsAmount } from '@kickcord/core';
import { z } from 'zod';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { cancelGtbRound, closeGtbRound, resolveGtbRound, startGtbRound } from './gtbService.ts';

/** The round a dashboard form was showing (null = the guild's active round, as a slash command means it). */
const roundIdInput = z.string().trim().max(64).nullish().transform((v) => v || null);

/** A guess as the slash command's reply and the dashboard show it. */
export type GtbGuessData = { kickUserId: number; username: string; amount: string };

/** What `gtb.resolve` answers besides its sentence. */
export type GtbResolveData = { roundId: string; balance: string; prize: number; guesses: number; winner: GtbGuessData | null; tied: GtbGuessData[] };

/** `/gtb start`, and the dashboard's "Open a round": one round per server, explained in Kick chat. */
export const startGtbAction = defineGuildAction({
  name: 'gtb.start',
  input: z.object({
    prize: z.preprocess(
      (value) => (typeof value === 'string' ? (value.trim() === '' ? null : Number(value.trim())) : (value ?? null)),
      z.number({ error: 'The prize must be a whole number.' }).int({ error: 'The prize must be a whole number.' }).nullable(),
    )
      .optional()
      .transform((value) => value ?? null),
  }),
  async run(ctx, call, input) {
    const round = await startGtbRound(ctx, { guildId: call.guildId, actorDiscordId: call.actor.id, prize: input.prize });
    await auditAction(ctx, call, 'gtb.start', { round: round.id, prize: round.prize });
    return {
      message: `💰 Guess the balance is open: viewers type \`!gtb <amount>\` in Kick chat.${round.prize > 0 ? ` Prize: ${formatPointsAmount(round.prize)}.` : ''} Close with \`/gtb close\`, then \`/gtb result <amount>\`.`,
      data: { roundId: round.id, prize: round.prize },
    };
  },
});

/** `/gtb close`, and the dashboard's "Close guesses". */
export const closeGtbAction = defineGuildAction({
  name: 'gtb.close',
  input: z.object({ roundId: roundIdInput }),
  async run(ctx, call, input) {
    const { round, guesses, changed } = await closeGtbRound(ctx, { guildId: call.guildId, roundId: input.roundId });
    if (changed) await auditAction(ctx, call, 'gtb.close', { round: round.id, guesses });
    return {
      message: `🔒 Guesses closed with ${guesses} ${guesses === 1 ? 'guess' : 'guesses'}. Enter the balance with \`/gtb result <amount>\`.`,
      data: { roundId: round.id, guesses },
    };
  },
});

/** `/gtb result`, and the dashboard's Resolve: the real balance names the closest guess and pays the prize. */
export const resolveGtbAction = defineGuildAction({
  name: 'gtb.resolve',
  input: z.object({ amount: z.string({ error: 'Type the balance, e.g. 1234.50 or 1.2k.' }).max(40, 'The balance is at most 40 characters.'), roundId: roundIdInput }),
  async run(ctx, call, input) {
    const r = await resolveGtbRound(ctx, { guildId: call.guildId, amountText: input.amount, actorDiscordId: call.actor.id, roundId: input.roundId });
    const guess = (g: { kickUserId: number; username: string; cents: number }): GtbGuessData => ({ kickUserId: g.kickUserId, username: g.username, amount: formatCents(g.cents) });
    const data: GtbResolveData = {
      roundId: r.round.id,
      balance: formatCents(r.resultCents),
      prize: r.round.prize,
      guesses: r.guesses,
      winner: r.winner ? guess(r.winner) : null,
      tied: r.closest.length > 1 ? r.closest.map(guess) : [],
    };
    await auditAction(ctx, call, 'gtb.resolve', { round: r.round.id, balance: data.balance, winner: data.winner?.username ?? null, guess: data.winner?.amount ?? null, prize: r.winner ? r.round.prize : 0, guesses: r.guesses });
    return { message: describeGtbResult(data), data };
  },
});

/** A result in words: the balance, the winner and the prize (the winner bold; `label` may add a Discord mention). */
export function describeGtbResult(data: GtbResolveData, label: (g: GtbGuessData) => string = (g) => `**${g.username}**`): string {
  const lines = [`💰 The balance was ${data.balance}.`];
  if (!data.winner) lines.push('Nobody guessed this round.');
  else {
    lines.push(`Winner: ${label(data.winner)} with ${data.winner.amount}${data.prize > 0 ? ` — wins ${formatPointsAmount(data.prize)}` : ''}`);
    if (data.tied.length > 1) lines.push(`Tied (earliest guess wins): ${data.tied.map((g) => `${g.username} (${g.amount})`).join(', ')}`);
  }
  return lines.join('\n');
}

/** `/gtb cancel`, and the dashboard's Cancel: the round ends without a result or prize. */
export const cancelGtbAction = defineGuildAction({
  name: 'gtb.cancel',
  input: z.object({ roundId: roundIdInput }),
  async run(ctx, call, input) {
    const round = await cancelGtbRound(ctx, { guildId: call.guildId, roundId: input.roundId });
    await auditAction(ctx, call, 'gtb.cancel', { round: round.id });
    return { message: 'Guess-the-balance round cancelled (no prize).', data: { roundId: round.id } };
  },
});

/** Every guess-the-balance action. */
export const gtbActions = [startGtbAction, closeGtbAction, resolveGtbAction, cancelGtbAction] as const;
