import { KICK_EVENT_TYPES, samplePayloads } from '@kickcord/kick';
import { createKickEventsQueue, createRedisConnection, kickEventJobSchema, waitFor, type KickEventJob, type RedisConnection } from '@kickcord/queue';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKickMessageId } from '../src/index.ts';
import { createHarness, messageId, postDelivery, randomUUID, rawRequest, REDIS_URL, signedDelivery, type Harness, type WebUnderTest } from './harness.ts';

let h: Harness;
let app: WebUnderTest;
let redis: RedisConnection;
let queue: Queue<KickEventJob>;

beforeAll(async () => {
  h = await createHarness();
  app = await h.start();
  redis = createRedisConnection(REDIS_URL);
  queue = createKickEventsQueue({ connection: redis, prefix: h.prefix });
});

afterAll(async () => {
  await queue?.close();
  await redis?.quit();
  await h?.close();
});

async function jobCount(id: string): Promise<number> {
  return (await queue.getJob(id)) ? 1 : 0;
}

async function totalJobs(): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

const payloadFor = (type: (typeof KICK_EVENT_TYPES)[number]) => samplePayloads[type];

describe('POST /webhooks/kick — accepted deliveries', () => {
  it('accepts sim-signed deliveries of all 10 event types over real HTTP and enqueues each exactly once', async () => {
    const before = await totalJobs();
    const streamer = h.sim.createUser({ username: 'allevents' });
    const records = [];
    for (const type of KICK_EVENT_TYPES) {
      const [record] = await h.sim.deliverTo(`${app.url}/webhooks/kick`, type, {}, { broadcasterUserId: streamer.userId });
      records.push(record!);
    }
    expect(records.map((r) => r.attempts.at(-1)?.status)).toEqual(KICK_EVENT_TYPES.map(() => 200));
    expect(await totalJobs()).toBe(before + KICK_EVENT_TYPES.length);
    for (const record of records) {
      const job = await queue.getJob(record.messageId);
      expect(job, record.type).toBeDefined();
      const data = kickEventJobSchema.parse(job!.data);
      expect(data.messageId).toBe(record.messageId);
      expect(data.eventType).toBe(record.type);
      expect(data.eventVersion).toBe('1');
      expect(data.messageTimestamp).toBe(record.timestamp);
      expect(data.broadcasterUserId).toBe(record.broadcasterUserId);
      expect(data.payload).toMatchObject(JSON.parse(record.body) as object);
      expect(job!.name).toBe(record.type);
    }
  });

  it('accepts a signed delivery without Kick-Event-Subscription-Id (unsigned, optional) and enqueues it with subscriptionId null', async () => {
    for (const target of [app, await h.start({ WEBHOOK_VERIFY_THREADS: '1' })]) {
      const d = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed') });
      delete d.headers['Kick-Event-Subscription-Id'];
      const res = await postDelivery(target.url, d);
      expect(res.status, res.body).toBe(200);
      const job = await queue.getJob(d.headers['Kick-Event-Message-Id']!);
      expect(job).toBeDefined();
      expect(kickEventJobSchema.parse(job!.data)).toMatchObject({ subscriptionId: null, eventType: 'channel.followed' });
      if (target !== app) await target.close();
    }
  });

  it('with WEBHOOK_VERIFY_THREADS=1 (signature checks on a worker thread) accepts and refuses the same way', async () => {
    const threaded = await h.start({ WEBHOOK_VERIFY_THREADS: '1' });
    try {
      expect(threaded.deps.config.webhookVerifyThreads).toBe(1);
      expect(app.deps.config.webhookVerifyThreads).toBe(0);
      const streamer = h.sim.createUser({ username: 'threadedverify' });
      const records = await Promise.all(
        (['channel.followed', 'chat.message.sent', 'kicks.gifted'] as const).map(async (type) => (await h.sim.deliverTo(`${threaded.url}/webhooks/kick`, type, {}, { broadcasterUserId: streamer.userId }))[0]!),
      );
      expect(records.map((r) => r.attempts.at(-1)?.status)).toEqual([200, 200, 200]);
      for (const record of records) expect(await jobCount(record.messageId)).toBe(1);
      const forged = signedDelivery((await import('@kickcord/kick-sim')).generateKickKeyPair().privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed') });
      const res = await postDelivery(threaded.url, forged);
      expect(res.status).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unknown_key' });
      expect(await jobCount(forged.headers['Kick-Event-Message-Id']!)).toBe(0);
    } finally {
      await threaded.close();
    }
    expect(() => h.env({ WEBHOOK_VERIFY_THREADS: 'two' })).toThrow(/WEBHOOK_VERIFY_THREADS/);
    expect(() => h.env({ WEBHOOK_VERIFY_THREADS: '-1' })).toThrow(/WEBHOOK_VERIFY_THREADS/);
  });

  it('answers duplicate for a sequential redelivery of the same message id, and keeps one job', async () => {
    const delivery = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed') });
    const first = await postDelivery(app.url, delivery);
    expect(first.status).toBe(200);
    expect(first.json()).toEqual({ status: 'enqueued' });
    const before = await totalJobs();
    for (let i = 0; i < 3; i++) {
      const again = await postDelivery(app.url, delivery);
      expect(again.status).toBe(200);
      expect(again.json()).toEqual({ status: 'duplicate' });
    }
    expect(await totalJobs()).toBe(before);
    expect(await jobCount(delivery.headers['Kick-Event-Message-Id']!)).toBe(1);
  });

  it('turns 20 concurrent copies of one delivery into one job', async () => {
    const delivery = signedDelivery(h.keys.privateKeyPem, { type: 'chat.message.sent', payload: payloadFor('chat.message.sent') });
    const before = await totalJobs();
    const answers = await Promise.all(Array.from({ length: 20 }, () => postDelivery(app.url, delivery)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const statuses = answers.map((a) => a.json().status);
    expect(statuses.every((s) => s === 'enqueued' || s === 'duplicate')).toBe(true);
    expect(statuses).toContain('enqueued');
    expect(await totalJobs()).toBe(before + 1);
  });

  it('recognizes a replay after a restart (new server instance, same Redis) even once the job is gone', async () => {
    const delivery = signedDelivery(h.keys.privateKeyPem, { type: 'kicks.gifted', payload: payloadFor('kicks.gifted') });
    expect((await postDelivery(app.url, delivery)).json()).toEqual({ status: 'enqueued' });
    const id = delivery.headers['Kick-Event-Message-Id']!;
    // The worker finished and removeOnComplete dropped the job (BullMQ's age/count cleanup keeps the
    // dedupe key; only an explicit job.remove() deletes it). Simulate by deleting the job's data.
    await redis.lrem(queue.keys.wait!, 0, id);
    await redis.del(queue.toKey(id));
    expect(await jobCount(id)).toBe(0);

    const second = await h.start();
    try {
      const replay = await postDelivery(second.url, delivery);
      expect(replay.status).toBe(200);
      expect(replay.json()).toEqual({ status: 'duplicate' });
      expect(await jobCount(id)).toBe(0);
    } finally {
      await second.close();
    }
  });

  it('keeps the dedupe key for the max-age window plus 10 minutes', async () => {
    const delivery = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed') });
    await postDelivery(app.url, delivery);
    const ttl = await redis.pttl(`${queue.keys.de}:${delivery.headers['Kick-Event-Message-Id']}`);
    const expected = (43_200 + 600) * 1000;
    expect(ttl).toBeGreaterThan(expected - 60_000);
    expect(ttl).toBeLessThanOrEqual(expected);
  });

  it('does not write Postgres for a normal delivery', async () => {
    const delivery = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed') });
    expect((await postDelivery(app.url, delivery)).status).toBe(200);
    expect(await h.db.prisma.webhookDelivery.count()).toBe(0);
    expect(await h.db.prisma.quarantinedDelivery.count({ where: { messageId: delivery.headers['Kick-Event-Message-Id']! } })).toBe(0);
  });
});

describe('POST /webhooks/kick — rejected deliveries', () => {
  const base = () => signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed') });

  async function expectRejected(delivery: { headers: Record<string, string>; body: Buffer }, status: number, error: string) {
    const before = await totalJobs();
    const res = await postDelivery(app.url, delivery);
    expect(res.status, res.body).toBe(status);
    const body = res.json();
    expect(body.error).toBe(error);
    expect(typeof body.detail).toBe('string');
    expect(await totalJobs()).toBe(before);
    const id = delivery.headers['Kick-Event-Message-Id'];
    if (id) expect(await jobCount(id)).toBe(0);
    expect(await h.db.prisma.quarantinedDelivery.count({ where: { messageId: id ?? '' } })).toBe(0);
  }

  for (const header of [
    'Kick-Event-Message-Id',
    'Kick-Event-Signature',
    'Kick-Event-Message-Timestamp',
    'Kick-Event-Type',
    'Kick-Event-Version',
  ]) {
    it(`400 missing_header without ${header}`, async () => {
      const d = base();
      delete d.headers[header];
      await expectRejected(d, 400, 'missing_header');
    });
  }

  it('401 for a signature made with another key', async () => {
    const d = base();
    const messageId = d.headers['Kick-Event-Message-Id'];
    const timestamp = d.headers['Kick-Event-Message-Timestamp'];
    if (messageId === undefined || timestamp === undefined) throw new Error('signedDelivery sets Kick-Event-Message-Id and Kick-Event-Message-Timestamp');
    const other = signedDelivery((await import('@kickcord/kick-sim')).generateKickKeyPair().privateKeyPem, {
      type: 'channel.followed',
      payload: payloadFor('channel.followed'),
      messageId,
      timestamp,
    });
    await expectRejected(other, 401, 'unknown_key');
  });

  it('401 for a tampered body (re-serialized JSON with the same meaning)', async () => {
    const d = base();
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(d.body.toString()), null, 2));
    expect(reserialized.equals(d.body)).toBe(false);
    await expectRejected({ headers: d.headers, body: reserialized }, 401, 'signature_mismatch');
  });

  it('401 for a bad signature encoding (not base64)', async () => {
    const d = base();
    d.headers['Kick-Event-Signature'] = 'not*base64!';
    await expectRejected(d, 401, 'bad_signature_encoding');
  });

  it('400 for a stale timestamp (older than WEBHOOK_MAX_AGE_SECONDS)', async () => {
    const d = signedDelivery(h.keys.privateKeyPem, {
      type: 'channel.followed',
      payload: payloadFor('channel.followed'),
      timestamp: new Date(Date.now() - 13 * 3600_000).toISOString(),
    });
    await expectRejected(d, 400, 'stale_timestamp');
  });

  it('accepts a delivery 11 hours late (Kick delivers late at times)', async () => {
    const d = signedDelivery(h.keys.privateKeyPem, {
      type: 'channel.followed',
      payload: payloadFor('channel.followed'),
      timestamp: new Date(Date.now() - 11 * 3600_000).toISOString(),
    });
    expect((await postDelivery(app.url, d)).json()).toEqual({ status: 'enqueued' });
  });

  it('400 for a timestamp too far in the future', async () => {
    const d = signedDelivery(h.keys.privateKeyPem, {
      type: 'channel.followed',
      payload: payloadFor('channel.followed'),
      timestamp: new Date(Date.now() + 3600_000).toISOString(),
    });
    await expectRejected(d, 400, 'future_timestamp');
  });

  it('400 for a timestamp that is not RFC 3339', async () => {
    const d = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed'), timestamp: 'yesterday' });
    await expectRejected(d, 400, 'bad_timestamp');
  });

  it('413 payload_too_large for a body over the limit, without reading it all', async () => {
    const before = await totalJobs();
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const d = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: null, rawBody: big });
    const res = await postDelivery(app.url, d);
    expect(res.status).toBe(413);
    expect(res.json().error).toBe('payload_too_large');
    expect(await totalJobs()).toBe(before);
  });

  it('413 for a chunked body (no Content-Length) that grows over the limit', async () => {
    const { request } = await import('node:http');
    // Valid Kick headers: what is checked before the body passes, so the size limit is what refuses it.
    const { headers } = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed') });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${app.url}/webhooks/kick`, { method: 'POST', headers, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 40 && req.write(chunk)) sent++;
        if (sent < 40) req.once('drain', pump);
        else req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('415 when the content type is not JSON', async () => {
    const d = base();
    d.headers['content-type'] = 'text/plain';
    await expectRejected(d, 415, 'unsupported_media_type');
  });

  it('rejects other methods on the webhook path without enqueuing', async () => {
    const res = await rawRequest(`${app.url}/webhooks/kick`);
    expect(res.status).toBe(404);
  });
});

describe('POST /webhooks/kick — message ids', () => {
  const withId = (id: string) => signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed'), messageId: id });

  it('refuses signed deliveries whose message id is a BullMQ key name (marker, meta, events, id) with 400, and ingest goes on', async () => {
    const before = await totalJobs();
    const names = ['marker', 'meta', 'events', 'id'];
    const keyState = () => Promise.all(names.map(async (id) => [id, await redis.type(queue.toKey(id)), await redis.call('hget', queue.toKey(id), 'data').catch(() => 'not a hash')]));
    const keysBefore = await keyState();
    for (const id of names) {
      const res = await postDelivery(app.url, withId(id));
      expect(res.status, id).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad_message_id' });
      expect(res.headers['connection']).toBe('close');
    }
    // BullMQ's own keys of those names are as they were: no job was written over them.
    expect(await keyState()).toEqual(keysBefore);
    expect(await totalJobs()).toBe(before);
    // Ingest was not stopped: the next real delivery is enqueued, and so is one after it.
    for (let i = 0; i < 2; i++) {
      const next = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: payloadFor('channel.followed') });
      expect((await postDelivery(app.url, next)).json()).toEqual({ status: 'enqueued' });
      expect(await jobCount(next.headers['Kick-Event-Message-Id']!)).toBe(1);
    }
    expect(await totalJobs()).toBe(before + 2);
    expect(await h.db.prisma.quarantinedDelivery.count({ where: { messageId: { in: ['marker', 'meta', 'events', 'id'] } } })).toBe(0);
  });

  it('refuses an unshaped message id without asking Redis (400 even while Redis is unreachable)', async () => {
    const down = await h.start({ REDIS_URL: 'redis://127.0.0.1:9' });
    try {
      const res = await postDelivery(down.url, withId('marker'));
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad_message_id' });
      // The same server answers a well-formed delivery 503: it would have needed Redis.
      expect((await postDelivery(down.url, withId(messageId()))).status).toBe(503);
    } finally {
      await down.close();
    }
  });

  it('accepts ULIDs in either letter case and UUIDs', async () => {
    for (const id of [messageId(), messageId().toLowerCase(), randomUUID(), randomUUID().toUpperCase()]) {
      const res = await postDelivery(app.url, withId(id));
      expect(res.json(), id).toEqual({ status: 'enqueued' });
      expect(await jobCount(id), id).toBe(1);
    }
  });

  it('knows the shapes: ULID (26 × Crockford base32) or UUID (8-4-4-4-12 hex)', () => {
    for (const good of ['01ARZ3NDEKTSV4RRFFQ69G5FAV', '01arz3ndektsv4rrffq69g5fav', '7ZZZZZZZZZZZZZZZZZZZZZZZZZ', '0f8fad5b-d9cb-469f-a165-70867728950e', '0F8FAD5B-D9CB-469F-A165-70867728950E']) {
      expect(isKickMessageId(good), good).toBe(true);
    }
    for (const bad of ['', 'marker', 'meta', 'events', 'id', '01ARZ3NDEKTSV4RRFFQ69G5FA', '01ARZ3NDEKTSV4RRFFQ69G5FAVX', '01ARZ3NDEKTSV4RRFFQ69G5FAU', '01ARZ3NDEKTSV4RRFFQ69G5FAI', '01ARZ3NDEKTSV4RRFFQ69G5FAL', '01ARZ3NDEKTSV4RRFFQ69G5FAO', '01ARZ3NDEKTSV4RRFFQ69G5FA:', '0f8fad5bd9cb469fa16570867728950e', '0f8fad5b-d9cb-469f-a165-70867728950', '0f8fad5b-d9cb-469f-a165-70867728950g', '{0f8fad5b-d9cb-469f-a165-70867728950e}', ' 01ARZ3NDEKTSV4RRFFQ69G5FAV']) {
      expect(isKickMessageId(bad), bad).toBe(false);
    }
  });
});

describe('POST /webhooks/kick — quarantine', () => {
  async function expectQuarantined(d: { headers: Record<string, string>; body: Buffer }, reason: string) {
    const before = await totalJobs();
    const res = await postDelivery(app.url, d);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'quarantined' });
    const id = d.headers['Kick-Event-Message-Id']!;
    const row = await h.db.prisma.quarantinedDelivery.findUnique({ where: { messageId: id } });
    expect(row).not.toBeNull();
    expect(row!.reason.startsWith(reason)).toBe(true);
    expect(await totalJobs()).toBe(before);
    expect(await jobCount(id)).toBe(0);
    return row!;
  }

  it('quarantines an unknown event type, verbatim', async () => {
    const body = '{"broadcaster":{"user_id":1},"novel":true}';
    const d = signedDelivery(h.keys.privateKeyPem, { type: 'channel.raid.started', payload: null, rawBody: body });
    const row = await expectQuarantined(d, 'unknown_type');
    expect(row.rawBody).toBe(body);
    expect(row.eventType).toBe('channel.raid.started');
  });

  it('quarantines an unknown version of a known type', async () => {
    const d = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', version: '2', payload: payloadFor('channel.followed') });
    await expectQuarantined(d, 'unknown_version');
  });

  it('quarantines a schema violation', async () => {
    const d = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: { broadcaster: 'nope' } });
    await expectQuarantined(d, 'invalid_payload');
  });

  it('quarantines invalid JSON and invalid UTF-8 from validly signed requests', async () => {
    await expectQuarantined(signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: null, rawBody: '{"broadcaster":' }), 'invalid_json');
    const row = await expectQuarantined(
      signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: null, rawBody: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }),
      'invalid_utf8',
    );
    expect(row.rawBody).toBe(`base64:${Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64')}`);
  });

  it('answers a redelivered quarantined message again with 200 and logs it once', async () => {
    const d = signedDelivery(h.keys.privateKeyPem, { type: 'channel.unknown', payload: {} });
    await expectQuarantined(d, 'unknown_type');
    const again = await postDelivery(app.url, d);
    expect(again.json()).toEqual({ status: 'quarantined' });
    const id = d.headers['Kick-Event-Message-Id']!;
    await waitFor(() => app.logs.lines.some((l) => l.includes(id)));
    expect(app.logs.lines.filter((l) => l.includes(id) && l.includes('webhook quarantined'))).toHaveLength(1);
  });
});

describe('webhook metrics and logs', () => {
  it('counts deliveries, verification failures and enqueue latency', async () => {
    const res = await rawRequest(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/kickcord_webhook_deliveries_total\{type="channel.followed",outcome="enqueued"\} \d+/);
    expect(res.body).toMatch(/kickcord_webhook_deliveries_total\{type="channel.followed",outcome="duplicate"\} \d+/);
    expect(res.body).toMatch(/kickcord_webhook_deliveries_total\{type="unknown",outcome="quarantined"\} \d+/);
    expect(res.body).toMatch(/kickcord_webhook_verification_failures_total\{reason="signature_mismatch"\} 1/);
    expect(res.body).toMatch(/kickcord_webhook_verification_failures_total\{reason="missing_header"\} 5/);
    expect(res.body).toMatch(/kickcord_webhook_enqueue_seconds_bucket/);
    expect(res.body).toMatch(/kickcord_queue_depth\{state="waiting"\} \d+/);
    expect(res.body).toMatch(/process_cpu_user_seconds_total/);
  });

  it('never logs signatures', () => {
    expect(app.logs.text()).not.toMatch(/kick-event-signature":"[A-Za-z0-9+/]{20,}/i);
  });
});
