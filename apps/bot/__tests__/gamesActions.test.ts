/**
 * The games' guild actions (what `/raffle`, `/gtb`, `/slotcalls` and the dashboard's Games page run): closing a
 * raffle's entries, re-drawing, refusing to draw a raffle nobody entered, ids of another server's raffle or round
 * refused, and an audit entry for every change (none for a change that changed nothing).
 */
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelGtbAction, closeGtbAction, resolveGtbAction, startGtbAction } from '../src/features/guessTheBalance/gtbActions.ts';
import { NOT_THIS_SERVERS_ROUND } from '../src/features/guessTheBalance/gtbService.ts';
import { cancelRaffleAction, closeRaffleAction, drawRaffleAction, redrawRaffleAction, startRaffleAction } from '../src/features/raffles/raffleActions.ts';
import { NOT_THIS_SERVERS_RAFFLE } from '../src/features/raffles/raffleService.ts';
import { clearSlotCallsAction, closeSlotCallsAction, openSlotCallsAction, pickSlotCallAction, removeSlotCallsAction } from '../src/features/slotCalls/slotCallActions.ts';
import type { GuildActionCall } from '../src/guildActions/GuildAction.ts';
import { runGuildAction } from '../src/guildActions/guildActionsProcessor.ts';
import { startGamesStack, type GamesStack } from './helpers/gamesContext.ts';

let stack: GamesStack;
beforeAll(async () => {
  stack = await startGamesStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

let seq = 0;
const call = (guildId: string): GuildActionCall => ({ guildId, actor: { id: '300000000000000001', name: 'games_mod' }, source: 'discord', requestId: `req-${++seq}` });
const botChat = (streamerId: number) => stack.sim.chatLog(streamerId).filter((m) => m.type === 'bot').map((m) => m.content);
const chat = async (streamerId: number, viewer: { userId: number }, content: string) => {
  await stack.sim.sendChat(streamerId, viewer.userId, content);
  expect(stack.failures).toEqual([]);
};
const audits = (guildId: string, action: string) => stack.db.prisma.auditLogEntry.findMany({ where: { guildId, action }, orderBy: { createdAt: 'asc' } });

describe('raffle actions', () => {
  it('refuses to draw a raffle nobody entered and leaves it running; close stops entries once; draw, then re-draw picks someone new', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('raffleact');
    const started = await runGuildAction(stack.ctx, startRaffleAction, call(guildId), { keyword: '!win', cost: '', durationMinutes: null, winners: '1', subscriberLuck: null, giftedSubTickets: null });
    expect(started.message).toContain('**!win**');
    const raffleId = (started.data as { raffleId: string }).raffleId;

    await expect(runGuildAction(stack.ctx, drawRaffleAction, call(guildId), {})).rejects.toThrow('Nobody has entered this raffle yet, so there is nobody to draw. Wait for entries, or end it with `/raffle cancel`.');
    expect((await stack.db.prisma.raffle.findUniqueOrThrow({ where: { id: raffleId } })).status).toBe('open');
    expect(await audits(guildId, 'raffles.draw')).toEqual([]);

    const viewers = [stack.viewer(`ra${++seq}`), stack.viewer(`rb${++seq}`), stack.viewer(`rc${++seq}`)];
    for (const v of viewers) await chat(streamer.userId, v, '!win');
    const closed = await runGuildAction(stack.ctx, closeRaffleAction, call(guildId), { raffleId });
    expect(closed.message).toContain('Raffle entries are closed with 3 entries');
    expect((await runGuildAction(stack.ctx, closeRaffleAction, call(guildId), { raffleId })).message).toContain('already closed');
    expect((await audits(guildId, 'raffles.close')).map((a) => a.detail)).toEqual([{ raffle: raffleId, keyword: '!win', entries: 3 }]);
    await chat(streamer.userId, stack.viewer(`late${++seq}`), '!win');
    expect(await stack.db.prisma.raffleEntry.count({ where: { raffleId } })).toBe(3);
    await waitFor(() => botChat(streamer.userId).some((m) => m.includes('entries are closed — 3 viewers entered')), { description: 'the close announced in Kick chat' });

    await expect(runGuildAction(stack.ctx, redrawRaffleAction, call(guildId), { raffleId })).rejects.toThrow('This raffle has not been drawn yet');
    const drawn = await runGuildAction(stack.ctx, drawRaffleAction, call(guildId), { raffleId });
    const first = (drawn.data as { winners: { username: string }[] }).winners[0]?.username ?? '';
    expect(drawn.message).toContain(`**${first}**`);
    await expect(runGuildAction(stack.ctx, drawRaffleAction, call(guildId), { raffleId })).rejects.toThrow('This raffle has already been drawn.');

    const second = await runGuildAction(stack.ctx, redrawRaffleAction, call(guildId), {});
    const third = await runGuildAction(stack.ctx, redrawRaffleAction, call(guildId), { raffleId });
    const names = [first, (second.data as { winner: { username: string } }).winner.username, (third.data as { winner: { username: string } }).winner.username];
    expect(new Set(names)).toEqual(new Set(viewers.map((v) => v.username)));
    await expect(runGuildAction(stack.ctx, redrawRaffleAction, call(guildId), { raffleId })).rejects.toThrow('Everyone who entered this raffle has already won');
    expect(await stack.db.prisma.raffleEntry.count({ where: { raffleId, won: true } })).toBe(3);
    expect((await audits(guildId, 'raffles.redraw')).map((a) => (a.detail as { winner: string }).winner)).toEqual(names.slice(1));
    await waitFor(() => botChat(streamer.userId).some((m) => m === `🎉 Raffle re-draw — the new winner is @${names[1]}! Congratulations!`), { description: 'the re-draw announced in Kick chat' });
  });

  it("refuses another server's raffle id for draw, close, cancel and re-draw, and changes nothing there", async () => {
    const mine = await stack.addOwnerGuild('rafflemine');
    const theirs = await stack.addOwnerGuild('raffletheirs');
    const other = await runGuildAction(stack.ctx, startRaffleAction, call(theirs.guildId), {});
    const otherId = (other.data as { raffleId: string }).raffleId;
    await chat(theirs.streamer.userId, stack.viewer(`t${++seq}`), '!join');
    await runGuildAction(stack.ctx, startRaffleAction, call(mine.guildId), {});
    for (const action of [drawRaffleAction, closeRaffleAction, cancelRaffleAction, redrawRaffleAction]) {
      await expect(runGuildAction(stack.ctx, action, call(mine.guildId), { raffleId: otherId })).rejects.toThrow(NOT_THIS_SERVERS_RAFFLE);
    }
    await expect(runGuildAction(stack.ctx, drawRaffleAction, call(mine.guildId), { raffleId: 'not-a-raffle' })).rejects.toThrow(NOT_THIS_SERVERS_RAFFLE);
    expect(await stack.db.prisma.raffle.findUniqueOrThrow({ where: { id: otherId } })).toMatchObject({ status: 'open', openGuildId: theirs.guildId });
    const cancelled = await runGuildAction(stack.ctx, cancelRaffleAction, call(mine.guildId), {});
    expect(cancelled.message).toBe('🎟️ Raffle cancelled.');
    expect(await audits(mine.guildId, 'raffles.cancel')).toHaveLength(1);
    expect(await audits(theirs.guildId, 'raffles.cancel')).toHaveLength(0);
  });

  it('refuses a form’s number that is not a whole number, with the field named', async () => {
    const { guildId } = await stack.addOwnerGuild('rafflebad');
    await expect(runGuildAction(stack.ctx, startRaffleAction, call(guildId), { cost: 'lots' })).rejects.toThrow('cost: The entry cost must be a whole number.');
    await expect(runGuildAction(stack.ctx, startRaffleAction, call(guildId), { winners: '0' })).rejects.toThrow('Winners must be a whole number from 1 to 100 (got 0).');
    expect(await stack.db.prisma.raffle.count({ where: { guildId } })).toBe(0);
  });
});

describe('guess-the-balance actions', () => {
  it('start, close (recorded once), resolve with the winner, audit entries; another server’s round id refused', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('gtbact');
    const theirs = await stack.addOwnerGuild('gtbtheirs');
    const otherRound = (await runGuildAction(stack.ctx, startGtbAction, call(theirs.guildId), { prize: null })).data as { roundId: string };
    const round = (await runGuildAction(stack.ctx, startGtbAction, call(guildId), { prize: '40' })).data as { roundId: string };
    const [alice, bob] = [stack.viewer(`ga${++seq}`), stack.viewer(`gb${++seq}`)];
    await chat(streamer.userId, alice, '!gtb 100');
    await chat(streamer.userId, bob, '!gtb 250');

    await expect(runGuildAction(stack.ctx, closeGtbAction, call(guildId), { roundId: otherRound.roundId })).rejects.toThrow(NOT_THIS_SERVERS_ROUND);
    await expect(runGuildAction(stack.ctx, resolveGtbAction, call(guildId), { amount: '5', roundId: otherRound.roundId })).rejects.toThrow(NOT_THIS_SERVERS_ROUND);
    await expect(runGuildAction(stack.ctx, cancelGtbAction, call(guildId), { roundId: otherRound.roundId })).rejects.toThrow(NOT_THIS_SERVERS_ROUND);
    expect((await stack.db.prisma.gtbRound.findUniqueOrThrow({ where: { id: otherRound.roundId } })).status).toBe('open');

    expect((await runGuildAction(stack.ctx, closeGtbAction, call(guildId), { roundId: round.roundId })).message).toContain('Guesses closed with 2 guesses');
    await runGuildAction(stack.ctx, closeGtbAction, call(guildId), {});
    expect(await audits(guildId, 'gtb.close')).toHaveLength(1);
    await expect(runGuildAction(stack.ctx, resolveGtbAction, call(guildId), { amount: 'lots', roundId: round.roundId })).rejects.toThrow('The balance "lots" can\'t be read');
    const resolved = await runGuildAction(stack.ctx, resolveGtbAction, call(guildId), { amount: '230', roundId: round.roundId });
    expect(resolved.message).toBe(`💰 The balance was 230.00.\nWinner: **${bob.username}** with 250.00 — wins 40 points`);
    await expect(runGuildAction(stack.ctx, resolveGtbAction, call(guildId), { amount: '1', roundId: round.roundId })).rejects.toThrow('This round already has a result.');
    expect((await audits(guildId, 'gtb.resolve')).map((a) => a.detail)).toEqual([{ round: round.roundId, balance: '230.00', winner: bob.username, guess: '250.00', prize: 40, guesses: 2 }]);
    expect((await audits(guildId, 'gtb.start')).map((a) => a.source)).toEqual(['discord']);
  });
});

describe('slot-call actions', () => {
  it('open records the change once, pick announces and records, remove refuses a miss with the slash text, clear records what it removed', async () => {
    const { guildId, streamer } = await stack.addOwnerGuild('slotact');
    await runGuildAction(stack.ctx, openSlotCallsAction, call(guildId), { cost: '' });
    await runGuildAction(stack.ctx, openSlotCallsAction, call(guildId), { cost: null });
    expect((await audits(guildId, 'slotcalls.open')).map((a) => a.detail)).toEqual([{ open: { from: false, to: true }, cost: { from: 0, to: 0 } }]);
    await expect(runGuildAction(stack.ctx, pickSlotCallAction, call(guildId), { random: false })).rejects.toThrow('The queue is empty.');
    const [a, b, c] = [stack.viewer(`sa${++seq}`), stack.viewer(`sb${++seq}`), stack.viewer(`sc${++seq}`)];
    await chat(streamer.userId, a, '!call Gates of Olympus');
    await chat(streamer.userId, b, '!call Sugar Rush');
    await chat(streamer.userId, c, '!call Wanted');
    const picked = await runGuildAction(stack.ctx, pickSlotCallAction, call(guildId), { random: 'false' });
    expect(picked.message).toBe(`🎰 Next slot: **Gates of Olympus** (called by ${a.username})`);
    await expect(runGuildAction(stack.ctx, removeSlotCallsAction, call(guildId), { viewer: 'nobody_here', slot: null })).rejects.toThrow('No open call matches. See `/slotcalls list`.');
    expect((await runGuildAction(stack.ctx, removeSlotCallsAction, call(guildId), { viewer: `@${b.username}` })).message).toBe('Removed 1 call.');
    expect((await runGuildAction(stack.ctx, clearSlotCallsAction, call(guildId), {})).message).toBe('Removed 1 call.');
    await runGuildAction(stack.ctx, closeSlotCallsAction, call(guildId), {});
    const actions = (await stack.db.prisma.auditLogEntry.findMany({ where: { guildId }, orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['slotcalls.open', 'slotcalls.pick', 'slotcalls.remove', 'slotcalls.clear', 'slotcalls.close']);
  });
});
