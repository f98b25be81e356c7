/**
 * The watchtime tick against real PostgreSQL/Redis: a channel whose payout statement fails is logged at error
 * level, kept for `/kick status` and retried next tick, while the channels grouped with it are paid; and the
 * subscriber multiplier's fractions are carried from minute to minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { BotContext } from '../src/context.ts';
import { lastWatchtimeFailure, runWatchtimeTick } from '../src/features/watchtime/watchtimeTick.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
let other: { guildId: string; streamer: { userId: number; username: string } };
const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 2 * 3600_000);
const M0 = start.getTime() / 60_000;
const at = (minute: number, second = 10) => new Date((M0 + minute) * 60_000 + second * 1000);
let refused: { userId: number; username: string };
let subscriber: { userId: number; username: string };

async function chatAt(broadcasterUserId: number, v: { userId: number }, minute: number, sub = false) {
  stack.clock.set(at(minute, 30));
  await stack.sim.sendChat(broadcasterUserId, v.userId, 'hello', { at: at(minute), badges: sub ? [{ text: 'Subscriber', type: 'subscriber', count: 3 }] : [] });
}

async function statsOf(guildId: string, userId: number) {
  return stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId: userId } } });
}

beforeAll(async () => {
  stack = await startServiceStack({ start });
  other = await stack.addOwnerGuild('other');
  refused = stack.viewer('refused_viewer');
  subscriber = stack.viewer('sub_viewer');
  await stack.sim.goLive(stack.streamer.userId, { title: 'A' }, { at: at(0, 0) });
  await stack.sim.goLive(other.streamer.userId, { title: 'B' }, { at: at(0, 0) });
}, 60_000);
afterAll(async () => {
  await stack?.db.prisma.$executeRawUnsafe('DROP TRIGGER IF EXISTS refuse_viewer ON "PointsLedger"');
  await stack?.close();
});

describe('watchtime tick failures', () => {
  it('a channel whose payout fails is logged at error level and kept for /kick status; the channels batched with it are paid', async () => {
    await chatAt(stack.streamer.userId, refused, 0);
    await chatAt(other.streamer.userId, subscriber, 0, true);
    // A real statement failure for one channel: PostgreSQL refuses every ledger row of one viewer.
    await stack.db.prisma.$executeRawUnsafe(
      `CREATE OR REPLACE FUNCTION refuse_viewer() RETURNS trigger AS $$
       BEGIN
         IF NEW."kickUserId" = ${refused.userId} THEN RAISE EXCEPTION 'ledger row refused for viewer %', NEW."kickUserId"; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql`,
    );
    await stack.db.prisma.$executeRawUnsafe('CREATE TRIGGER refuse_viewer BEFORE INSERT ON "PointsLedger" FOR EACH ROW EXECUTE FUNCTION refuse_viewer()');
    const logs: { level: number; msg: string; guildId?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as { level: number; msg: string; guildId?: string }) });
    const ctx: BotContext = { ...stack.ctx, logger };

    // Both channels in one statement (the default grouping): the failure is isolated to its channel.
    const tick = await runWatchtimeTick(ctx, { minute: M0 });
    expect(tick).toMatchObject({ sessions: 2, channelsPaid: 1, failedChannels: 1, inserted: 1 });
    expect(await statsOf(other.guildId, subscriber.userId)).toMatchObject({ activeMinutes: 1 });
    expect(await statsOf(stack.guildId, refused.userId)).toBeNull();
    const errors = logs.filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'watchtime payout failed for a channel', guildId: stack.guildId });
    const failure = await lastWatchtimeFailure(stack.ctx, stack.guildId);
    expect(failure?.error).toContain(`ledger row refused for viewer ${refused.userId}`);
    expect(failure?.at).toBe(at(0, 30).toISOString());
    expect(await lastWatchtimeFailure(stack.ctx, other.guildId)).toBeNull();

    // Fixed: the next tick pays the failed channel the minute it missed as well (its marker did not move).
    await stack.db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_viewer ON "PointsLedger"');
    stack.clock.set(at(1, 30));
    expect(await runWatchtimeTick(stack.ctx, { minute: M0 + 1 })).toMatchObject({ channelsPaid: 2, failedChannels: 0, inserted: 3 });
    expect(await statsOf(stack.guildId, refused.userId)).toMatchObject({ activeMinutes: 2, points: 2 });
  });

  it('carries the subscriber multiplier’s fractions: 1.5× at 1 point a minute pays 15 over 10 minutes', async () => {
    await chatAt(other.streamer.userId, subscriber, 5, true);
    for (let m = 2; m < 10; m++) {
      stack.clock.set(at(m, 30));
      await runWatchtimeTick(stack.ctx, { minute: M0 + m });
    }
    const paid = await stack.db.prisma.pointsLedger.findMany({ where: { guildId: other.guildId, kickUserId: subscriber.userId, kind: 'watch' }, orderBy: { createdAt: 'asc' } });
    expect(paid.map((r) => r.points)).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
    expect(await statsOf(other.guildId, subscriber.userId)).toMatchObject({ activeMinutes: 10, points: 15, carryHundredths: 0 });
    expect(stack.failures).toEqual([]);
  });
});
