/**
 * Games at the service level: real Postgres, real Redis, kick-sim chat → the bot's real chat handler
 * (see helpers/gamesContext.ts). Raffles, guess-the-balance and slot calls.
 */
import { appendLedgerEntries } from '@kickcord/db';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelGtbRound, closeGtbRound, recordGtbGuess, resolveGtbRound, startGtbRound } from '../src/features/guessTheBalance/gtbService.ts';
import { activeRaffle, addGiftedSubTickets, cancelRaffle, closeExpiredRaffles, drawRaffle, enterRaffle, startRaffle } from '../src/features/raffles/raffleService.ts';
import { listSlotCalls, pickSlotCall, removeSlotCalls, setSlotCallsOpen } from '../src/features/slotCalls/slotCallService.ts';
import { startGamesStack, type GamesStack } from './helpers/gamesContext.ts';

const MOD = '300000000000000001';
const SUB = [{ text: 'Subscriber', type: 'subscriber' }];

let stack: GamesStack;
beforeAll(async () => {
  stack = await startGamesStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

let seq = 0;
async function fund(guildId: string, viewer: { userId: number; username: string }, points: number): Promise<void> {
  await appendLedgerEntries(stack.db.prisma, [{ guildId, kickUserId: viewer.userId, username: viewer.username, kind: 'admin', points, idempotencyKey: `test-fund:${++seq}` }]);
}
async function balance(guildId: string, userId: number): Promise<number> {
  const row = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId: userId } } });
  return row?.points ?? 0;
}
function botChat(streamerId: number): string[] {
  return stack.sim.chatLog(streamerId).filter((m) => m.type === 'bot').map((m) => m.content);
}
async function chat(streamerId: number, viewer: { userId: number }, content: string, badges: { text: string; type: string }[] = []): Promise<string> {
  const sent = await stack.sim.sendChat(streamerId, viewer.userId, content, { badges });
  expect(stack.failures).toEqual([]);
  return sent.messageId;
}
async function newGuild(name: string) {
  return stack.addOwnerGuild(name);
}

describe('raffles', () => {
  it('enters viewers by keyword once each, charges the cost once, gives subscribers their luck, and refuses the broke', async () => {
    const { guildId, streamer } = await newGuild('raffle');
    const alice = stack.viewer(`alice${++seq}`);
    const bob = stack.viewer(`bob${++seq}`);
    const carol = stack.viewer(`carol${++seq}`);
    await fund(guildId, alice, 100);
    await fund(guildId, bob, 100);
    await fund(guildId, carol, 5);
    const raffle = await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD, cost: 10, subscriberLuck: 3 });
    expect(raffle.keyword).toBe('!join');
    await waitFor(() => botChat(streamer.userId).some((m) => m.includes('Raffle started') && m.includes('!join') && m.includes('10 points')), { description: 'start announcement' });

    await chat(streamer.userId, alice, '!join', SUB);
    await chat(streamer.userId, bob, '!JOIN please');
    await chat(streamer.userId, carol, '!join');
    await chat(streamer.userId, alice, '!join', SUB);
    await chat(streamer.userId, bob, 'I want to !join'); // keyword must be the first word

    const entries = await stack.db.prisma.raffleEntry.findMany({ where: { raffleId: raffle.id }, orderBy: { createdAt: 'asc' } });
    expect(entries.map((e) => [e.kickUserId, e.tickets, e.paid])).toEqual([
      [alice.userId, 3, 10],
      [bob.userId, 1, 10],
    ]);
    expect(await balance(guildId, alice.userId)).toBe(90);
    expect(await balance(guildId, bob.userId)).toBe(90);
    expect(await balance(guildId, carol.userId)).toBe(5);
    await waitFor(() => botChat(streamer.userId).some((m) => m.includes(`@${carol.username}`) && m.includes('costs 10 points')), { description: 'insufficient reply' });
    // A second raffle cannot start while this one is active.
    await expect(startRaffle(stack.ctx, { guildId, actorDiscordId: MOD })).rejects.toThrow(/already running/);
  });

  it('takes keyword entries at once when a raffle starts after the chat was seen, and ordinary chat is answered from a Redis hint', async () => {
    const { guildId, streamer } = await newGuild('rafflehint');
    const dana = stack.viewer(`dana${++seq}`);
    const hint = () => stack.ctx.redis.get(stack.ctx.keys.raffleKeyword(guildId));
    await chat(streamer.userId, dana, 'hello there');
    expect(await hint()).toBe(''); // no raffle: later messages need no query
    const raffle = await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD, keyword: '!ticket' });
    expect(await hint()).toBe('!ticket');
    await chat(streamer.userId, dana, '!ticket');
    expect(await stack.db.prisma.raffleEntry.count({ where: { raffleId: raffle.id, kickUserId: dana.userId } })).toBe(1);
    await drawRaffle(stack.ctx, { guildId });
    expect(await hint()).toBeNull();
    await chat(streamer.userId, stack.viewer(`erin${++seq}`), '!ticket');
    expect(await stack.db.prisma.raffleEntry.count({ where: { raffleId: raffle.id } })).toBe(1);
    expect(await hint()).toBe('');
  });

  it('draws weighted by tickets: the draw spans every ticket and maps ticket ranges to entries', async () => {
    for (const [r, expectedWinner] of [
      [2, 'alice'],
      [3, 'bob'],
    ] as const) {
      const { guildId, streamer } = await newGuild('weights');
      const alice = stack.viewer(`alice${++seq}`);
      const bob = stack.viewer(`bob${++seq}`);
      await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD, subscriberLuck: 3 });
      await chat(streamer.userId, alice, '!join', SUB); // 3 tickets: 0..2
      await chat(streamer.userId, bob, '!join'); // 1 ticket: 3
      const asked: number[] = [];
      const result = await drawRaffle(stack.ctx, {
        guildId,
        randomInt: (max) => {
          asked.push(max);
          return r;
        },
      });
      expect(asked).toEqual([4]);
      const winner = expectedWinner === 'alice' ? alice : bob;
      expect(result.winners.map((w) => w.kickUserId)).toEqual([winner.userId]);
      expect(result).toMatchObject({ entrants: 2, tickets: 4 });
      await waitFor(() => botChat(streamer.userId).some((m) => m.includes('Raffle winner') && m.includes(`@${winner.username}`)), { description: 'winner in Kick chat' });
      const stored = await stack.db.prisma.raffle.findUniqueOrThrow({ where: { id: result.raffle.id }, include: { entries: true } });
      expect(stored.status).toBe('drawn');
      expect(stored.openGuildId).toBeNull();
      expect(stored.entries.filter((e) => e.won).map((e) => e.kickUserId)).toEqual([winner.userId]);
    }
  });

  it('uses crypto.randomInt by default: over many draws a 5-ticket entry wins about 5 times as often as a 1-ticket entry', async () => {
    const { guildId, streamer } = await newGuild('sample');
    const heavy = stack.viewer(`heavy${++seq}`);
    const light = stack.viewer(`light${++seq}`);
    let heavyWins = 0;
    const rounds = 80;
    for (let i = 0; i < rounds; i++) {
      const raffle = await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD, subscriberLuck: 5 });
      await enterRaffle(stack.ctx, raffle, { ...heavy, isSubscriber: true });
      await enterRaffle(stack.ctx, raffle, { ...light, isSubscriber: false });
      const { winners } = await drawRaffle(stack.ctx, { guildId });
      if (winners[0]?.kickUserId === heavy.userId) heavyWins++;
    }
    // Expected 66.7 of 80 (p = 5/6, sd ≈ 3.3): the bounds are ~5 sd away, and an unweighted draw (≈ 40)
    // or one that always favours the most tickets (80) fails them.
    expect(heavyWins).toBeGreaterThan(50);
    expect(heavyWins).toBeLessThan(78);
    expect(streamer.userId).toBeGreaterThan(0);
  }, 60_000);

  it('draws several distinct winners, and all entrants when there are fewer than the winners asked', async () => {
    const { guildId, streamer } = await newGuild('multi');
    const viewers = [stack.viewer(`v${++seq}`), stack.viewer(`v${++seq}`), stack.viewer(`v${++seq}`)];
    await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD, winners: 5 });
    for (const v of viewers) await chat(streamer.userId, v, '!join');
    const { winners } = await drawRaffle(stack.ctx, { guildId });
    expect(new Set(winners.map((w) => w.kickUserId))).toEqual(new Set(viewers.map((v) => v.userId)));
    await expect(drawRaffle(stack.ctx, { guildId })).rejects.toThrow(/no raffle to draw/);
  });

  it('cancel refunds every paid entry through the ledger, once', async () => {
    const { guildId, streamer } = await newGuild('cancel');
    const alice = stack.viewer(`alice${++seq}`);
    const bob = stack.viewer(`bob${++seq}`);
    await fund(guildId, alice, 50);
    await fund(guildId, bob, 50);
    const raffle = await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD, cost: 20, keyword: '!Ticket' });
    await chat(streamer.userId, alice, '!ticket');
    await chat(streamer.userId, bob, '!TICKET');
    expect(await balance(guildId, alice.userId)).toBe(30);
    const out = await cancelRaffle(stack.ctx, { guildId, actorDiscordId: MOD });
    expect(out).toMatchObject({ refunded: 2, refundedPoints: 40 });
    expect(await balance(guildId, alice.userId)).toBe(50);
    expect(await balance(guildId, bob.userId)).toBe(50);
    const refunds = await stack.db.prisma.pointsLedger.findMany({ where: { guildId, idempotencyKey: { startsWith: `raffle-refund:${raffle.id}:` } } });
    expect(refunds.map((r) => r.points).sort()).toEqual([20, 20]);
    await expect(cancelRaffle(stack.ctx, { guildId, actorDiscordId: MOD })).rejects.toThrow(/no raffle to cancel/);
    await chat(streamer.userId, alice, '!ticket'); // no raffle any more: ignored, nothing charged
    expect(await balance(guildId, alice.userId)).toBe(50);
    await waitFor(() => botChat(streamer.userId).some((m) => m.includes('cancelled') && m.includes('refunded')), { description: 'cancel announcement' });
  });

  it('survives a restart: a new bot context continues the open raffle', async () => {
    const { guildId, streamer } = await newGuild('restart');
    const alice = stack.viewer(`alice${++seq}`);
    const bob = stack.viewer(`bob${++seq}`);
    await fund(guildId, bob, 10);
    await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD, cost: 0 });
    await chat(streamer.userId, alice, '!join');
    const restarted = await stack.newContext();
    const raffle = await activeRaffle(restarted, guildId);
    expect(raffle?.status).toBe('open');
    expect(await enterRaffle(restarted, raffle!, { ...bob, isSubscriber: false })).toEqual({ outcome: 'entered', tickets: 1 });
    expect(await enterRaffle(restarted, raffle!, { ...alice, isSubscriber: false })).toEqual({ outcome: 'already' });
    const { winners, entrants } = await drawRaffle(restarted, { guildId });
    expect(entrants).toBe(2);
    expect(winners).toHaveLength(1);
  });

  it('gifted subs give the gifter tickets per gift (once per Kick message); anonymous gifters get none', async () => {
    const { guildId, streamer } = await newGuild('gifts');
    const gifter = stack.viewer(`gifter${++seq}`);
    const giftees = [stack.viewer(`g${++seq}`), stack.viewer(`g${++seq}`), stack.viewer(`g${++seq}`)];
    const raffle = await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD, giftedSubTickets: 2 });
    await stack.sim.giftSubs(streamer.userId, gifter.userId, giftees.map((g) => g.userId));
    await stack.sim.giftSubs(streamer.userId, null, [giftees[0]!.userId]);
    expect(stack.failures).toEqual([]);
    let entries = await stack.db.prisma.raffleEntry.findMany({ where: { raffleId: raffle.id } });
    expect(entries.map((e) => [e.kickUserId, e.tickets, e.paid])).toEqual([[gifter.userId, 6, 0]]);

    // The same Kick message again (a retried job) adds nothing; a new gift adds more.
    const again = await addGiftedSubTickets(stack.ctx, { guildId, messageId: 'gift-msg-1', gifter: { userId: gifter.userId, username: gifter.username, anonymous: false }, giftCount: 1 });
    expect(again).toMatchObject({ outcome: 'added', tickets: 2, total: 8 });
    expect(await addGiftedSubTickets(stack.ctx, { guildId, messageId: 'gift-msg-1', gifter: { userId: gifter.userId, username: gifter.username, anonymous: false }, giftCount: 1 })).toEqual({ outcome: 'duplicate' });
    expect(await addGiftedSubTickets(stack.ctx, { guildId, messageId: 'gift-msg-2', gifter: { userId: null, username: null, anonymous: true }, giftCount: 5 })).toEqual({ outcome: 'none' });
    // The gifter's keyword entry is not a second entry.
    await chat(streamer.userId, gifter, '!join');
    entries = await stack.db.prisma.raffleEntry.findMany({ where: { raffleId: raffle.id } });
    expect(entries.map((e) => [e.kickUserId, e.tickets])).toEqual([[gifter.userId, 8]]);
  });

  it('gifted subs give nothing when the raffle has no tickets per gift', async () => {
    const { guildId, streamer } = await newGuild('nogifts');
    const gifter = stack.viewer(`gifter${++seq}`);
    const raffle = await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD });
    await stack.sim.giftSubs(streamer.userId, gifter.userId, [stack.viewer(`g${++seq}`).userId]);
    expect(await stack.db.prisma.raffleEntry.count({ where: { raffleId: raffle.id } })).toBe(0);
  });

  it('closes entries when the duration runs out (once, whichever worker scans), then draws', async () => {
    const { guildId, streamer } = await newGuild('duration');
    const alice = stack.viewer(`alice${++seq}`);
    const late = stack.viewer(`late${++seq}`);
    const raffle = await startRaffle(stack.ctx, { guildId, actorDiscordId: MOD, durationMinutes: 5 });
    await chat(streamer.userId, alice, '!join');
    expect(await closeExpiredRaffles(stack.ctx)).toBe(0);
    stack.clock.advance(5 * 60_000);
    const other = await stack.newContext();
    const closed = await Promise.all([closeExpiredRaffles(stack.ctx), closeExpiredRaffles(other)]);
    expect(closed[0] + closed[1]).toBe(1);
    expect((await stack.db.prisma.raffle.findUniqueOrThrow({ where: { id: raffle.id } })).status).toBe('closed');
    await chat(streamer.userId, late, '!join');
    expect(await stack.db.prisma.raffleEntry.count({ where: { raffleId: raffle.id } })).toBe(1);
    await waitFor(() => botChat(streamer.userId).some((m) => m.includes('entries are closed') && m.includes('1 viewer entered')), { description: 'closed announcement' });
    const { winners } = await drawRaffle(stack.ctx, { guildId });
    expect(winners.map((w) => w.kickUserId)).toEqual([alice.userId]);
  });
});

describe('guess the balance', () => {
  it('takes one changeable guess per viewer, answers nonsense, closes, and pays the closest (earliest on ties)', async () => {
    const { guildId, streamer } = await newGuild('gtb');
    const [alice, bob, carol, dave] = [stack.viewer(`alice${++seq}`), stack.viewer(`bob${++seq}`), stack.viewer(`carol${++seq}`), stack.viewer(`dave${++seq}`)];
    const round = await startGtbRound(stack.ctx, { guildId, actorDiscordId: MOD, prize: 500 });
    await chat(streamer.userId, alice, '!gtb 1,234.50');
    await chat(streamer.userId, bob, '!gtb 1.2k');
    await chat(streamer.userId, carol, '!gtb banana');
    await chat(streamer.userId, alice, '!gtb 1300');
    await chat(streamer.userId, dave, '!gtb $1.3k');
    const guesses = await stack.db.prisma.gtbGuess.findMany({ where: { roundId: round.id }, orderBy: { guessedAt: 'asc' } });
    expect(guesses.map((g) => [g.kickUserId, g.amount.toString()])).toEqual([
      [bob.userId, '1200'],
      [alice.userId, '1300'],
      [dave.userId, '1300'],
    ]);
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${carol.username}`) && m.includes('not an amount')), { description: 'nonsense reply' });

    // A late (older) message never overwrites a newer guess.
    expect(await recordGtbGuess(stack.ctx, { guildId, userId: alice.userId, username: alice.username, text: '1', at: new Date(0) })).toEqual({ outcome: 'stale' });

    const { guesses: count } = await closeGtbRound(stack.ctx, { guildId });
    expect(count).toBe(3);
    await chat(streamer.userId, carol, '!gtb 1299');
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${carol.username}`) && m.includes('closed')), { description: 'closed reply' });

    const result = await resolveGtbRound(stack.ctx, { guildId, amountText: '1,299', actorDiscordId: MOD });
    expect(result.closest.map((g) => g.kickUserId)).toEqual([alice.userId, dave.userId]);
    expect(result.winner?.kickUserId).toBe(alice.userId);
    expect(await balance(guildId, alice.userId)).toBe(500);
    expect(await balance(guildId, dave.userId)).toBe(0);
    const prize = await stack.db.prisma.pointsLedger.findMany({ where: { guildId, idempotencyKey: `gtb:${round.id}` } });
    expect(prize).toHaveLength(1);
    await waitFor(() => botChat(streamer.userId).some((m) => m.includes('1,299.00') && m.includes(`@${alice.username}`) && m.includes(`@${dave.username}`) && m.includes('500 points')), { description: 'result announcement' });
    await expect(resolveGtbRound(stack.ctx, { guildId, amountText: '5', actorDiscordId: MOD })).rejects.toThrow(/no guess-the-balance round/);
  });

  it('continues after a restart and can be cancelled without a prize', async () => {
    const { guildId, streamer } = await newGuild('gtb2');
    const alice = stack.viewer(`alice${++seq}`);
    await startGtbRound(stack.ctx, { guildId, actorDiscordId: MOD, prize: 100 });
    await chat(streamer.userId, alice, '!gtb 50');
    const restarted = await stack.newContext();
    await expect(startGtbRound(restarted, { guildId, actorDiscordId: MOD })).rejects.toThrow(/already running/);
    const round = await cancelGtbRound(restarted, { guildId });
    expect(round.status).toBe('cancelled');
    expect(await balance(guildId, alice.userId)).toBe(0);
    await chat(streamer.userId, alice, '!gtb 60');
    await waitFor(() => botChat(streamer.userId).some((m) => m.includes('no guess-the-balance round')), { description: 'no round reply' });
  });
});

describe('slot calls', () => {
  it('queues one call per viewer, merges duplicates, charges and refunds the cost, and announces picks', async () => {
    const { guildId, streamer } = await newGuild('slots');
    const [alice, bob, carol, dave] = [stack.viewer(`alice${++seq}`), stack.viewer(`bob${++seq}`), stack.viewer(`carol${++seq}`), stack.viewer(`dave${++seq}`)];
    for (const v of [alice, bob, carol]) await fund(guildId, v, 20);
    await chat(streamer.userId, alice, '!call Sweet Bonanza');
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${alice.username}`) && m.includes('closed')), { description: 'closed reply' });

    await setSlotCallsOpen(stack.ctx, { guildId, open: true, cost: 5 });
    await chat(streamer.userId, alice, '!call Sweet Bonanza');
    await chat(streamer.userId, bob, '!call sweet-bonanza!');
    await chat(streamer.userId, carol, '!call Gates of Olympus');
    await chat(streamer.userId, alice, '!call Wanted Dead or a Wild');
    await chat(streamer.userId, dave, '!call Sugar Rush'); // no points
    await chat(streamer.userId, carol, '!call');
    expect(await balance(guildId, alice.userId)).toBe(15);
    expect(await balance(guildId, bob.userId)).toBe(15);
    expect(await balance(guildId, carol.userId)).toBe(15);
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${alice.username}`) && m.includes('already have a call')), { description: 'already reply' });
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${dave.username}`) && m.includes('costs 5 points')), { description: 'insufficient reply' });
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${bob.username}`) && m.includes('#1') && m.includes('2 callers')), { description: 'merged reply' });

    const groups = await listSlotCalls(stack.ctx, guildId);
    expect(groups.map((g) => [g.displayName, g.count])).toEqual([
      ['Sweet Bonanza', 2],
      ['Gates of Olympus', 1],
    ]);
    const picked = await pickSlotCall(stack.ctx, { guildId, random: false });
    expect(picked).toEqual({
      slotName: 'Sweet Bonanza',
      callers: [alice.username, bob.username],
      callerViewers: [
        { kickUserId: alice.userId, username: alice.username },
        { kickUserId: bob.userId, username: bob.username },
      ],
    });
    await waitFor(() => botChat(streamer.userId).some((m) => m.includes('Next slot: call #1 in the queue') && m.includes(`@${alice.username}`) && m.includes(`@${bob.username}`)), { description: 'pick announcement' });

    // Picked viewers may call again; removing a call refunds it.
    await chat(streamer.userId, alice, '!call Sugar Rush');
    const removed = await removeSlotCalls(stack.ctx, { guildId, actorDiscordId: MOD, username: carol.username.toUpperCase() });
    expect(removed.removed.map((c) => c.slotName)).toEqual(['Gates of Olympus']);
    expect(await balance(guildId, carol.userId)).toBe(20);
    const cleared = await removeSlotCalls(stack.ctx, { guildId, actorDiscordId: MOD, all: true });
    expect(cleared.removed.map((c) => c.slotName)).toEqual(['Sugar Rush']);
    expect(await balance(guildId, alice.userId)).toBe(15);
    expect(await listSlotCalls(stack.ctx, guildId)).toEqual([]);
    expect(await pickSlotCall(stack.ctx, { guildId, random: true })).toBeNull();
  });

  it('never repeats the text a viewer typed after !call or !gtb into Kick chat', async () => {
    const { guildId, streamer } = await newGuild('echo');
    const [spammer, other] = [stack.viewer(`spam${++seq}`), stack.viewer(`other${++seq}`)];
    await setSlotCallsOpen(stack.ctx, { guildId, open: true });
    await chat(streamer.userId, spammer, '!call visit spam.example now');
    await chat(streamer.userId, other, '!call Book of Dead');
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${spammer.username}`) && m.includes('#1 in the queue')), { description: 'queued reply' });
    await chat(streamer.userId, spammer, '!call free coins at spam.example');
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${spammer.username}`) && m.includes('already have a call')), { description: 'already reply' });
    expect((await listSlotCalls(stack.ctx, guildId))[0]?.displayName).toBe('visit spam.example now');
    const picked = await pickSlotCall(stack.ctx, { guildId, random: false });
    expect(picked?.slotName).toBe('visit spam.example now');
    await waitFor(() => botChat(streamer.userId).some((m) => m.includes('Next slot: call #1') && m.includes(`@${spammer.username}`)), { description: 'pick announcement' });

    await startGtbRound(stack.ctx, { guildId, actorDiscordId: MOD });
    await chat(streamer.userId, spammer, '!gtb spam.example');
    await chat(streamer.userId, other, '!gtb 12.3456');
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${spammer.username}`) && m.includes('not an amount')), { description: 'gtb nonsense reply' });
    await waitFor(() => botChat(streamer.userId).some((m) => m.startsWith(`@${other.username}`) && m.includes('at most 2 decimals')), { description: 'gtb decimals reply' });
    const said = botChat(streamer.userId);
    expect(said.filter((m) => /spam\.example|Book of Dead|12\.3456/u.test(m))).toEqual([]);
  });

  it('a random pick chooses a call uniformly (so popular slots are likelier) and a restart keeps the queue', async () => {
    const { guildId, streamer } = await newGuild('slots2');
    const [a, b, c] = [stack.viewer(`a${++seq}`), stack.viewer(`b${++seq}`), stack.viewer(`c${++seq}`)];
    await setSlotCallsOpen(stack.ctx, { guildId, open: true });
    await chat(streamer.userId, a, '!call Book of Dead');
    await chat(streamer.userId, b, '!call Big Bass Bonanza');
    await chat(streamer.userId, c, '!call book of dead');
    const restarted = await stack.newContext();
    const asked: number[] = [];
    const picked = await pickSlotCall(restarted, {
      guildId,
      random: true,
      randomInt: (max) => {
        asked.push(max);
        return 1;
      },
    });
    expect(asked).toEqual([3]);
    expect(picked?.slotName).toBe('Big Bass Bonanza');
    await setSlotCallsOpen(restarted, { guildId, open: false });
    expect((await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId } })).slotCallsOpen).toBe(false);
  });
});
