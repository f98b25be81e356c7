import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTIFY_SAFETY_MARGIN_MS, IDENTIFY_WINDOW_MS, RedisIdentifyThrottler } from '../src/discord/RedisIdentifyThrottler.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const WINDOW_MS = 300;
// Timers may fire a little early relative to Redis' own expiry clock; the gap is never much shorter.
const TOLERANCE_MS = 15;

/** One Redis connection per simulated gateway process, as in production. */
let connections: Redis[];
let prefix: string;

beforeAll(() => {
  connections = [new Redis(redisUrl), new Redis(redisUrl), new Redis(redisUrl)];
  prefix = `kc-test-identify-${randomBytes(4).toString('hex')}`;
});
afterAll(async () => {
  const own = await connections[0]!.keys(`${prefix}:*`);
  if (own.length) await connections[0]!.del(...own);
  for (const c of connections) c.disconnect();
});

function throttler(processIndex: number, maxConcurrency: number, test: string): RedisIdentifyThrottler {
  return new RedisIdentifyThrottler({ redis: connections[processIndex]!, maxConcurrency, windowMs: WINDOW_MS, key: (k) => `${prefix}:${test}:identify:${k}` });
}

/** Waits for each shard's identify slot at once; returns when each was let through (ms since the start), by shard. */
async function identifyAll(entries: { shard: number; via: RedisIdentifyThrottler }[]): Promise<Map<number, number>> {
  const start = performance.now();
  const times = new Map<number, number>();
  await Promise.all(
    entries.map(async ({ shard, via }) => {
      await via.waitForIdentify(shard, new AbortController().signal);
      times.set(shard, performance.now() - start);
    }),
  );
  return times;
}

describe('RedisIdentifyThrottler (real Redis, several processes)', () => {
  it('waits the full Discord window plus a margin by default', () => {
    const t = new RedisIdentifyThrottler({ redis: connections[0]!, maxConcurrency: 1, key: (k) => `${prefix}:default:${k}` });
    expect(t.rateLimitKey(7)).toBe(0);
    expect(IDENTIFY_WINDOW_MS).toBe(5_000);
    expect(IDENTIFY_SAFETY_MARGIN_MS).toBeGreaterThan(0);
  });

  it('lets one shard identify per window across three processes when max_concurrency is 1', async () => {
    const times = await identifyAll([0, 1, 2].map((shard) => ({ shard, via: throttler(shard, 1, 'serial') })));
    const sorted = [...times.values()].sort((a, b) => a - b);
    expect(sorted[0]).toBeLessThan(WINDOW_MS);
    expect(sorted[1]! - sorted[0]!).toBeGreaterThanOrEqual(WINDOW_MS - TOLERANCE_MS);
    expect(sorted[2]! - sorted[1]!).toBeGreaterThanOrEqual(WINDOW_MS - TOLERANCE_MS);
  });

  it('lets shards of different rate-limit keys (shard_id % max_concurrency) identify together, and the same key wait', async () => {
    const times = await identifyAll([
      { shard: 0, via: throttler(0, 2, 'concurrent') },
      { shard: 1, via: throttler(1, 2, 'concurrent') },
      { shard: 2, via: throttler(2, 2, 'concurrent') },
    ]);
    // Shard 1 (key 1) goes at once. Shards 0 and 2 share key 0: whichever takes it first goes with shard 1, and
    // the other waits a window (which of the two wins the race is up to Redis).
    const [first, second] = [times.get(0)!, times.get(2)!].sort((a, b) => a - b);
    expect(Math.abs(first! - times.get(1)!)).toBeLessThan(WINDOW_MS / 2);
    expect(second! - first!).toBeGreaterThanOrEqual(WINDOW_MS - TOLERANCE_MS);
  });

  it('holds the slot in a key under the install prefix that expires after the window', async () => {
    await throttler(0, 1, 'key').waitForIdentify(0, new AbortController().signal);
    const ttl = await connections[1]!.pttl(`${prefix}:key:identify:0`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(WINDOW_MS);
  });

  it('stops waiting when the shard gives up (AbortSignal), without taking the slot', async () => {
    const key = `${prefix}:abort:identify:0`;
    const holder = new RedisIdentifyThrottler({ redis: connections[0]!, maxConcurrency: 1, windowMs: 5_000, key: () => key });
    await holder.waitForIdentify(0, new AbortController().signal);
    const holderValue = await connections[0]!.get(key);
    const waiter = new RedisIdentifyThrottler({ redis: connections[1]!, maxConcurrency: 1, windowMs: 5_000, key: () => key });
    const controller = new AbortController();
    const started = performance.now();
    const waiting = waiter.waitForIdentify(1, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await connections[0]!.get(key)).toBe(holderValue);
    // An already aborted signal is refused at once.
    await expect(waiter.waitForIdentify(1, AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses a max_concurrency below 1', () => {
    expect(() => new RedisIdentifyThrottler({ redis: connections[0]!, maxConcurrency: 0, key: String })).toThrow(/maxConcurrency/);
  });
});
