import { afterAll, describe, expect, it } from 'vitest';
import { createKickEventsQueue, createKickEventsWorker, createRedisConnection, kickEventJobSchema, testQueuePrefix, waitFor, type KickEventJob } from '../src/index.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = testQueuePrefix('queue');
const producer = createRedisConnection(redisUrl, { usage: 'producer' });
const workerConnection = createRedisConnection(redisUrl);
const queue = createKickEventsQueue({ connection: producer, prefix });

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  producer.disconnect();
  workerConnection.disconnect();
});

describe('kick-events queue', () => {
  it('keeps one job per Kick message id and delivers it to a worker', async () => {
    const job: KickEventJob = {
      messageId: '01JTESTMESSAGE000000000000',
      subscriptionId: '01JSUB',
      eventType: 'channel.followed',
      eventVersion: '1',
      messageTimestamp: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
      broadcasterUserId: 42,
      payload: { hello: 'world' },
    };
    expect(kickEventJobSchema.parse(job)).toEqual(job);
    await queue.add(job.eventType, job, { jobId: job.messageId });
    await queue.add(job.eventType, job, { jobId: job.messageId });
    expect((await queue.getJobCounts('waiting')).waiting).toBe(1);

    const seen: string[] = [];
    const worker = createKickEventsWorker(async (j) => void seen.push(j.data.messageId), { connection: workerConnection, prefix });
    await waitFor(() => seen.length === 1, { description: 'the worker to process the job' });
    await worker.close();
    expect(seen).toEqual([job.messageId]);
    const opts = (await queue.getJob(job.messageId))?.opts;
    expect(opts?.attempts).toBe(8);
  });

  it('waitFor reports what it waited for on timeout', async () => {
    await expect(waitFor(() => false, { timeoutMs: 50, description: 'the impossible' })).rejects.toThrow(/waiting for the impossible/);
  });
});
