import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { checkTokenEncryptionKey, TokenKeyMismatchError } from '@kickcord/connections';
import { TokenCipher } from '@kickcord/db';
import { samplePayloads } from '@kickcord/kick';
import { createKickEventsQueue, createRedisConnection, waitFor, type KickEventJob, type RedisConnection } from '@kickcord/queue';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb } from '../src/index.ts';
import { createHarness, ENCRYPTION_KEY, postDelivery, rawRequest, REDIS_URL, signedDelivery, uniqueGuildId, type Harness, type WebUnderTest } from './harness.ts';

let h: Harness;
let app: WebUnderTest;
let redis: RedisConnection;
let queue: Queue<KickEventJob>;
let closedPort: number;

async function freeClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  h = await createHarness();
  app = await h.start({ ADMIN_PASSWORD: 'correct horse battery staple' });
  redis = createRedisConnection(REDIS_URL);
  queue = createKickEventsQueue({ connection: redis, prefix: h.prefix });
  closedPort = await freeClosedPort();
});

afterAll(async () => {
  await queue?.close();
  await redis?.quit();
  await h?.close();
});

describe('health and readiness', () => {
  it('/healthz answers 200 while the process is up', async () => {
    const res = await rawRequest(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('/readyz answers 200 when Postgres and Redis answer', async () => {
    // Right after start the pools are still connecting; a loaded CI box may need a second try.
    const res = await waitFor(async () => {
      const r = await rawRequest(`${app.url}/readyz`);
      return r.status === 200 ? r : undefined;
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' }, failed: [] });
  });

  it('/readyz answers 503 naming Redis when Redis is unreachable', async () => {
    const down = await h.start({ REDIS_URL: `redis://127.0.0.1:${closedPort}` });
    try {
      const res = await rawRequest(`${down.url}/readyz`);
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ status: 'unavailable', checks: { postgres: 'ok', redis: 'fail' }, failed: ['redis'] });
      // Liveness is unaffected.
      expect((await rawRequest(`${down.url}/healthz`)).status).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('/readyz answers 503 naming Postgres when Postgres is unreachable', async () => {
    const down = await h.start({ DATABASE_URL: `postgresql://postgres@127.0.0.1:${closedPort}/nothing` });
    try {
      const res = await rawRequest(`${down.url}/readyz`);
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ checks: { postgres: 'fail', redis: 'ok' }, failed: ['postgres'] });
    } finally {
      await down.close();
    }
  });
});

describe('TOKEN_ENCRYPTION_KEY check', () => {
  const otherKey = randomBytes(32).toString('hex');

  it('startWeb refuses a valid key that is not the one the stored tokens were encrypted with, saying what to do and never printing the key', async () => {
    expect(await checkTokenEncryptionKey(h.db.prisma, new TokenCipher(ENCRYPTION_KEY))).not.toBeUndefined();
    const failure = await startWeb({ ...h.envStrings({ TOKEN_ENCRYPTION_KEY: otherKey, LOG_LEVEL: 'silent' }), PORT: '0' }, { queuePrefix: h.prefix, host: '127.0.0.1' }).then(
      async (web) => {
        await web.close();
        return null;
      },
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TokenKeyMismatchError);
    expect((failure as Error).message).toMatch(/^TOKEN_ENCRYPTION_KEY does not match the key the stored tokens were encrypted with: restore the original key/);
    expect((failure as Error).message).not.toContain(otherKey);
    expect((failure as Error).message).not.toContain(ENCRYPTION_KEY);
    // The right key still starts.
    const web = await startWeb({ ...h.envStrings({ LOG_LEVEL: 'silent' }), PORT: '0' }, { queuePrefix: h.prefix, host: '127.0.0.1' });
    await web.close();
  });

  it('/readyz answers 503 naming tokenKey when the key does not decrypt the stored key check', async () => {
    await checkTokenEncryptionKey(h.db.prisma, new TokenCipher(ENCRYPTION_KEY));
    const wrong = await h.start({ TOKEN_ENCRYPTION_KEY: otherKey });
    try {
      const res = await waitFor(async () => {
        const r = await rawRequest(`${wrong.url}/readyz`);
        return (r.json() as { checks?: { postgres?: string } }).checks?.postgres === 'ok' ? r : undefined;
      });
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ status: 'unavailable', checks: { postgres: 'ok', tokenKey: 'fail' }, failed: expect.arrayContaining(['tokenKey']) });
    } finally {
      await wrong.close();
    }
    const res = await waitFor(async () => {
      const r = await rawRequest(`${app.url}/readyz`);
      return r.status === 200 ? r : undefined;
    });
    expect(res.json()).toMatchObject({ checks: { tokenKey: 'ok' } });
  });
});

describe('webhook while Redis is down', () => {
  it('answers 503 + Retry-After and loses nothing: Kick\'s retry after recovery is enqueued', async () => {
    const down = await h.start({ REDIS_URL: `redis://127.0.0.1:${closedPort}` });
    const delivery = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: samplePayloads['channel.followed'] });
    const id = delivery.headers['Kick-Event-Message-Id']!;
    try {
      const started = Date.now();
      const res = await postDelivery(down.url, delivery);
      expect(res.status).toBe(503);
      expect(res.json().error).toBe('queue_unavailable');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await queue.getJob(id)).toBeUndefined();
      const metrics = await rawRequest(`${down.url}/metrics`);
      expect(metrics.body).toMatch(/kickcord_webhook_deliveries_total\{type="channel.followed",outcome="queue_unavailable"\} 1/);
    } finally {
      await down.close();
    }
    // Kick retries the same delivery once we are healthy again.
    const retry = await postDelivery(app.url, delivery);
    expect(retry.status).toBe(200);
    expect(retry.json()).toEqual({ status: 'enqueued' });
    expect((await queue.getJob(id))?.data.messageId).toBe(id);
  });
});

describe('/metrics', () => {
  it('exposes the webhook counters, histogram, queue depth gauge and process metrics', async () => {
    await postDelivery(app.url, signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: samplePayloads['channel.followed'] }));
    const bad = signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: samplePayloads['channel.followed'] });
    bad.headers['Kick-Event-Signature'] = '%%%';
    await postDelivery(app.url, bad);
    const res = await rawRequest(`${app.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/kickcord_webhook_deliveries_total\{type="channel.followed",outcome="enqueued"\} [1-9]/);
    expect(res.body).toMatch(/kickcord_webhook_verification_failures_total\{reason="bad_signature_encoding"\} 1/);
    expect(res.body).toMatch(/kickcord_webhook_enqueue_seconds_count [1-9]/);
    expect(res.body).toMatch(/kickcord_queue_depth\{state="waiting"\} [1-9]/);
    expect(res.body).toMatch(/nodejs_heap_size_used_bytes/);
  });
});

describe('Bull Board at /admin/queues', () => {
  const auth = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  it('401 without credentials, with a wrong password, or another user', async () => {
    const none = await rawRequest(`${app.url}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await rawRequest(`${app.url}/admin/queues`, { headers: auth('admin', 'wrong password!!') })).status).toBe(401);
    expect((await rawRequest(`${app.url}/admin/queues`, { headers: auth('root', 'correct horse battery staple') })).status).toBe(401);
    expect((await rawRequest(`${app.url}/admin/queues/api/queues`, { headers: auth('admin', 'nope') })).status).toBe(401);
  });

  it('200 with the right password, and lists the kick-events queue', async () => {
    const page = await rawRequest(`${app.url}/admin/queues`, { headers: auth('admin', 'correct horse battery staple') });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/html/);
    const api = await rawRequest(`${app.url}/admin/queues/api/queues`, { headers: auth('admin', 'correct horse battery staple') });
    expect(api.status).toBe(200);
    expect(api.body).toContain('kick-events');
  });

  it('404 when ADMIN_PASSWORD is not set', async () => {
    const plain = await h.start();
    try {
      expect((await rawRequest(`${plain.url}/admin/queues`)).status).toBe(404);
      expect((await rawRequest(`${plain.url}/admin/queues`, { headers: auth('admin', 'correct horse battery staple') })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('public leaderboard', () => {
  it('shows the top viewers by points of an active guild, escaped', async () => {
    const guildId = uniqueGuildId();
    await h.db.prisma.guild.create({ data: { id: guildId, name: 'Cozy <Corner>' } });
    await h.db.prisma.viewerStats.createMany({
      data: [
        { guildId, kickUserId: 1, username: 'alice', points: 50, activeMinutes: 10 },
        { guildId, kickUserId: 2, username: '<script>alert(1)</script>', points: 900, activeMinutes: 3 },
        ...Array.from({ length: 60 }, (_, i) => ({ guildId, kickUserId: 100 + i, username: `v${i}`, points: i, activeMinutes: 0 })),
      ],
    });
    const res = await rawRequest(`${app.url}/leaderboard/${guildId}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/html/);
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('&#60;script&#62;alert(1)&#60;&#47;script&#62;');
    expect(res.body).toContain('Cozy &#60;Corner&#62;');
    expect(res.body.indexOf('&#60;script')).toBeLessThan(res.body.indexOf('alice'));
    expect((res.body.match(/<tr><td class="n">/g) ?? []).length).toBe(50);
  });

  it('leaves out viewers on the exclude list (bans, moderators) but not an ended timeout', async () => {
    const guildId = uniqueGuildId();
    await h.db.prisma.guild.create({ data: { id: guildId, name: 'Strict' } });
    await h.db.prisma.viewerStats.createMany({
      data: [
        { guildId, kickUserId: 1, username: 'banned_one', points: 900 },
        { guildId, kickUserId: 2, username: 'timed_out', points: 800 },
        { guildId, kickUserId: 3, username: 'timeout_over', points: 700 },
        { guildId, kickUserId: 4, username: 'regular', points: 600 },
      ],
    });
    await h.db.prisma.leaderboardExclusion.createMany({
      data: [
        { guildId, kickUserId: 1, username: 'banned_one', source: 'ban' },
        { guildId, kickUserId: 2, username: 'timed_out', source: 'ban', expiresAt: new Date(Date.now() + 3_600_000) },
        { guildId, kickUserId: 3, username: 'timeout_over', source: 'ban', expiresAt: new Date(Date.now() - 60_000) },
      ],
    });
    const res = await rawRequest(`${app.url}/leaderboard/${guildId}`);
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('banned_one');
    expect(res.body).not.toContain('timed_out');
    expect(res.body).toContain('timeout_over');
    expect(res.body).toContain('regular');
  });

  it('ranks ties alike ("1, 2, 2, 4"), counting no excluded viewer, as /leaderboard and /points do', async () => {
    const guildId = uniqueGuildId();
    await h.db.prisma.guild.create({ data: { id: guildId, name: 'Ties' } });
    await h.db.prisma.viewerStats.createMany({
      data: [
        { guildId, kickUserId: 1, username: 'excluded_top', points: 9000 },
        { guildId, kickUserId: 2, username: 'first', points: 500 },
        { guildId, kickUserId: 3, username: 'tie_a', points: 300, activeMinutes: 9 },
        { guildId, kickUserId: 4, username: 'tie_b', points: 300, activeMinutes: 2 },
        { guildId, kickUserId: 5, username: 'fourth', points: 10 },
      ],
    });
    await h.db.prisma.leaderboardExclusion.create({ data: { guildId, kickUserId: 1, username: 'excluded_top', source: 'moderator' } });
    const res = await rawRequest(`${app.url}/leaderboard/${guildId}`);
    const ranked = [...res.body.matchAll(/<tr><td class="n">(\d+)<\/td><td>([^<]+)<\/td>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(ranked).toEqual(['1 first', '2 tie_a', '2 tie_b', '4 fourth']);
  });

  it('404 for an unknown or inactive guild', async () => {
    const guildId = uniqueGuildId();
    await h.db.prisma.guild.create({ data: { id: guildId, name: 'Gone', active: false, leftAt: new Date() } });
    expect((await rawRequest(`${app.url}/leaderboard/${guildId}`)).status).toBe(404);
    expect((await rawRequest(`${app.url}/leaderboard/${uniqueGuildId()}`)).status).toBe(404);
    expect((await rawRequest(`${app.url}/leaderboard/not-a-snowflake`)).status).toBe(404);
  });
});

describe('errors', () => {
  it('unknown API paths get a JSON 404', async () => {
    const res = await rawRequest(`${app.url}/nope`);
    expect(res.status).toBe(404);
    expect(res.json().error).toBe('not_found');
  });
});
