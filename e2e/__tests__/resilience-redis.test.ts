/**
 * Redis stopped and restarted under load. The web app runs against a test-owned redis-server with an
 * append-only file fsynced on every write, so "accepted" (200) means "on disk": the server is killed
 * with SIGKILL (a crash, not a clean shutdown) in the middle of a stream of deliveries, web must answer
 * 503 + Retry-After while it is down (Kick retries those), accept again once it is back, and every
 * delivery it ever answered 200 must be in the queue exactly once afterwards.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { samplePayloads } from '@kickcord/kick';
import { generateKickKeyPair } from '@kickcord/kick-sim';
import { KICK_EVENTS_QUEUE, queueKeyPrefix, testQueuePrefix, waitFor } from '@kickcord/queue';
import { startWeb, type WebHandle } from '@kickcord/web';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@kickcord/testkit';
import { deliveryRequestBytes, rawHttp, signDelivery, startTestRedisServer, type RawHttpResponse, type SignedDelivery, type TestRedisServer } from './helpers/resilience.ts';

let redisServer: TestRedisServer;
let db: TestDatabase;
let web: WebHandle;
let keys: { privateKeyPem: string; publicKeyPem: string };
const prefix = testQueuePrefix('redis-restart');

beforeAll(async () => {
  [redisServer, db] = await Promise.all([startTestRedisServer(), createTestDatabase()]);
  keys = generateKickKeyPair();
  const port = await freePort();
  web = await startWeb(
    {
      DATABASE_URL: db.url,
      REDIS_URL: redisServer.url,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      KICK_CLIENT_ID: 'resilience-client',
      KICK_CLIENT_SECRET: 'resilience-secret',
      KICK_API_URL: 'http://127.0.0.1:9',
      KICK_AUTH_URL: 'http://127.0.0.1:9',
      KICK_WEBHOOK_PUBLIC_KEY: keys.publicKeyPem,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
    },
    { queuePrefix: prefix, host: '127.0.0.1' },
  );
}, 60_000);

afterAll(async () => {
  await web?.close();
  await redisServer?.close();
  await db?.drop();
});

function chatDelivery(): SignedDelivery {
  const payload = structuredClone(samplePayloads['chat.message.sent']);
  const delivery = signDelivery(keys.privateKeyPem, { type: 'chat.message.sent', payload: { ...payload, message_id: `chat-${randomBytes(6).toString('hex')}` } });
  return delivery;
}

const post = (delivery: SignedDelivery): Promise<RawHttpResponse> => rawHttp(web.port, deliveryRequestBytes(delivery), { timeoutMs: 15_000 });
const isAccepted = (r: RawHttpResponse) => r.status === 200 && /"(enqueued|duplicate)"/.test(r.body);

async function queuedIds(): Promise<string[]> {
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  try {
    return await redis.lrange(`${queueKeyPrefix(prefix)}:${KICK_EVENTS_QUEUE}:wait`, 0, -1);
  } finally {
    redis.disconnect();
  }
}

describe('Redis crash and restart (test-owned redis-server, AOF fsync always)', () => {
  it('answers 503 + Retry-After while Redis is down, accepts again after the restart, and loses nothing it accepted', async () => {
    const accepted = new Set<string>();
    const refused: SignedDelivery[] = [];
    const refusals: RawHttpResponse[] = [];
    const record = (delivery: SignedDelivery, res: RawHttpResponse) => {
      if (isAccepted(res)) accepted.add(delivery.messageId);
      else {
        refused.push(delivery);
        refusals.push(res);
      }
    };

    // Before: everything is accepted.
    for (let i = 0; i < 10; i++) {
      const d = chatDelivery();
      const res = await post(d);
      expect(res.status).toBe(200);
      record(d, res);
    }
    expect(accepted.size).toBe(10);

    // A stream of deliveries (4 in flight) with Redis crashing in the middle of it.
    let stopSending = false;
    let sentDuringStream = 0;
    const sender = async () => {
      while (!stopSending) {
        const d = chatDelivery();
        sentDuringStream++;
        record(d, await post(d));
      }
    };
    const senders = Array.from({ length: 4 }, () => sender());
    await waitFor(() => accepted.size >= 40, { timeoutMs: 20_000, description: '30 deliveries accepted in the stream before the crash' });
    await redisServer.stop('SIGKILL');
    await waitFor(() => refusals.length >= 8, { timeoutMs: 30_000, description: '8 deliveries refused while Redis is down' });
    stopSending = true;
    await Promise.all(senders);
    expect(sentDuringStream).toBeGreaterThan(30);

    // While down: 503 with Retry-After and a reason, never a 200 and never a hang.
    for (const r of refusals) {
      expect(r.status).toBe(503);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(r.body)).toMatchObject({ error: 'queue_unavailable' });
    }

    // Restart from the AOF on the same port: web reconnects on its own.
    await redisServer.start();
    const first = refused[0]!;
    await waitFor(async () => isAccepted(await post(first)), { timeoutMs: 20_000, intervalMs: 200, description: 'web to accept again after Redis restarted' });
    // Kick retries every refused delivery: each is now accepted (or recognised, if its add had landed).
    for (const d of refused) {
      const res = await post(d);
      expect(res.status).toBe(200);
      accepted.add(d.messageId);
    }

    // Nothing accepted is lost, nothing is queued twice.
    const ids = await queuedIds();
    expect(new Set(ids).size).toBe(ids.length);
    const missing = [...accepted].filter((id) => !ids.includes(id));
    expect(missing).toEqual([]);
    expect(ids.length).toBe(accepted.size);
  }, 120_000);

  it('survives a second crash with nothing in flight: the queue it had is still there after the restart', async () => {
    const before = await queuedIds();
    expect(before.length).toBeGreaterThan(0);
    await redisServer.stop('SIGKILL');
    const refusedWhileDown = await post(chatDelivery());
    expect(refusedWhileDown.status).toBe(503);
    await redisServer.start();
    const after = await queuedIds();
    expect(after).toEqual(before);
    const d = chatDelivery();
    await waitFor(async () => isAccepted(await post(d)), { timeoutMs: 20_000, intervalMs: 200, description: 'web to accept after the second restart' });
    expect(await queuedIds()).toContain(d.messageId);
  }, 60_000);
});
