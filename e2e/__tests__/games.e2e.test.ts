/**
 * Community games end to end: slash commands through discord-sim, viewers through kick-sim chat
 * (kick-sim → web → BullMQ → bot worker), bot replies in kick-sim chat.
 */
import { maintenanceTasks } from '@kickcord/bot';
import { appendLedgerEntries } from '@kickcord/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANAGE_GUILD } from '@kickcord/testkit';
import { responseText, startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 90_000);
afterAll(async () => stack?.close());

const SUB = [{ text: 'Subscriber', type: 'subscriber' }];
const botSaid = (text: string) => stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.content.includes(text), 15_000);
async function say(viewer: { userId: number }, content: string, badges: { text: string; type: string }[] = []): Promise<void> {
  await stack.kick.sendChat(stack.streamer.userId, viewer.userId, content, { badges });
}
async function points(userId: number): Promise<number> {
  const row = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: stack.guild.id, kickUserId: userId } } });
  return row?.points ?? 0;
}

describe('games, end to end', () => {
  it('raffle: start, keyword entries with cost and sub luck, gifted-sub tickets, status, draw announced in Kick chat and Discord', async () => {
    const [alice, bob, gifter] = [stack.createViewer('raf_alice'), stack.createViewer('raf_bob'), stack.createViewer('raf_gifter')];
    await appendLedgerEntries(stack.db.prisma, [
      { guildId: stack.guild.id, kickUserId: alice.userId, username: alice.username, kind: 'admin', points: 100, idempotencyKey: 'e2e:alice' },
      { guildId: stack.guild.id, kickUserId: bob.userId, username: bob.username, kind: 'admin', points: 100, idempotencyKey: 'e2e:bob' },
    ]);
    const started = await stack.run('/raffle start cost:10 subscriber-luck:2 gifted-sub-tickets:3');
    expect(started).toContain('!join');
    await botSaid('Raffle started');
    await say(alice, '!join', SUB);
    await say(bob, '!join');
    await stack.kick.giftSubs(stack.streamer.userId, gifter.userId, [stack.createViewer('raf_lucky').userId]);
    await stack.kick.giftSubs(stack.streamer.userId, null, [stack.createViewer('raf_lucky2').userId]);
    await stack.drain();
    const status = await stack.run('/raffle status');
    expect(status).toMatch(/Entries: 3/);
    expect(status).toMatch(/Tickets: 6/);
    expect(await points(alice.userId)).toBe(90);

    const denied = await stack.run('/raffle draw', { as: 'member' });
    expect(denied).toContain('for moderators');
    const drawn = await stack.run('/raffle draw');
    expect(drawn).toMatch(/Raffle winner/);
    const winnerName = [alice, bob, gifter].find((v) => drawn.includes(v.username))?.username;
    expect(winnerName).toBeDefined();
    await botSaid(`@${winnerName}`);
  });

  it('a refusal after a public deferral reaches only the moderator: /raffle start while one runs', async () => {
    await stack.run('/raffle start');
    const record = await stack.invoke('/raffle start');
    const refusal = await stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'followup', 10_000);
    expect(responseText(refusal.data)).toContain('already running');
    expect(refusal.ephemeral).toBe(true);
    expect(record.responses.map((r) => r.kind)).toEqual(['callback', 'delete', 'followup']);
    expect(stack.discord.messages().filter((m) => JSON.stringify(m).includes('already running'))).toEqual([]);
    expect(await stack.run('/raffle cancel')).toMatch(/cancel/i);
  });

  it('guess the balance: guesses in chat, nonsense answered, close, result pays the prize', async () => {
    const [carol, dan] = [stack.createViewer('gtb_carol'), stack.createViewer('gtb_dan')];
    await stack.run('/gtb start prize:250');
    await botSaid('Guess the balance');
    await say(carol, '!gtb 1.2k');
    await say(dan, '!gtb 1,150.75');
    await say(dan, '!gtb lots');
    await botSaid(`@${dan.username} that's not an amount`);
    await stack.drain();
    expect(await stack.run('/gtb close')).toContain('2 guesses');
    const result = await stack.run('/gtb result amount:1180');
    expect(result).toContain('1,180.00');
    expect(result).toContain(`Winner: **${carol.username}**`);
    await botSaid(`@${carol.username} with 1,200.00 and wins 250 points`);
    expect(await points(carol.userId)).toBe(250);
  });

  it('slot calls: open, !call merges duplicates, list, pick announces in Kick chat', async () => {
    const [eve, fay] = [stack.createViewer('slot_eve'), stack.createViewer('slot_fay')];
    await stack.run('/slotcalls open');
    await say(eve, '!call Sweet Bonanza');
    await say(fay, '!call sweet bonanza');
    // The two calls may be processed concurrently, so each reply's queue position is informational; the queue is not.
    await botSaid(`@${eve.username} your slot call is #1 in the queue`);
    await botSaid(`@${fay.username} your slot call is #1 in the queue`);
    const list = await stack.run('/slotcalls list');
    expect(list).toContain('**Sweet Bonanza** — slot_eve, slot_fay');
    expect(await stack.run('/slotcalls pick')).toContain('Sweet Bonanza');
    await botSaid('Next slot: call #1 in the queue, called by @slot_eve and @slot_fay!');
    expect(await stack.run('/slotcalls close')).toContain('closed');
  });

  it('timers: /timer add, list, posting while live through the scheduled task', async () => {
    expect(await stack.run('/timer add message:"Join the Discord!" interval-minutes:5')).toContain('timer-1');
    expect(await stack.run('/timer list')).toContain('Join the Discord!');
    await stack.db.prisma.kickChannel.update({ where: { broadcasterUserId: stack.streamer.userId }, data: { isLive: true } });
    const task = maintenanceTasks.find((t) => t.name === 'timers-tick');
    expect(task).toBeDefined();
    await task?.run(stack.bot.ctx, undefined as never);
    await botSaid('Join the Discord!');
    expect(await stack.run('/timer remove name:timer-1')).toContain('removed');
  });

  it('points: export as CSV attachment, import with a dry run and Confirm (twice = no change), malformed file refused', async () => {
    const gus = stack.createViewer('imp_gus');
    await say(gus, 'hello'); // the viewer is known by username only after chatting…
    await stack.drain();
    await appendLedgerEntries(stack.db.prisma, [{ guildId: stack.guild.id, kickUserId: gus.userId, username: gus.username, kind: 'admin', points: 1, idempotencyKey: 'e2e:gus' }]);
    expect(await stack.run('/points export', { as: 'member' })).toContain('/points export is for moderators');
    const exported = await stack.invoke('/points export');
    const exportResponse = await stack.discord.waitForInteractionResponse(exported, (r) => (r.files?.length ?? 0) > 0, 10_000);
    const csv = exportResponse.files?.[0]?.content.toString('utf8') ?? '';
    expect(csv.split('\r\n')[0]).toBe('kick_user_id,username,points,active_minutes');
    expect(csv).toContain(`${gus.userId},${gus.username},1,`);

    const file = stack.discord.addAttachment({ filename: 'se.csv', content: `username,points,alltime\n${gus.username.toUpperCase()},500,900\nstranger,9,9\n` });
    for (const round of [1, 2]) {
      const record = await stack.invoke(`/points import file:${file.id}`);
      const dry = await stack.discord.waitForInteractionResponse(record, (r) => responseText(r.data).includes('Dry run'), 10_000);
      const text = responseText(dry.data);
      expect(text).toContain('StreamElements');
      expect(text).toContain('stranger (line 3)');
      if (round === 1) {
        expect(text).toContain('Mode **add**: will **add 500 points**');
        const click = await stack.discord.clickButton({ id: record.originalMessageId ?? '', channelId: record.channelId }, `pointsimport:confirm:${record.id}`, stack.moderatorId, { permissions: MANAGE_GUILD });
        const done = await stack.discord.waitForInteractionResponse(click, (r) => responseText(r.data).includes('Imported'), 10_000);
        expect(responseText(done.data)).toContain('Imported 1 row');
      } else {
        expect(text).toContain('1 rows were already imported');
      }
    }
    expect(await points(gus.userId)).toBe(501);

    const bad = stack.discord.addAttachment({ filename: 'bad.csv', content: 'username,points\nok_user,5\nbroken,-1\n' });
    const refused = await stack.run(`/points import file:${bad.id}`);
    expect(refused).toContain('Nothing was imported');
    expect(refused).toContain('line 3');
    expect(await points(gus.userId)).toBe(501);
  });
});
