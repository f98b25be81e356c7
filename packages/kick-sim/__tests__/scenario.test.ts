import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KickSim, runStreamScenario, type ScenarioSummary, SIM_EVENT_TYPES, startKickSim } from '@kickcord/kick-sim';
import { header, type Receiver, startReceiver } from './receiver.ts';

const START = new Date('2026-03-01T20:00:00.000Z');

async function freshSim(receiver: Receiver): Promise<{ sim: KickSim; broadcasterUserId: number }> {
  const sim = await startKickSim();
  sim.registerApp({ clientId: 'c1', clientSecret: 's1', redirectUris: ['http://localhost/cb'], webhookUrl: receiver.url });
  const broadcasterUserId = sim.createUser({ username: 'streamer', userId: 5000 }).userId;
  for (const event of SIM_EVENT_TYPES) sim.addSubscription({ clientId: 'c1', broadcasterUserId, event });
  return { sim, broadcasterUserId };
}

/** The summary minus per-run ids. */
function shape(summary: ScenarioSummary): unknown {
  return {
    ...summary,
    perMinute: summary.perMinute.map((m) => ({ ...m, messages: m.messages.map(({ messageId: _id, ...rest }) => rest) })),
  };
}

describe('runStreamScenario', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());

  it('is deterministic for a seed, follows the scenario clock, and reports exact active minutes', async () => {
    const a = await freshSim(receiver);
    const options = { broadcasterUserId: a.broadcasterUserId, viewers: 12, minutes: 10, speed: Infinity, seed: 42, clock: { now: () => START }, follows: 3, subs: 2, gifts: 2, kicks: 2 };
    receiver.received.length = 0;
    const first = await runStreamScenario(a.sim, options);
    const received = [...receiver.received];
    await a.sim.close();

    const b = await freshSim(receiver);
    const second = await runStreamScenario(b.sim, options);
    const third = await runStreamScenario(b.sim, { ...options, seed: 43 });
    await b.sim.close();
    expect(shape(second)).toEqual(shape(first));
    expect(shape(third)).not.toEqual(shape(first));

    // Structure.
    expect(first.viewers).toHaveLength(12);
    expect(first.viewers.filter((v) => v.silent)).toHaveLength(4);
    expect(first.viewers.filter((v) => v.silent).every((v) => v.messages === 0 && v.activeMinutes.length === 0)).toBe(true);
    expect(first.perMinute).toHaveLength(10);
    expect(first.follows).toHaveLength(3);
    expect(first.subs).toHaveLength(2);
    expect(first.gifts).toHaveLength(2);
    expect(first.kicks).toHaveLength(2);
    expect(first.startedAt).toEqual(START);
    expect(first.endedAt).toEqual(new Date(START.getTime() + 10 * 60_000));
    expect(first.delivered).toBe(first.deliveries);
    expect(first.deliveries).toBe(received.length);

    // Timestamps follow the scenario clock: 20:00 → 20:10.
    const types = received.map((r) => header(r, 'kick-event-type'));
    expect(types[0]).toBe('livestream.status.updated');
    expect(types.at(-1)).toBe('livestream.status.updated');
    for (const r of received) {
      const t = Date.parse(header(r, 'kick-event-message-timestamp'));
      expect(t).toBeGreaterThanOrEqual(START.getTime());
      expect(t).toBeLessThanOrEqual(first.endedAt.getTime());
    }
    expect(JSON.parse(received.at(-1)?.body ?? '{}')).toMatchObject({ is_live: false, started_at: START.toISOString(), ended_at: first.endedAt.toISOString() });

    // Active minutes recomputed from the delivered chat payloads equal the summary.
    const fromWire = new Map<number, Set<number>>();
    for (const r of received.filter((x) => header(x, 'kick-event-type') === 'chat.message.sent')) {
      const body = JSON.parse(r.body) as { sender: { user_id: number; identity: { badges: { type: string }[] } }; created_at: string };
      const minute = Math.floor((Date.parse(body.created_at) - START.getTime()) / 60_000);
      fromWire.set(body.sender.user_id, (fromWire.get(body.sender.user_id) ?? new Set()).add(minute));
      const viewer = first.viewers.find((v) => v.userId === body.sender.user_id);
      expect(viewer?.silent).toBe(false);
    }
    for (const v of first.viewers) expect([...(fromWire.get(v.userId) ?? [])].sort((x, y) => x - y)).toEqual(v.activeMinutes);
    const chatters = first.perMinute.reduce((n, m) => n + m.chatters.length, 0);
    expect(chatters).toBe(first.viewers.reduce((n, v) => n + v.activeMinutes.length, 0));

    // Initial subscribers chat with a subscriber badge.
    const subscriber = first.viewers.find((v) => v.subscriber && !v.silent && v.messages > 0);
    if (subscriber) {
      const msg = received.find((r) => header(r, 'kick-event-type') === 'chat.message.sent' && (JSON.parse(r.body) as { sender: { user_id: number } }).sender.user_id === subscriber.userId);
      expect((JSON.parse(msg?.body ?? '{}') as { sender: { identity: { badges: { type: string }[] } } }).sender.identity.badges.map((x) => x.type)).toContain('subscriber');
    }
  });

  it('paces at `speed` simulated minutes per real second and calls onMinute', async () => {
    const { sim, broadcasterUserId } = await freshSim(receiver);
    try {
      const ticks: number[] = [];
      const started = Date.now();
      const summary = await runStreamScenario(sim, { broadcasterUserId, viewers: 3, minutes: 5, speed: 10, seed: 1, onMinute: (m) => void ticks.push(m) });
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(ticks).toEqual([0, 1, 2, 3, 4, 5]);
      expect(summary.perMinute.map((m) => m.minute)).toEqual([0, 1, 2, 3, 4]);
      expect(sim.getUser(broadcasterUserId)?.channel.isLive).toBe(false);
      await expect(runStreamScenario(sim, { broadcasterUserId: 1, viewers: 1, minutes: 1 })).rejects.toThrow(/createUser/);
    } finally {
      await sim.close();
    }
  });
});
