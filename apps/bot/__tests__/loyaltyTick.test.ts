import type { PrismaClient } from '@kickcord/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../src/context.ts';
import { runWatchtimeTick } from '../src/features/watchtime/watchtimeTick.ts';
import { startServiceStack as startLoyaltyStack, type ServiceStack as LoyaltyStack } from './helpers/serviceStack.ts';

let stack: LoyaltyStack;
let second: { guildId: string; streamer: { userId: number; username: string } };
const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 3 * 3600_000);
const M0 = start.getTime() / 60_000;
const at = (minute: number, second = 10) => new Date((M0 + minute) * 60_000 + second * 1000);
const viewersA: { userId: number; username: string }[] = [];
const viewersB: { userId: number; username: string }[] = [];

async function chatAt(broadcasterUserId: number, v: { userId: number }, minute: number, opts: { sub?: boolean } = {}) {
  stack.clock.set(at(minute, 30));
  await stack.sim.sendChat(broadcasterUserId, v.userId, 'hello', { at: at(minute), badges: opts.sub ? [{ text: 'Subscriber', type: 'subscriber', count: 3 }] : [] });
}

async function minutesOf(guildId: string, userId: number): Promise<number> {
  return (await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId: userId } } }))?.activeMinutes ?? 0;
}

async function sessionIds(): Promise<string[]> {
  return (await stack.db.prisma.streamSession.findMany({ where: { openBroadcasterUserId: { not: null } } })).map((s) => s.id);
}

beforeAll(async () => {
  stack = await startLoyaltyStack({ start });
  second = await stack.addOwnerGuild('other');
  for (let i = 0; i < 20; i++) {
    viewersA.push(stack.viewer(`tick_a${i}`));
    viewersB.push(stack.viewer(`tick_b${i}`));
  }
  await stack.sim.goLive(stack.streamer.userId, { title: 'A' }, { at: at(0, 0) });
  await stack.sim.goLive(second.streamer.userId, { title: 'B' }, { at: at(0, 0) });
}, 60_000);
afterAll(async () => stack?.close());

describe('watchtime tick', () => {
  it('pays once when several workers tick the same minute at the same time (markers lost or not)', async () => {
    for (const v of viewersA) await chatAt(stack.streamer.userId, v, 0);
    for (const v of viewersB) await chatAt(second.streamer.userId, v, 0, { sub: true });
    const results = await Promise.all([1, 2, 3].map(() => runWatchtimeTick(stack.ctx, { minute: M0 })));
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(40);
    for (const id of await sessionIds()) await stack.redis.del(stack.ctx.keys.paidMarker(id));
    const again = await Promise.all([1, 2].map(() => runWatchtimeTick(stack.ctx, { minute: M0 })));
    expect(again.reduce((n, r) => n + r.inserted, 0)).toBe(0);
    for (const v of viewersA) expect(await minutesOf(stack.guildId, v.userId)).toBe(1);
    const b = await stack.db.prisma.viewerStats.findMany({ where: { guildId: second.guildId } });
    expect(b.map((s) => [s.activeMinutes, s.points])).toEqual(viewersB.map(() => [1, 1])); // default 1/min × 1.5 floored
    // tenants: A's viewers have nothing in B's guild and vice versa
    expect(await stack.db.prisma.viewerStats.count({ where: { guildId: second.guildId, kickUserId: { in: viewersA.map((v) => v.userId) } } })).toBe(0);
    expect(stack.failures).toEqual([]);
  });

  it('uses at most one SQL statement per channel per tick (channels are batched together)', async () => {
    const r = await runWatchtimeTick(stack.ctx, { minute: M0 + 1, rowsPerStatement: 1 });
    expect(r).toMatchObject({ sessions: 2, channelsPaid: 2, statements: 3, inserted: 40 });
    await stack.db.prisma.pointsLedger.deleteMany({ where: { idempotencyKey: { contains: `:${M0 + 1}:` } } });
    await stack.db.prisma.$executeRawUnsafe(
      'UPDATE "ViewerStats" v SET points = s.p, "activeMinutes" = s.m FROM (SELECT "guildId", "kickUserId", sum(points)::int p, sum(minutes)::int m FROM "PointsLedger" GROUP BY 1, 2) s WHERE s."guildId" = v."guildId" AND s."kickUserId" = v."kickUserId"',
    );
    for (const id of await sessionIds()) await stack.redis.del(stack.ctx.keys.paidMarker(id));
    const batched = await runWatchtimeTick(stack.ctx, { minute: M0 + 1 });
    expect(batched).toMatchObject({ sessions: 2, channelsPaid: 2, statements: 2, inserted: 40 });
  });

  it('a payout that dies mid-tick (after paying one channel) is reported, and the channel is paid exactly once on the next run', async () => {
    let calls = 0;
    const real = stack.ctx.prisma;
    const crashing = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === '$queryRawUnsafe') {
          return (...args: Parameters<PrismaClient['$queryRawUnsafe']>) => {
            calls++;
            if (calls === 3) throw new Error('SIGKILL: worker died mid-tick');
            return target.$queryRawUnsafe(...args);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const crashCtx: BotContext = { ...stack.ctx, prisma: crashing };
    // The failing channel is logged and kept for /kick status; the tick itself finishes (the other channel is paid).
    expect(await runWatchtimeTick(crashCtx, { minute: M0 + 2, concurrency: 1, rowsPerStatement: 1 })).toMatchObject({ channelsPaid: 1, failedChannels: 1, inserted: 20 });
    const paidHalf = await stack.db.prisma.pointsLedger.count({ where: { idempotencyKey: { contains: `:${M0 + 2}:` } } });
    expect(paidHalf).toBe(20);
    const restart = await runWatchtimeTick(stack.ctx, { minute: M0 + 2 });
    expect(restart.inserted).toBe(20);
    expect(await stack.db.prisma.pointsLedger.count({ where: { idempotencyKey: { contains: `:${M0 + 2}:` } } })).toBe(40);
    for (const v of [...viewersA.slice(0, 3)]) expect(await minutesOf(stack.guildId, v.userId)).toBe(3);
  });

  it('catches up an outage shorter than the window exactly once, and only who was active in each missed minute', async () => {
    // minute 3: tick missing (worker down). A0 chats at 4 again; A1 stays silent since minute 0.
    await chatAt(stack.streamer.userId, viewersA[0]!, 4);
    // window 5: minutes 3 and 4 owed; A1 (last chat minute 0) is active through minute 4; B viewers too.
    const r = await runWatchtimeTick(stack.ctx, { minute: M0 + 4 });
    expect(r.inserted).toBe(80);
    expect(await minutesOf(stack.guildId, viewersA[0]!.userId)).toBe(5);
    expect(await minutesOf(stack.guildId, viewersA[1]!.userId)).toBe(5);
    // minute 5: only A0 chatted within minutes 1..5
    const r5 = await runWatchtimeTick(stack.ctx, { minute: M0 + 5 });
    expect(r5.inserted).toBe(1);
    expect(await minutesOf(stack.guildId, viewersA[1]!.userId)).toBe(5);
    expect((await runWatchtimeTick(stack.ctx, { minute: M0 + 5 })).inserted).toBe(0);
  });

  it('does not pay minutes older than the activity window after a longer outage', async () => {
    await chatAt(stack.streamer.userId, viewersA[2]!, 6);
    await chatAt(stack.streamer.userId, viewersA[2]!, 14);
    // ticks 6..13 missed; tick 14 may pay 10..14 only (window 5) — A2 chatted at 6 (active 6..10) and 14
    const r = await runWatchtimeTick(stack.ctx, { minute: M0 + 14 });
    const rows = await stack.db.prisma.pointsLedger.findMany({ where: { guildId: stack.guildId, kickUserId: viewersA[2]!.userId, kind: 'watch' } });
    const paidMinutes = rows.map((x) => Number(x.idempotencyKey.split(':')[2]) - M0).sort((a, b) => a - b);
    expect(paidMinutes).toEqual([0, 1, 2, 3, 4, 10, 14]);
    expect(r.sessions).toBe(2);
  });

  it('never pays the broadcaster, known bots or excluded usernames, and pays nothing to inactive guilds', async () => {
    const bot = stack.sim.createUser({ username: 'Nightbot' });
    const alt = stack.viewer('streamer_alt');
    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { excludedUsernames: ['streamer_alt'] } });
    await chatAt(stack.streamer.userId, { userId: stack.streamer.userId }, 20);
    await chatAt(stack.streamer.userId, { userId: bot.userId }, 20);
    await chatAt(stack.streamer.userId, alt, 20);
    await chatAt(stack.streamer.userId, viewersA[3]!, 20);
    await chatAt(second.streamer.userId, viewersB[0]!, 20);
    await stack.db.prisma.guild.update({ where: { id: second.guildId }, data: { active: false } });
    const r = await runWatchtimeTick(stack.ctx, { minute: M0 + 20 });
    // A3 for minute 20, plus A2's owed catch-up minutes 16–18 (chatted at 14, window 5, last tick was 14)
    expect(r).toMatchObject({ sessions: 1, inserted: 4 });
    expect(await minutesOf(stack.guildId, viewersA[3]!.userId)).toBe(6);
    for (const id of [stack.streamer.userId, bot.userId, alt.userId]) expect(await minutesOf(stack.guildId, id)).toBe(0);
    expect(await minutesOf(second.guildId, viewersB[0]!.userId)).toBe(5); // unchanged: its guild is inactive
    await stack.db.prisma.guild.update({ where: { id: second.guildId }, data: { active: true } });
    expect(stack.failures).toEqual([]);
  });

  it('pays the last minutes of a stream that ended between ticks, then stops', async () => {
    await chatAt(stack.streamer.userId, viewersA[4]!, 21);
    stack.clock.set(at(22, 20));
    await stack.sim.goOffline(stack.streamer.userId, { at: at(22, 15) });
    const r = await runWatchtimeTick(stack.ctx, { minute: M0 + 23 });
    const rows = await stack.db.prisma.pointsLedger.findMany({ where: { guildId: stack.guildId, kickUserId: viewersA[4]!.userId, kind: 'watch' } });
    expect(rows.map((x) => Number(x.idempotencyKey.split(':')[2]) - M0).filter((m) => m >= 21)).toEqual([21, 22]);
    expect(r.inserted).toBeGreaterThanOrEqual(2);
    // chat after the stream ended earns nothing
    await chatAt(stack.streamer.userId, viewersA[4]!, 24);
    await runWatchtimeTick(stack.ctx, { minute: M0 + 24 });
    await runWatchtimeTick(stack.ctx, { minute: M0 + 25 });
    expect(await minutesOf(stack.guildId, viewersA[4]!.userId)).toBe(7); // 0–4 and 21–22
  });
});
