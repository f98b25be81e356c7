import { linkWatch, SUBSCRIPTION_LIMIT_BACKOFF, SUBSCRIPTION_LIMIT_REASON, SubscriptionService, WATCH_EVENTS } from '@kickcord/connections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel, createConnectionsHarness, createGuild, type ConnectionsHarness } from './harness.ts';

// Room for exactly one watched channel (7 announcement events) and a bit: the second one hits Kick's limit.
const CAP = WATCH_EVENTS.length + 3;
let h: ConnectionsHarness;
let t = Date.parse('2030-01-01T00:00:00Z');
let service: SubscriptionService;
const errors: { msg: string; obj: unknown }[] = [];

beforeAll(async () => {
  h = await createConnectionsHarness({ subscriptionCap: CAP });
  const logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (obj: unknown, msg?: string) => void errors.push({ msg: msg ?? '', obj }),
  };
  service = new SubscriptionService({ prisma: h.db.prisma, oauth: h.oauth, apiUrl: h.sim.apiUrl, now: () => new Date(t), logger });
});
afterAll(async () => {
  await h?.close();
});

const creates = () => h.sim.apiCalls.filter((c) => c.method === 'POST' && c.path === '/public/v1/events/subscriptions').length;

describe('Kick\'s "event subscription limit reached"', () => {
  it('is reported (result, audit, log, limit state), backs off with doubling waits without asking Kick, and clears on success', async () => {
    const first = await createChannel(h, 'capfirst');
    const second = await createChannel(h, 'capsecond');
    for (const b of [first, second]) await linkWatch(h.db.prisma, { guildId: await createGuild(h, `g${b}`), broadcasterUserId: b, discordUserId: '1' });

    expect((await service.sync(first)).created).toHaveLength(WATCH_EVENTS.length);
    const refused = await service.sync(second);
    expect(refused.created).toEqual([]);
    expect(refused.failed.map((f) => f.error)).toEqual(WATCH_EVENTS.map(() => SUBSCRIPTION_LIMIT_REASON));
    expect(errors.map((e) => e.msg).join('\n')).toMatch(/subscription limit reached.*unwatch channels or have the Kick app verified/);
    const limit = await service.subscriptionLimit();
    expect(limit).toMatchObject({ refusals: 1, retryAt: new Date(t + SUBSCRIPTION_LIMIT_BACKOFF.firstMs) });

    // Inside the backoff: reconcile runs, asks Kick nothing, throws nothing.
    const asked = creates();
    t += SUBSCRIPTION_LIMIT_BACKOFF.firstMs - 1;
    const quiet = await service.reconcile();
    expect(quiet.errors).toEqual([]);
    expect(quiet.failedEvents).toBe(WATCH_EVENTS.length);
    expect(creates()).toBe(asked);

    // Backoff over: one more try, refused again → the wait doubles.
    t += 1;
    await service.reconcile();
    expect(creates()).toBe(asked + 1);
    expect(await service.subscriptionLimit()).toMatchObject({ refusals: 2, retryAt: new Date(t + 2 * SUBSCRIPTION_LIMIT_BACKOFF.firstMs) });
    t += 2 * SUBSCRIPTION_LIMIT_BACKOFF.firstMs - 1;
    await service.reconcile();
    expect(creates()).toBe(asked + 1);

    // Room made at Kick (a channel unwatched): the next try succeeds and the streak ends.
    await h.db.prisma.guildChannelLink.deleteMany({ where: { broadcasterUserId: first } });
    expect((await service.sync(first)).deletedUnused).toHaveLength(WATCH_EVENTS.length);
    t += 1;
    const ok = await service.reconcile();
    expect(ok.created).toBe(WATCH_EVENTS.length);
    expect(await service.subscriptionLimit()).toBeNull();
    expect(h.sim.subscriptions({ broadcasterUserId: second })).toHaveLength(WATCH_EVENTS.length);
  });
});
