import { afterAll, describe, expect, it } from 'vitest';
import { announceCacheInvalidation, cacheInvalidationChannel, createRedisConnection, LocalCopies, testQueuePrefix, waitFor } from '../src/index.ts';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = createRedisConnection(url, { enableAutoPipelining: true });
const other = createRedisConnection(url);
const opened: LocalCopies[] = [];
afterAll(async () => {
  await Promise.all(opened.map((c) => c.close()));
  redis.disconnect();
  other.disconnect();
});

async function start(prefix: string, options: Parameters<typeof LocalCopies.start>[2] = {}): Promise<LocalCopies> {
  const copies = await LocalCopies.start(redis, prefix, options);
  opened.push(copies);
  return copies;
}

describe('LocalCopies', () => {
  it('serves a copy until any connection announces the key changed', async () => {
    const prefix = testQueuePrefix('lc');
    const copies = await start(prefix);
    expect(copies.live).toBe(true);
    copies.set(`${prefix}:a`, { v: 1 }, copies.stamp());
    copies.set(`${prefix}:b`, 'kept', copies.stamp());
    expect(copies.get(`${prefix}:a`)).toEqual({ v: 1 });
    await announceCacheInvalidation(other, prefix, [`${prefix}:a`]);
    await waitFor(() => copies.get(`${prefix}:a`) === undefined, { description: 'copy dropped by the announcement' });
    expect(copies.get(`${prefix}:b`)).toBe('kept');
  });

  it('ignores announcements of another install', async () => {
    const prefix = testQueuePrefix('lc');
    const copies = await start(prefix);
    copies.set(`${prefix}:a`, 1, copies.stamp());
    await announceCacheInvalidation(other, `${prefix}x`, [`${prefix}:a`]);
    // An announcement on our own channel afterwards proves the other one had arrived (one connection, in order).
    copies.set(`${prefix}:marker`, 1, copies.stamp());
    await announceCacheInvalidation(other, prefix, [`${prefix}:marker`]);
    await waitFor(() => copies.get(`${prefix}:marker`) === undefined);
    expect(cacheInvalidationChannel(prefix)).toBe(`${prefix}:cache-invalidation`);
    expect(copies.get(`${prefix}:a`)).toBe(1);
  });

  it('does not keep a value read before an invalidation arrived', async () => {
    const prefix = testQueuePrefix('lc');
    const copies = await start(prefix);
    const stamp = copies.stamp();
    await announceCacheInvalidation(other, prefix, [`${prefix}:unrelated`]);
    await waitFor(() => copies.stamp() !== stamp, { description: 'invalidation received' });
    copies.set(`${prefix}:a`, 'read before the change', stamp);
    expect(copies.get(`${prefix}:a`)).toBeUndefined();
    copies.set(`${prefix}:a`, 'read after', copies.stamp());
    expect(copies.get(`${prefix}:a`)).toBe('read after');
  });

  it('drops everything and serves nothing while its subscription is down, then comes back', async () => {
    const prefix = testQueuePrefix('lc');
    const copies = await start(prefix);
    copies.set(`${prefix}:a`, 1, copies.stamp());
    const clients = (await other.client('LIST')) as string;
    const sub = clients.split('\n').find((line) => line.includes(` name=${prefix}:local-copies `));
    const id = /(?:^| )id=(\d+)/.exec(sub ?? '')?.[1];
    expect(id).toBeDefined();
    await other.client('KILL', 'ID', id!);
    await waitFor(() => !copies.live || copies.get(`${prefix}:a`) === undefined, { description: 'copies off after the kill' });
    await waitFor(() => copies.live, { description: 'subscription confirmed again', timeoutMs: 10_000 });
    expect(copies.get(`${prefix}:a`)).toBeUndefined();
    copies.set(`${prefix}:a`, 2, copies.stamp());
    expect(copies.get(`${prefix}:a`)).toBe(2);
    await announceCacheInvalidation(other, prefix, [`${prefix}:a`]);
    await waitFor(() => copies.get(`${prefix}:a`) === undefined, { description: 'announcements arrive after the reconnect' });
  });

  it('expires copies after ttlMs and keeps at most maxEntries', async () => {
    const prefix = testQueuePrefix('lc');
    const copies = await start(prefix, { ttlMs: 30, maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd']) copies.set(`${prefix}:${k}`, k, copies.stamp());
    expect(copies.get(`${prefix}:a`)).toBeUndefined();
    expect(copies.get(`${prefix}:d`)).toBe('d');
    await waitFor(() => copies.get(`${prefix}:d`) === undefined, { description: 'copy expired' });
  });
});
