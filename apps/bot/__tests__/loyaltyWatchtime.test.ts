import { runStreamScenario, type ScenarioSummary } from '@kickcord/kick-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWatchtimeTick } from '../src/features/watchtime/watchtimeTick.ts';
import { startServiceStack as startLoyaltyStack, type ServiceStack as LoyaltyStack } from './helpers/serviceStack.ts';

let stack: LoyaltyStack;
let summary: ScenarioSummary;
const MINUTES = 10;
const WINDOW = 5;
const RATE = 10;
const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000);
const startMinute = start.getTime() / 60_000;

function expectedMinutes(activeMinutes: number[]): number {
  let n = 0;
  for (let k = 0; k < MINUTES; k++) if (activeMinutes.some((c) => c <= k && c > k - WINDOW)) n++;
  return n;
}

async function snapshot() {
  const stats = await stack.db.prisma.viewerStats.findMany({ where: { guildId: stack.guildId }, orderBy: { kickUserId: 'asc' } });
  const ledger = await stack.db.prisma.pointsLedger.count({ where: { guildId: stack.guildId } });
  const sessions = await stack.db.prisma.streamSession.findMany({ where: { broadcasterUserId: stack.streamer.userId } });
  return { stats: stats.map((s) => ({ id: s.kickUserId, points: s.points, minutes: s.activeMinutes })), ledger, sessions: sessions.map((s) => ({ id: s.id, open: s.openBroadcasterUserId, endedAt: s.endedAt?.toISOString() })) };
}

beforeAll(async () => {
  stack = await startLoyaltyStack({ start });
  await stack.db.prisma.guildSettings.update({
    where: { guildId: stack.guildId },
    data: { pointsPerMinute: RATE, subscriberMultiplier: 1.5, activityWindowMinutes: WINDOW, followBonus: 100, kicksBonusPerUnit: 2 },
  });
  summary = await runStreamScenario(stack.sim, {
    broadcasterUserId: stack.streamer.userId,
    viewers: 50,
    minutes: MINUTES,
    speed: Infinity,
    seed: 7,
    subscriberRatio: 0.3,
    silentRatio: 0.3,
    chatPerMinute: 12,
    subs: 0,
    gifts: 0,
    follows: 3,
    kicks: 1,
    clock: stack.clock,
    usernamePrefix: 'wtviewer',
    onMinute: async (minute, at) => {
      // Pay the minute that just ended (the tick task invoked directly, with the simulated minute).
      if (minute > 0) await runWatchtimeTick(stack.ctx, { minute: startMinute + minute - 1 });
      stack.clock.set(at.getTime() + 59_999);
    },
  });
}, 120_000);
afterAll(async () => stack?.close());

describe('watchtime over a simulated stream (50 viewers, 10 minutes)', () => {
  it('opens and closes exactly one stream session from the webhooks', async () => {
    expect(stack.failures).toEqual([]);
    const sessions = await stack.db.prisma.streamSession.findMany({ where: { broadcasterUserId: stack.streamer.userId } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.startedAt.getTime()).toBe(start.getTime());
    expect(sessions[0]?.openBroadcasterUserId).toBeNull();
    expect(sessions[0]?.endedAt?.getTime()).toBe(start.getTime() + MINUTES * 60_000);
  });

  it('pays every viewer exactly their active minutes and points (subs × 1.5), silent viewers nothing', async () => {
    const stats = await stack.db.prisma.viewerStats.findMany({ where: { guildId: stack.guildId } });
    const byId = new Map(stats.map((s) => [s.kickUserId, s]));
    const bonus = new Map<number, number>();
    for (const f of summary.follows) bonus.set(f.userId, (bonus.get(f.userId) ?? 0) + 100);
    for (const k of summary.kicks) bonus.set(k.userId, (bonus.get(k.userId) ?? 0) + 2 * k.amount);
    let silentChecked = 0;
    let subsPaid = 0;
    for (const v of summary.viewers) {
      const minutes = expectedMinutes(v.activeMinutes);
      const points = minutes * (v.subscriber ? 15 : RATE) + (bonus.get(v.userId) ?? 0);
      const row = byId.get(v.userId);
      if (v.silent) {
        silentChecked++;
        expect(row?.activeMinutes ?? 0).toBe(0);
      }
      if (v.subscriber && minutes > 0) subsPaid++;
      expect({ user: v.username, minutes: row?.activeMinutes ?? 0, points: row?.points ?? 0 }).toEqual({ user: v.username, minutes, points });
    }
    expect(silentChecked).toBe(15);
    expect(subsPaid).toBeGreaterThan(0);
    // the broadcaster and the bot never earn
    expect(byId.has(stack.streamer.userId)).toBe(false);
    const watchRows = await stack.db.prisma.pointsLedger.count({ where: { guildId: stack.guildId, kind: 'watch' } });
    expect(watchRows).toBe(summary.viewers.reduce((n, v) => n + expectedMinutes(v.activeMinutes), 0));
  });

  it('keeps every balance equal to the sum of its ledger', async () => {
    const sums = await stack.db.prisma.pointsLedger.groupBy({ by: ['kickUserId'], where: { guildId: stack.guildId }, _sum: { points: true, minutes: true } });
    const stats = await stack.db.prisma.viewerStats.findMany({ where: { guildId: stack.guildId } });
    expect(stats.length).toBe(sums.length);
    for (const s of sums) {
      const row = stats.find((r) => r.kickUserId === s.kickUserId);
      expect({ points: row?.points, minutes: row?.activeMinutes }).toEqual({ points: s._sum.points, minutes: s._sum.minutes });
    }
  });

  it('changes nothing when every delivery is duplicated and replayed in reverse order, and ticks are repeated', async () => {
    const before = await snapshot();
    const deliveries = stack.sim.deliveries({ broadcasterUserId: stack.streamer.userId, delivered: true }).filter((d) => d.copy === 0);
    expect(deliveries.length).toBeGreaterThan(100);
    const processedBefore = stack.processed();
    for (const d of [...deliveries].reverse()) {
      await fetch(d.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Kick-Event-Message-Id': d.messageId,
          'Kick-Event-Subscription-Id': d.subscriptionId,
          'Kick-Event-Message-Timestamp': d.timestamp,
          'Kick-Event-Type': d.type,
          'Kick-Event-Version': d.version,
        },
        body: d.body,
      });
    }
    expect(stack.processed() - processedBefore).toBe(deliveries.length);
    for (let m = 0; m <= MINUTES; m++) await runWatchtimeTick(stack.ctx, { minute: startMinute + m });
    expect(stack.failures).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});
