import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKickEventsQueue,
  createKickEventsWorker,
  createRedisConnection,
  KickEventEnqueuer,
  kickEventJobJson,
  parseRedisUrl,
  RedisUrlError,
  startLocalRedisCluster,
  testQueuePrefix,
  waitFor,
  type LocalRedisCluster,
  type RedisConnection,
} from '../src/index.ts';

describe('parseRedisUrl', () => {
  it('reads single servers and clusters with seed nodes', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/2')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379/2' });
    expect(parseRedisUrl('redis+cluster://u:p%40ss@10.0.0.1:7000?nodes=10.0.0.2:7001,[::1]:7002')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      tls: false,
      username: 'u',
      password: 'p@ss',
    });
    expect(parseRedisUrl('rediss+cluster://h:7000')).toMatchObject({ kind: 'cluster', tls: true });
  });

  it('refuses what it cannot use, saying why', () => {
    expect(() => parseRedisUrl('http://x:1')).toThrow(RedisUrlError);
    expect(() => parseRedisUrl('http://x:1')).toThrow(/redis\+cluster:\/\//);
    expect(() => parseRedisUrl('redis+cluster://h:7000/3')).toThrow(/only database 0/);
    expect(() => parseRedisUrl('redis+cluster://h:7000?nodes=oops')).toThrow(/"oops" must be host:port/);
    expect(() => parseRedisUrl('not a url')).toThrow(/not a URL/);
  });
});

describe('kick-events on a Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  const connections: RedisConnection[] = [];
  beforeAll(async () => {
    cluster = await startLocalRedisCluster();
  }, 60_000);
  afterAll(async () => {
    for (const c of connections) c.disconnect();
    await cluster?.stop();
  });

  it('enqueues through the batched Lua script and a worker consumes every job once (all queue keys in one slot)', async () => {
    const prefix = testQueuePrefix('cluster');
    const producer = createRedisConnection(cluster.url, { usage: 'producer' });
    const workerConnection = createRedisConnection(cluster.url);
    connections.push(producer, workerConnection);
    const queue = createKickEventsQueue({ connection: producer, prefix });
    const enqueuer = new KickEventEnqueuer({ queue, redis: producer, dedupeTtlMs: 60_000 });
    const ids = Array.from({ length: 200 }, (_, i) => `01JCLUSTERTEST${String(i).padStart(12, '0')}`);
    const job = (id: string) => kickEventJobJson({ messageId: id, subscriptionId: 's', eventType: 'channel.followed', eventVersion: '1', messageTimestamp: new Date().toISOString(), receivedAt: new Date().toISOString(), broadcasterUserId: 7 }, '{}');
    const outcomes = await Promise.all([...ids.map((id) => enqueuer.enqueue(id, 'channel.followed', job(id))), enqueuer.enqueue(ids[0]!, 'channel.followed', job(ids[0]!))]);
    expect(outcomes.filter((o) => o === 'enqueued')).toHaveLength(200);
    expect(outcomes.at(-1)).toBe('duplicate');

    const seen = new Map<string, number>();
    const worker = createKickEventsWorker(async (j) => void seen.set(j.id!, (seen.get(j.id!) ?? 0) + 1), { connection: workerConnection, prefix, concurrency: 20 });
    await waitFor(() => seen.size === 200, { timeoutMs: 20_000, description: '200 jobs processed on the cluster' });
    await worker.close();
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    await queue.close();
  });
});
