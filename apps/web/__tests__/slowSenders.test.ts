/**
 * Slow and stalled senders on the webhook route: headers are judged before the body is read, a body has
 * a deadline, unfinished bodies are capped in number and bytes (the oldest make room), slow headers are
 * cut on every route — and 500 slow senders against a web process leave its memory and real deliveries
 * unharmed (before, each could hold its connection and buffered bytes for minutes).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { samplePayloads } from '@kickcord/kick';
import { createKickEventsQueue, createRedisConnection, waitFor, type KickEventJob, type RedisConnection } from '@kickcord/queue';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_BODY_TIMEOUT_MS, REQUEST_TIMEOUT_MS, WEB_NODE_FLAGS } from '../src/index.ts';
import { createHarness, postDelivery, rawRequest, REDIS_URL, signedDelivery, type Harness } from './harness.ts';
import { deliveryHead, openSlowClient, type SlowClient } from './helpers/slowClients.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(HERE, '..', '..', '..');

let h: Harness;
let redis: RedisConnection;
let queue: Queue<KickEventJob>;

beforeAll(async () => {
  h = await createHarness();
  redis = createRedisConnection(REDIS_URL);
  queue = createKickEventsQueue({ connection: redis, prefix: h.prefix });
});

afterAll(async () => {
  await queue?.close();
  await redis?.quit();
  await h?.close();
});

const portOf = (url: string) => Number(new URL(url).port);
const delivery = () => signedDelivery(h.keys.privateKeyPem, { type: 'channel.followed', payload: samplePayloads['channel.followed'] });
const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe('webhook body deadline', () => {
  it('answers 408 body_timeout and closes the connection when the body stalls or trickles past WEBHOOK_BODY_TIMEOUT_MS', async () => {
    const app = await h.start({ WEBHOOK_BODY_TIMEOUT_MS: '300' });
    const clients: SlowClient[] = [];
    try {
      clients.push(await openSlowClient(portOf(app.url), deliveryHead(1_000), Buffer.from('{"broadcaster":')));
      clients.push(await openSlowClient(portOf(app.url), deliveryHead(1_000), Buffer.from('{"broadcaster":'), { trickleEveryMs: 50, maxTrickles: 200 }));
      for (const client of clients) {
        const end = await client.ended;
        expect(end.byServer).toBe(true);
        expect(end.status).toBe(408);
        expect(json(end.body)).toMatchObject({ error: 'body_timeout' });
        expect(end.head.toLowerCase()).toContain('connection: close');
        // The deadline is checked every quarter of it: 300 ms late at most, plus scheduling.
        const took = end.at - client.sentAt;
        expect(took).toBeGreaterThanOrEqual(290);
        expect(took).toBeLessThan(300 + 75 + 2_000);
      }
      expect(app.web.pendingWebhookBodies).toBe(0);
      expect(app.web.pendingWebhookBodyBytes).toBe(0);
      const metrics = await rawRequest(`${app.url}/metrics`);
      expect(metrics.body).toMatch(/kickcord_webhook_deliveries_total\{type="unverified",outcome="body_timeout"\} 2/);
      // A real delivery on the same server is unaffected.
      expect((await postDelivery(app.url, delivery())).json()).toEqual({ status: 'enqueued' });
    } finally {
      for (const c of clients) c.stop();
      await app.close();
    }
  });

  it(`defaults to ${DEFAULT_WEBHOOK_BODY_TIMEOUT_MS} ms, and refuses a deadline out of range`, () => {
    expect(h.env().WEBHOOK_BODY_TIMEOUT_MS).toBe(DEFAULT_WEBHOOK_BODY_TIMEOUT_MS);
    expect(() => h.env({ WEBHOOK_BODY_TIMEOUT_MS: '10' })).toThrow(/WEBHOOK_BODY_TIMEOUT_MS/);
    expect(() => h.env({ WEBHOOK_BODY_TIMEOUT_MS: 'soon' })).toThrow(/WEBHOOK_BODY_TIMEOUT_MS/);
    expect(() => h.env({ WEBHOOK_MAX_BODY_BYTES: '65536', WEBHOOK_PENDING_BODY_BYTES: '4096' })).toThrow(/WEBHOOK_PENDING_BODY_BYTES/);
  });
});

describe('headers are judged before the body is read', () => {
  it('refuses a stale delivery, a message id of the wrong shape and a truncated signature at once, without waiting for the body', async () => {
    // A deadline far longer than the test: an answer can only come from the header checks.
    const app = await h.start({ WEBHOOK_BODY_TIMEOUT_MS: '60000' });
    try {
      const cases: [Record<string, string>, number, string][] = [
        [{ 'Kick-Event-Message-Timestamp': new Date(Date.now() - 13 * 3600_000).toISOString() }, 400, 'stale_timestamp'],
        [{ 'Kick-Event-Message-Timestamp': new Date(Date.now() + 3600_000).toISOString() }, 400, 'future_timestamp'],
        [{ 'Kick-Event-Message-Timestamp': 'yesterday' }, 400, 'bad_timestamp'],
        [{ 'Kick-Event-Message-Id': 'marker' }, 400, 'bad_message_id'],
        [{ 'Kick-Event-Signature': 'QUJD' }, 401, 'bad_signature_encoding'],
        [{ 'Kick-Event-Signature': '' }, 400, 'missing_header'],
      ];
      for (const [headers, status, error] of cases) {
        const client = await openSlowClient(portOf(app.url), deliveryHead(100_000, headers), Buffer.alloc(0));
        const end = await client.ended;
        expect(end.status, error).toBe(status);
        expect(json(end.body)).toMatchObject({ error });
        expect(end.byServer).toBe(true);
        expect(end.at - client.sentAt).toBeLessThan(1_000);
      }
      expect(app.web.pendingWebhookBodies).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('unfinished bodies are capped', () => {
  it('one more than WEBHOOK_MAX_PENDING_BODIES ends the oldest with 503 + Retry-After, and a real delivery still gets through', async () => {
    const app = await h.start({ WEBHOOK_MAX_PENDING_BODIES: '3', WEBHOOK_BODY_TIMEOUT_MS: '60000' });
    const clients: SlowClient[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        clients.push(await openSlowClient(portOf(app.url), deliveryHead(1_000), Buffer.from('{')));
        await waitFor(() => app.web.pendingWebhookBodies === i + 1, { description: `${i + 1} pending bodies` });
      }
      clients.push(await openSlowClient(portOf(app.url), deliveryHead(1_000), Buffer.from('{')));
      const first = await clients[0]!.ended;
      expect(first.status).toBe(503);
      expect(first.byServer).toBe(true);
      expect(json(first.body)).toMatchObject({ error: 'overloaded' });
      expect(first.head.toLowerCase()).toMatch(/retry-after: \d+/);
      await waitFor(() => app.web.pendingWebhookBodies === 3, { description: 'the newest three pending' });

      // A real delivery arrives whole: it takes the second one's place and is enqueued.
      const real = delivery();
      const res = await postDelivery(app.url, real);
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ status: 'enqueued' });
      expect(await queue.getJob(real.headers['Kick-Event-Message-Id']!)).toBeDefined();
      expect((await clients[1]!.ended).status).toBe(503);
      expect(app.web.pendingWebhookBodies).toBe(2);
      const metrics = await rawRequest(`${app.url}/metrics`);
      expect(metrics.body).toMatch(/kickcord_webhook_deliveries_total\{type="unverified",outcome="overloaded"\} 2/);
      expect(metrics.body).toMatch(/kickcord_webhook_pending_bodies 2/);
    } finally {
      for (const c of clients) c.stop();
      await app.close();
    }
  });

  it('bytes past WEBHOOK_PENDING_BODY_BYTES end the oldest unfinished bodies', async () => {
    const app = await h.start({ WEBHOOK_MAX_BODY_BYTES: '65536', WEBHOOK_PENDING_BODY_BYTES: '131072', WEBHOOK_BODY_TIMEOUT_MS: '60000' });
    const clients: SlowClient[] = [];
    const part = Buffer.alloc(60 * 1024, 0x20);
    try {
      for (let i = 0; i < 2; i++) {
        clients.push(await openSlowClient(portOf(app.url), deliveryHead(65_536), part));
        await waitFor(() => app.web.pendingWebhookBodyBytes === (i + 1) * part.length, { description: `${i + 1} × 60 KiB buffered` });
      }
      clients.push(await openSlowClient(portOf(app.url), deliveryHead(65_536), part));
      const first = await clients[0]!.ended;
      expect(first.status).toBe(503);
      expect(json(first.body)).toMatchObject({ error: 'overloaded' });
      await waitFor(() => app.web.pendingWebhookBodyBytes === 2 * part.length, { description: 'the newest two buffered' });
      expect(app.web.pendingWebhookBodies).toBe(2);
    } finally {
      for (const c of clients) c.stop();
      await app.close();
    }
  });
});

describe('server timeouts on every route', () => {
  it('sets the headers timeout (HTTP_HEADERS_TIMEOUT_MS) and the request timeout, and cuts slow headers off with 408', async () => {
    const defaults = await h.start();
    try {
      expect(defaults.web.server.headersTimeout).toBe(10_000);
      expect(defaults.web.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
      // Closing before the queue's connection is set up leaves BullMQ's start-up check unanswered.
      await waitFor(async () => (await rawRequest(`${defaults.url}/readyz`)).status === 200, { description: 'ready' });
    } finally {
      await defaults.close();
    }
    const app = await h.start({ HTTP_HEADERS_TIMEOUT_MS: '1000' });
    try {
      expect(app.web.server.headersTimeout).toBe(1_000);
      const client = await openSlowClient(portOf(app.url), Buffer.from('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '), Buffer.alloc(0), { trickleEveryMs: 100, maxTrickles: 100 });
      const end = await client.ended;
      expect(end.byServer).toBe(true);
      expect(end.status).toBe(408);
      // Node checks connections once a second.
      expect(end.at - client.sentAt).toBeLessThan(1_000 + 1_000 + 1_000);
      expect((await rawRequest(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
    expect(() => h.env({ HTTP_HEADERS_TIMEOUT_MS: '100' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
  });
});

/** The web app in a child process (so its RSS is its own), on the harness's database, Redis prefix and key. */
async function startWebChild(env: Record<string, string>): Promise<{ port: number; rss(): Promise<number>; close(): Promise<void> }> {
  const child: ChildProcess = fork(join(HERE, 'helpers', 'webChild.ts'), [], {
    execArgv: ['--import', 'tsx', ...WEB_NODE_FLAGS],
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('web child not ready within 30 s')), 30_000);
    child.on('message', (m) => {
      const message = m as { type?: string; port?: number };
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error('web child exited before it was ready'));
    });
  });
  return {
    port,
    rss: () =>
      new Promise<number>((resolve) => {
        const onMessage = (m: unknown) => {
          const message = m as { type?: string; rss?: number };
          if (message.type !== 'rss') return;
          child.off('message', onMessage);
          resolve(message.rss!);
        };
        child.on('message', onMessage);
        child.send({ type: 'rss' });
      }),
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

describe('500 slow senders', () => {
  const SLOW = 500;
  const BATCH = 50;
  const REAL_PER_BATCH = 5;
  const BODY_TIMEOUT_MS = 1_000;
  const DECLARED = 256 * 1024;
  const FIRST_PART = Buffer.alloc(128 * 1024, 0x20);
  const MB = 1024 * 1024;

  it('are each cut off within the deadline while real deliveries are enqueued, and the server\'s RSS stays near its baseline', async () => {
    const web = await startWebChild({
      ...h.envStrings({ WEBHOOK_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS), LOG_LEVEL: 'warn' }),
      WEB_TEST_QUEUE_PREFIX: h.prefix,
    });
    const url = `http://127.0.0.1:${web.port}`;
    const clients: SlowClient[] = [];
    try {
      // Warm up (JIT, pools, connections) before the baseline.
      for (let i = 0; i < 10; i++) {
        const answers = await Promise.all(Array.from({ length: 10 }, () => postDelivery(url, delivery())));
        expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      }
      const baseline = await web.rss();

      let peak = baseline;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peak = Math.max(peak, await web.rss());
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();

      const real: string[] = [];
      for (let batch = 0; batch < SLOW / BATCH; batch++) {
        clients.push(
          ...(await Promise.all(
            Array.from({ length: BATCH }, (_, i) =>
              openSlowClient(web.port, deliveryHead(DECLARED), FIRST_PART, i % 2 ? { trickleEveryMs: 100, maxTrickles: 60 } : {}),
            ),
          )),
        );
        // Real deliveries in between: each must be accepted and enqueued.
        const sent = Array.from({ length: REAL_PER_BATCH }, delivery);
        const answers = await Promise.all(sent.map((d) => postDelivery(url, d)));
        for (const answer of answers) {
          expect(answer.status, answer.body).toBe(200);
          expect(answer.json()).toEqual({ status: 'enqueued' });
        }
        real.push(...sent.map((d) => d.headers['Kick-Event-Message-Id']!));
      }

      const ends = await Promise.all(clients.map((c) => c.ended));
      sampling = false;
      await sampler;
      for (const [i, end] of ends.entries()) {
        expect(end.byServer, `slow sender ${i} closed by the server`).toBe(true);
        // 0: the answer was sent, but closing a socket with unread bytes from the sender resets it, and a
        // reset can discard the answer before the client reads it (rare; the connection is gone either way).
        expect([0, 408, 503], `slow sender ${i}: ${end.head.split('\r\n')[0]}`).toContain(end.status);
        // The deadline is checked every quarter of it; the rest is scheduling on a busy 2-core machine
        // (two processes, 500 sockets) — against the minutes such a sender could hold a connection before.
        expect(end.at - clients[i]!.sentAt).toBeLessThan(BODY_TIMEOUT_MS + BODY_TIMEOUT_MS / 4 + 3_000);
      }
      expect(ends.filter((e) => e.status === 0).length).toBeLessThan(SLOW / 20);
      for (const id of real) expect(await queue.getJob(id), id).toBeDefined();

      // Unfinished bodies are bounded (256 at most, 8 MiB together), so the peak stays well below the
      // 64 MB that 500 × 128 KiB would buffer, and afterwards RSS stays near its baseline.
      expect(peak - baseline).toBeLessThan(60 * MB);
      const after = await waitFor(
        async () => {
          const rss = await web.rss();
          return rss - baseline < 48 * MB ? rss : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 250, description: 'RSS back within 48 MB of its baseline' },
      );
      // (Freed buffers stay partly in the allocator's arenas, so not all of it goes back to the system.)
      expect(after - baseline).toBeLessThan(48 * MB);
      console.info(`500 slow senders: RSS baseline ${(baseline / MB).toFixed(0)} MB, peak +${((peak - baseline) / MB).toFixed(1)} MB, after +${((after - baseline) / MB).toFixed(1)} MB; 408 × ${ends.filter((e) => e.status === 408).length}, 503 × ${ends.filter((e) => e.status === 503).length}, reset × ${ends.filter((e) => e.status === 0).length}`);

      // And the server still serves.
      expect((await postDelivery(url, delivery())).json()).toEqual({ status: 'enqueued' });
    } finally {
      for (const c of clients) c.stop();
      await web.close();
    }
  }, 120_000);
});
