/**
 * Watchtime paid in blocks (`WATCH_PAYOUT_MINUTES`, default 5): one ledger row per viewer per block,
 * settled `phase` minutes after the block ends, exactly once — driven through the scheduled task itself.
 */
import { payoutPhase } from '@kickcord/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWatchtimeTick, watchtimeTickTask, type WatchtimeTickSummary } from '../src/features/watchtime/watchtimeTick.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
// A 5-aligned minute three hours ago: the stream session's first block starts at M0.
const start = new Date(Math.floor(Date.now() / 300_000) * 300_000 - 3 * 3600_000);
const M0 = start.getTime() / 60_000;
const at = (minute: number, second = 10) => new Date((M0 + minute) * 60_000 + second * 1000);
const viewers: { userId: number; username: string }[] = [];
let sessionId = '';
let phase = 0;

async function chatAt(v: { userId: number }, minute: number) {
  stack.clock.set(at(minute, 30));
  await stack.sim.sendChat(stack.streamer.userId, v.userId, 'hello', { at: at(minute) });
}

/** Runs the production task (payout interval from the env: default 5) at `minute` + 30 s. */
async function tickAt(minute: number): Promise<WatchtimeTickSummary> {
  stack.clock.set(at(minute, 30));
  return (await watchtimeTickTask.run(stack.ctx, {} as never)) as WatchtimeTickSummary;
}

async function watchRows(userId: number) {
  const rows = await stack.db.prisma.pointsLedger.findMany({ where: { guildId: stack.guildId, kickUserId: userId, kind: 'watch' }, orderBy: { createdAt: 'asc' } });
  return rows.map((r) => ({ block: Number(r.idempotencyKey.split(':')[2]) - M0, minutes: r.minutes, points: r.points }));
}

beforeAll(async () => {
  stack = await startServiceStack({ start });
  for (let i = 0; i < 3; i++) viewers.push(stack.viewer(`block_v${i}`));
  await stack.sim.goLive(stack.streamer.userId, { title: 'Blocks' }, { at: at(0, 0) });
  const session = await stack.db.prisma.streamSession.findFirstOrThrow({ where: { broadcasterUserId: stack.streamer.userId } });
  sessionId = session.id;
  phase = payoutPhase(sessionId, 5);
}, 60_000);
afterAll(async () => stack?.close());

describe('watchtime in payout blocks', () => {
  it('defaults to 5-minute blocks and pays a finished block once, `phase` minutes after it ends', async () => {
    expect(stack.ctx.env.WATCH_PAYOUT_MINUTES).toBe(5);
    // v0 chats at minute 0 (active 0–4 with the default 5-minute window); v1 at minute 3 (active 3–4 in this block).
    await chatAt(viewers[0]!, 0);
    await chatAt(viewers[1]!, 3);
    for (let m = 0; m < 4 + phase; m++) expect((await tickAt(m)).inserted).toBe(0);
    const settle = await tickAt(4 + phase);
    expect(settle).toMatchObject({ inserted: 2, minutes: 7, points: 7 });
    expect(await watchRows(viewers[0]!.userId)).toEqual([{ block: 0, minutes: 5, points: 5 }]);
    expect(await watchRows(viewers[1]!.userId)).toEqual([{ block: 0, minutes: 2, points: 2 }]);
    expect(await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: stack.guildId, kickUserId: viewers[0]!.userId } } })).toMatchObject({ activeMinutes: 5, points: 5 });
    // The same minute again, on three workers at once, and with the Redis markers lost: nothing more.
    const again = await Promise.all([1, 2, 3].map(() => runWatchtimeTick(stack.ctx, { minute: M0 + 4 + phase, payoutMinutes: 5 })));
    await stack.redis.del(stack.ctx.keys.paidMarker(sessionId));
    again.push(await runWatchtimeTick(stack.ctx, { minute: M0 + 4 + phase, payoutMinutes: 5 }));
    expect(again.map((r) => r.inserted)).toEqual([0, 0, 0, 0]);
    expect(stack.failures).toEqual([]);
  });

  it('keeps paying whole blocks as the stream goes on, and the ledger equals the balances', async () => {
    // v2 chats in minutes 5 and 12; v1's chat at 3 keeps it active through 7.
    await chatAt(viewers[2]!, 5);
    await chatAt(viewers[2]!, 12);
    let inserted = 0;
    for (let m = 5 + phase; m <= 14 + phase; m++) inserted += (await tickAt(m)).inserted;
    expect(await watchRows(viewers[2]!.userId)).toEqual([
      { block: 5, minutes: 5, points: 5 }, // active 5–9
      { block: 10, minutes: 3, points: 3 }, // active 12–14
    ]);
    expect(await watchRows(viewers[1]!.userId)).toEqual([
      { block: 0, minutes: 2, points: 2 },
      { block: 5, minutes: 3, points: 3 }, // 5–7
    ]);
    expect(inserted).toBe(3);
    const drift = await stack.db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "ViewerStats" v
       LEFT JOIN (SELECT "guildId", "kickUserId", sum(points)::int p, sum(minutes)::int m FROM "PointsLedger" GROUP BY 1, 2) s
         ON s."guildId" = v."guildId" AND s."kickUserId" = v."kickUserId"
       WHERE v."guildId" = $1 AND (v.points <> COALESCE(s.p, 0) OR v."activeMinutes" <> COALESCE(s.m, 0))`,
      stack.guildId,
    );
    expect(drift[0]?.n).toBe(0);
  });

  it('pays the unfinished block of a stream that ended at once, whatever its phase, then stops', async () => {
    await chatAt(viewers[0]!, 16);
    stack.clock.set(at(17, 40));
    await stack.sim.goOffline(stack.streamer.userId, { at: at(17, 30) });
    // The block 15–19 has not finished; the stream has, so the next tick pays it now: v0 16–17, v2 15–16 (chat at 12).
    const r = await tickAt(18);
    expect(r.inserted).toBe(2);
    expect((await watchRows(viewers[0]!.userId)).at(-1)).toEqual({ block: 15, minutes: 2, points: 2 });
    expect((await watchRows(viewers[2]!.userId)).at(-1)).toEqual({ block: 15, minutes: 2, points: 2 });
    for (let m = 19; m < 26; m++) expect((await tickAt(m)).inserted).toBe(0);
  });

  it('refuses a payout interval that would straddle an hour, naming the choices', async () => {
    const { parseBotEnv } = await import('../src/env.ts');
    const base = { ...Object.fromEntries(Object.entries(stack.ctx.env).map(([k, v]) => [k, String(v)])) };
    expect(() => parseBotEnv({ ...base, WATCH_PAYOUT_MINUTES: '7' })).toThrow(/WATCH_PAYOUT_MINUTES.*1, 2, 3, 4, 5, 6, 10, 12, 15/);
    expect(parseBotEnv({ ...base, WATCH_PAYOUT_MINUTES: '1' }).WATCH_PAYOUT_MINUTES).toBe(1);
  });
});
