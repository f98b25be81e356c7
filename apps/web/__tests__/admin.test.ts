/**
 * Bull Board's protections: a brute-force limit on its basic auth kept in Redis (shared by replicas),
 * read-only unless ADMIN_QUEUES_WRITABLE=1, and every queue of the install listed.
 */
import { createKickEventsQueue, createMaintenanceQueue, createRedisConnection, waitFor, type KickEventJob, type RedisConnection } from '@kickcord/queue';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_LOGIN_FAILURES_KEY } from '../src/index.ts';
import { createHarness, rawRequest, REDIS_URL, type Harness, type WebUnderTest } from './harness.ts';

const PASSWORD = 'correct horse battery staple';
let h: Harness;
let a: WebUnderTest;
let b: WebUnderTest;
let redis: RedisConnection;
let queue: Queue<KickEventJob>;
let maintenance: Queue;

beforeAll(async () => {
  h = await createHarness();
  // Two replicas sharing Redis and the install prefix.
  a = await h.start({ ADMIN_PASSWORD: PASSWORD });
  b = await h.start({ ADMIN_PASSWORD: PASSWORD });
  redis = createRedisConnection(REDIS_URL);
  queue = createKickEventsQueue({ connection: redis, prefix: h.prefix });
  maintenance = createMaintenanceQueue({ connection: redis, prefix: h.prefix });
});

afterAll(async () => {
  await queue?.close();
  await maintenance?.close();
  await redis?.quit();
  await h?.close();
});

let ipCounter = 0;
/** A client address of its own per test (the app trusts X-Forwarded-For from loopback, as behind a proxy). */
const newClientIp = () => `203.0.113.${(process.pid % 100) + ++ipCounter}`;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const adminGet = (app: WebUnderTest, ip: string, authorization?: string, path = '/admin/queues/api/queues') =>
  rawRequest(`${app.url}${path}`, { headers: { 'x-forwarded-for': ip, ...(authorization ? { authorization } : {}) } });

describe('Bull Board login limit (Redis, across replicas)', () => {
  it('locks an address out with 429 + Retry-After after 10 failed logins spread over two replicas, right password included', async () => {
    const ip = newClientIp();
    for (let i = 0; i < 10; i++) {
      const res = await adminGet(i % 2 ? b : a, ip, basic('admin', `wrong password ${i}`));
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    for (const app of [a, b]) {
      const locked = await adminGet(app, ip, basic('admin', PASSWORD));
      expect(locked.status).toBe(429);
      expect(locked.json()).toMatchObject({ error: 'too_many_login_failures' });
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    }
    // The counter lives under the install prefix, expiring with the window.
    const key = `${h.prefix}:${ADMIN_LOGIN_FAILURES_KEY}:${ip}`;
    expect(await redis.get(key)).toBe('10');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60 * 1000);
    // Another address is not affected.
    expect((await adminGet(a, newClientIp(), basic('admin', PASSWORD))).status).toBe(200);
  });

  it('counts a wrong user name as a failure but not a request without credentials', async () => {
    const ip = newClientIp();
    for (let i = 0; i < 15; i++) expect((await adminGet(a, ip)).status).toBe(401);
    expect((await adminGet(b, ip, basic('root', PASSWORD))).status).toBe(401);
    expect(await redis.get(`${h.prefix}:${ADMIN_LOGIN_FAILURES_KEY}:${ip}`)).toBe('1');
    expect((await adminGet(a, ip, basic('admin', PASSWORD))).status).toBe(200);
  });

  it('lets the address in again once the window (ADMIN_AUTH_WINDOW_SECONDS) has passed', async () => {
    const short = await h.start({ ADMIN_PASSWORD: PASSWORD, ADMIN_AUTH_MAX_FAILURES: '2', ADMIN_AUTH_WINDOW_SECONDS: '1' });
    try {
      const ip = newClientIp();
      expect((await adminGet(short, ip, basic('admin', 'nope nope nope'))).status).toBe(401);
      expect((await adminGet(short, ip, basic('admin', 'nope nope nope'))).status).toBe(401);
      const locked = await adminGet(short, ip, basic('admin', PASSWORD));
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBe(1);
      await waitFor(async () => (await adminGet(short, ip, basic('admin', PASSWORD))).status === 200, { timeoutMs: 5_000, intervalMs: 200, description: 'the lock to expire' });
    } finally {
      await short.close();
    }
    expect(() => h.env({ ADMIN_AUTH_MAX_FAILURES: '0' })).toThrow(/ADMIN_AUTH_MAX_FAILURES/);
  });

  it('stays shut (503) when Redis cannot count failures', async () => {
    const down = await h.start({ ADMIN_PASSWORD: PASSWORD, REDIS_URL: 'redis://127.0.0.1:9' });
    try {
      const res = await adminGet(down, newClientIp(), basic('admin', PASSWORD));
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ error: 'admin_unavailable' });
    } finally {
      await down.close();
    }
  });
});

describe('Bull Board is read-only unless ADMIN_QUEUES_WRITABLE=1', () => {
  const auth = basic('admin', PASSWORD);
  const send = (app: WebUnderTest, method: string, path: string, body?: unknown) =>
    rawRequest(`${app.url}/admin/queues${path}`, {
      method,
      headers: { authorization: auth, 'x-forwarded-for': '198.51.100.7', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('lists every queue of the install, each read-only', async () => {
    const res = await send(a, 'GET', '/api/queues');
    expect(res.status).toBe(200);
    const queues = (res.json().queues as { name: string; readOnlyMode: boolean }[]).map((q) => [q.name, q.readOnlyMode]);
    expect(queues).toEqual(expect.arrayContaining([['kick-events', true], ['kick-maintenance', true]]));
    expect(queues).toHaveLength(2);
  });

  it('refuses changes with 405: no unsigned event can be added, no queue paused or emptied', async () => {
    const before = await queue.count();
    const attempts = [
      ['POST', '/api/queues/kick-events/add', { name: 'channel.followed', data: { messageId: 'forged', payload: {} } }],
      ['PUT', '/api/queues/kick-events/pause', undefined],
      ['PUT', '/api/queues/kick-events/empty', undefined],
      ['PUT', '/api/queues/kick-events/obliterate', undefined],
      ['PUT', '/api/queues/pause', undefined],
      ['PATCH', '/api/queues/kick-events/some-job/update-data', { data: {} }],
      ['DELETE', '/api/queues/kick-events', undefined],
    ] as const;
    for (const [method, path, body] of attempts) {
      const res = await send(a, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.json()).toMatchObject({ error: 'read_only' });
      expect(res.headers['allow']).toBe('GET, HEAD');
    }
    expect(await queue.isPaused()).toBe(false);
    expect(await queue.count()).toBe(before);
    expect(() => h.env({ ADMIN_QUEUES_WRITABLE: 'yes' })).toThrow(/ADMIN_QUEUES_WRITABLE/);
  });

  it('with ADMIN_QUEUES_WRITABLE=1 the board may pause and resume a queue', async () => {
    const writable = await h.start({ ADMIN_PASSWORD: PASSWORD, ADMIN_QUEUES_WRITABLE: '1' });
    try {
      const list = await send(writable, 'GET', '/api/queues');
      expect((list.json().queues as { readOnlyMode: boolean }[]).every((q) => q.readOnlyMode === false)).toBe(true);
      expect((await send(writable, 'PUT', '/api/queues/kick-maintenance/pause')).status).toBe(200);
      expect(await maintenance.isPaused()).toBe(true);
      expect((await send(writable, 'PUT', '/api/queues/kick-maintenance/resume')).status).toBe(200);
      expect(await maintenance.isPaused()).toBe(false);
    } finally {
      await writable.close();
    }
  });
});
