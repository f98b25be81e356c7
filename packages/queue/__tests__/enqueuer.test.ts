/**
 * KickEventEnqueuer writes BullMQ's storage format itself (one Lua call per batch instead of
 * queue.add per job). These tests pin that coupling: when a BullMQ upgrade changes the format, they
 * fail — compare our keys with what queue.add writes, and let a real BullMQ Worker consume our jobs.
 */
import { createRequire } from 'node:module';
import { Queue, type Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createKickEventsQueue,
  createKickEventsWorker,
  createRedisConnection,
  EnqueueTimeoutError,
  KICK_EVENTS_QUEUE,
  KickEventEnqueuer,
  ENQUEUER_BULLMQ_VERSION,
  kickEventJobJson,
  kickEventJobSchema,
  testQueuePrefix,
  UnsafeJobIdError,
  queueKeyPrefix,
  waitFor,
  type KickEventJob,
  type RedisConnection,
} from '../src/index.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TTL = 3_600_000;
const connections: RedisConnection[] = [];
const queues: Queue[] = [];

function producer(): RedisConnection {
  const redis = createRedisConnection(redisUrl, { usage: 'producer', enableAutoPipelining: true });
  connections.push(redis);
  return redis;
}

function setup(label: string, options: { timeoutMs?: number } = {}) {
  const prefix = testQueuePrefix(label);
  const redis = producer();
  const queue = createKickEventsQueue({ connection: redis, prefix });
  queues.push(queue);
  const enqueuer = new KickEventEnqueuer({ queue, redis, dedupeTtlMs: TTL, ...options });
  return { prefix, redis, queue, enqueuer };
}

afterAll(async () => {
  for (const queue of queues) {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  for (const c of connections) c.disconnect();
});

let seq = 0;
function jobFor(eventType = 'channel.followed'): { job: KickEventJob; payloadJson: string } {
  seq++;
  const payloadJson = `{"broadcaster":{"user_id":7},"follower":{"user_id":${seq}},"note":"caf\u00e9 \\"quoted\\""}`;
  const job: KickEventJob = {
    messageId: `01JENQUEUERTEST${String(seq).padStart(11, '0')}`,
    subscriptionId: 'sub "with" quotes',
    eventType,
    eventVersion: '1',
    messageTimestamp: '2026-01-01T00:00:00.123Z',
    receivedAt: new Date().toISOString(),
    broadcasterUserId: 7,
    payload: JSON.parse(payloadJson) as unknown,
  };
  return { job, payloadJson };
}

async function snapshot(redis: RedisConnection, prefix: string, id: string) {
  const base = `${queueKeyPrefix(prefix)}:${KICK_EVENTS_QUEUE}`;
  const hash = await redis.hgetall(`${base}:${id}`);
  const events = await redis.xrange(`${base}:events`, '-', '+');
  return {
    hash: { ...hash, opts: JSON.parse(hash.opts ?? 'null') as unknown, data: JSON.parse(hash.data ?? 'null') as unknown, timestamp: undefined },
    timestamp: Number(hash.timestamp),
    de: await redis.get(`${base}:de:${id}`),
    dePttl: await redis.pttl(`${base}:de:${id}`),
    wait: await redis.lrange(`${base}:wait`, 0, -1),
    marker: await redis.zrange(`${base}:marker`, 0, -1, 'WITHSCORES'),
    maxLenEvents: await redis.hget(`${base}:meta`, 'opts.maxLenEvents'),
    events: events.map(([, fields]) => fields),
  };
}

describe('KickEventEnqueuer writes what queue.add writes', () => {
  it('job hash, opts, dedupe key + ttl, wait list, marker and events match BullMQ for a new job and for replays', async () => {
    const ours = setup('enq-ours');
    const theirs = setup('enq-bullmq');
    const { job, payloadJson } = jobFor();
    const id = job.messageId;

    const before = Date.now();
    expect(await ours.enqueuer.enqueue(id, job.eventType, kickEventJobJson(job, payloadJson))).toBe('enqueued');
    await theirs.queue.add(job.eventType, job, { jobId: id, deduplication: { id, ttl: TTL } });
    // A replay while the job exists, then (job gone, dedupe key alive) another.
    expect(await ours.enqueuer.enqueue(id, job.eventType, kickEventJobJson(job, payloadJson))).toBe('duplicate');
    await theirs.queue.add(job.eventType, job, { jobId: id, deduplication: { id, ttl: TTL } });

    const a = await snapshot(ours.redis, ours.prefix, id);
    const b = await snapshot(theirs.redis, theirs.prefix, id);
    expect(a.timestamp).toBeGreaterThanOrEqual(before);
    expect(a.timestamp).toBeLessThanOrEqual(Date.now());
    expect(Math.abs(a.dePttl - b.dePttl)).toBeLessThan(5_000);
    expect({ ...a, timestamp: 0, dePttl: 0 }).toEqual({ ...b, timestamp: 0, dePttl: 0 });
    expect(a.hash).toMatchObject({ name: job.eventType, deid: id, delay: '0', priority: '0' });

    for (const side of [ours, theirs]) await side.redis.del(side.queue.toKey(id));
    expect(await ours.enqueuer.enqueue(id, job.eventType, kickEventJobJson(job, payloadJson))).toBe('duplicate');
    await theirs.queue.add(job.eventType, job, { jobId: id, deduplication: { id, ttl: TTL } });
    const a2 = await snapshot(ours.redis, ours.prefix, id);
    const b2 = await snapshot(theirs.redis, theirs.prefix, id);
    expect({ ...a2, dePttl: 0 }).toEqual({ ...b2, dePttl: 0 });
    expect(a2.events.map((e) => e[1])).toEqual(['added', 'waiting', 'duplicated', 'debounced', 'deduplicated']);
  });

  it('writes the job data JSON exactly as given and equal to what the schema expects', async () => {
    const { queue, enqueuer } = setup('enq-data');
    const { job, payloadJson } = jobFor('chat.message.sent');
    await enqueuer.enqueue(job.messageId, job.eventType, kickEventJobJson(job, payloadJson));
    const stored = await queue.getJob(job.messageId);
    expect(stored?.name).toBe('chat.message.sent');
    expect(kickEventJobSchema.parse(stored?.data)).toEqual(job);
  });

  it('goes to the paused list and sets no marker while the queue is paused', async () => {
    const { queue, enqueuer, redis, prefix } = setup('enq-paused');
    await queue.pause();
    const { job, payloadJson } = jobFor();
    expect(await enqueuer.enqueue(job.messageId, job.eventType, kickEventJobJson(job, payloadJson))).toBe('enqueued');
    expect(await redis.lrange(`${queueKeyPrefix(prefix)}:${KICK_EVENTS_QUEUE}:paused`, 0, -1)).toEqual([job.messageId]);
    expect(await redis.exists(`${queueKeyPrefix(prefix)}:${KICK_EVENTS_QUEUE}:marker`)).toBe(0);
    expect((await queue.getJobCounts('paused', 'waiting')).paused).toBe(1);
  });

  it('sets no marker while the queue is at its global concurrency, and one when below it, as queue.add does', async () => {
    const ours = setup('enq-maxed-ours');
    const theirs = setup('enq-maxed-bullmq');
    for (const side of [ours, theirs]) {
      await side.queue.setGlobalConcurrency(2);
      // Two jobs in the active list (as if two workers held them): the queue is at its limit.
      await side.redis.lpush(side.queue.keys.active!, 'held-1', 'held-2');
    }
    const first = jobFor();
    expect(await ours.enqueuer.enqueue(first.job.messageId, first.job.eventType, kickEventJobJson(first.job, first.payloadJson))).toBe('enqueued');
    await theirs.queue.add(first.job.eventType, first.job, { jobId: first.job.messageId, deduplication: { id: first.job.messageId, ttl: TTL } });
    const maxedOurs = await snapshot(ours.redis, ours.prefix, first.job.messageId);
    const maxedTheirs = await snapshot(theirs.redis, theirs.prefix, first.job.messageId);
    expect(maxedOurs.marker).toEqual([]);
    expect(maxedOurs.marker).toEqual(maxedTheirs.marker);
    expect(maxedOurs.wait).toEqual([first.job.messageId]);

    // One slot frees up: the next job sets the marker, so an idle worker wakes up.
    for (const side of [ours, theirs]) await side.redis.lrem(side.queue.keys.active!, 1, 'held-1');
    const second = jobFor();
    expect(await ours.enqueuer.enqueue(second.job.messageId, second.job.eventType, kickEventJobJson(second.job, second.payloadJson))).toBe('enqueued');
    await theirs.queue.add(second.job.eventType, second.job, { jobId: second.job.messageId, deduplication: { id: second.job.messageId, ttl: TTL } });
    const freeOurs = await snapshot(ours.redis, ours.prefix, second.job.messageId);
    const freeTheirs = await snapshot(theirs.redis, theirs.prefix, second.job.messageId);
    expect(freeOurs.marker).toEqual(['0', '0']);
    expect(freeOurs.marker).toEqual(freeTheirs.marker);
  });

  it('is written for the installed BullMQ version (an upgrade must re-check the script against addStandardJob)', () => {
    const installed = (createRequire(import.meta.url)('bullmq/package.json') as { version: string }).version;
    expect(
      installed,
      `bullmq ${installed} is installed but KickEventEnqueuer writes BullMQ ${ENQUEUER_BULLMQ_VERSION}'s job format: compare its Lua with bullmq's addStandardJob and the tests above, then update ENQUEUER_BULLMQ_VERSION`,
    ).toBe(ENQUEUER_BULLMQ_VERSION);
  });
});

describe('a real BullMQ Worker consumes enqueued jobs unchanged', () => {
  it('processes a batch with the right name, data, id and options; counts see them; dedupe holds after completion', async () => {
    const { queue, enqueuer, prefix } = setup('enq-worker');
    const jobs = Array.from({ length: 300 }, () => jobFor());
    // 300 in one turn: several script calls (batches of at most 128), plus an in-batch copy.
    const outcomes = await Promise.all([
      ...jobs.map(({ job, payloadJson }) => enqueuer.enqueue(job.messageId, job.eventType, kickEventJobJson(job, payloadJson))),
      enqueuer.enqueue(jobs[0]!.job.messageId, 'channel.followed', kickEventJobJson(jobs[0]!.job, jobs[0]!.payloadJson)),
    ]);
    expect(outcomes.filter((o) => o === 'enqueued')).toHaveLength(300);
    expect(outcomes.at(-1)).toBe('duplicate');
    expect((await queue.getJobCounts('waiting')).waiting).toBe(300);

    const seen = new Map<string, Job<KickEventJob>>();
    const workerConnection = createRedisConnection(redisUrl);
    connections.push(workerConnection);
    const worker = createKickEventsWorker(
      async (j) => {
        seen.set(j.id!, j);
      },
      { connection: workerConnection, prefix, concurrency: 50 },
    );
    await waitFor(() => seen.size === 300, { description: 'the worker to process 300 jobs' });
    await waitFor(async () => (await queue.getJobCounts('completed')).completed === 300, { description: 'all jobs completed' });
    await worker.close();

    for (const { job } of jobs) {
      const j = seen.get(job.messageId)!;
      expect(j.name).toBe('channel.followed');
      expect(kickEventJobSchema.parse(j.data)).toEqual(job);
      expect(j.opts.attempts).toBe(8);
      expect(j.opts.backoff).toEqual({ type: 'exponential', delay: 1_000 });
      expect(j.opts.removeOnComplete).toEqual({ age: 86_400, count: 100_000 });
      expect(j.opts.deduplication).toEqual({ id: job.messageId, ttl: TTL });
      expect(j.opts.jobId).toBe(job.messageId);
      expect(j.deduplicationId).toBe(job.messageId);
    }
    // Completed jobs keep their dedupe key (it has a ttl): a replay is still a duplicate.
    const { job, payloadJson } = jobs[42]!;
    expect(await enqueuer.enqueue(job.messageId, job.eventType, kickEventJobJson(job, payloadJson))).toBe('duplicate');
    expect((await queue.getJobCounts('waiting')).waiting).toBe(0);
  });
});

describe('failures', () => {
  it('refuses ids BullMQ cannot take, without writing', async () => {
    const { enqueuer } = setup('enq-ids');
    for (const id of ['12345', 'a:b', '', 'x"y', 'a'.repeat(129)]) {
      await expect(enqueuer.enqueue(id, 'channel.followed', '{}')).rejects.toBeInstanceOf(UnsafeJobIdError);
    }
  });

  it('rejects the batch with EnqueueTimeoutError while Redis is unreachable', async () => {
    const redis = createRedisConnection('redis://127.0.0.1:1', { usage: 'producer', lazyConnect: true, retryStrategy: () => 50 });
    connections.push(redis);
    const queue = new Queue<KickEventJob>(KICK_EVENTS_QUEUE, { connection: redis, prefix: queueKeyPrefix(testQueuePrefix('enq-down')) });
    queue.on('error', () => undefined);
    redis.on('error', () => undefined);
    const enqueuer = new KickEventEnqueuer({ queue, redis, dedupeTtlMs: TTL, timeoutMs: 200 });
    const { job, payloadJson } = jobFor();
    const started = Date.now();
    await expect(enqueuer.enqueue(job.messageId, job.eventType, kickEventJobJson(job, payloadJson))).rejects.toBeInstanceOf(EnqueueTimeoutError);
    expect(Date.now() - started).toBeLessThan(2_000);
    await queue.close().catch(() => undefined);
  });
});
