/**
 * Helpers for the resilience and hostile-input tests: a test-owned redis-server (durable AOF, its own
 * port and directory, killable and restartable), Kick-signed deliveries, and exact-bytes HTTP requests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signKickWebhook } from '@kickcord/kick';
import { waitFor } from '@kickcord/queue';
import { Redis } from 'ioredis';
import { freePort } from '@kickcord/testkit';

/** A redis-server owned by one test file. */
export interface TestRedisServer {
  url: string;
  port: number;
  /** Data directory (the AOF lives here). */
  dir: string;
  /** Stops the server with `signal` (SIGKILL = crash; SIGTERM = clean shutdown) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and directory (reloading its AOF) and waits until it answers PING. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

/**
 * Spawns `redis-server` on a free port with no RDB snapshots and an append-only file fsynced on every
 * write (`--appendonly yes --appendfsync always`): a reply from it means the write is on disk, so a
 * crashed and restarted server still has every job it acknowledged.
 */
export async function startTestRedisServer(options: { binary?: string } = {}): Promise<TestRedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kickcord-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    proc = spawn(
      options.binary ?? 'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no', '--loglevel', 'warning'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const child = proc;
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    probe.on('error', () => undefined);
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
          if (probe.status !== 'ready') await probe.connect().catch(() => undefined);
          return (await probe.ping().catch(() => '')) === 'PONG';
        },
        { timeoutMs: 10_000, description: `redis-server on port ${port} to answer PING` },
      );
    } finally {
      probe.disconnect();
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  await start();
  return {
    url,
    port,
    dir,
    stop,
    start,
    async close() {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A ULID-shaped Kick message id. */
export function kickMessageId(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(24);
  let id = '01';
  for (let i = 0; i < 24; i++) id += alphabet[bytes[i]! % 32];
  return id;
}

/** A delivery exactly as Kick would send it. */
export interface SignedDelivery {
  messageId: string;
  /** The `Kick-Event-Message-Timestamp` it was signed with. */
  timestamp: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Signs a delivery with `privateKeyPem` (override anything; `rawBody` wins over `payload`). */
export function signDelivery(
  privateKeyPem: string,
  input: { type: string; payload?: unknown; version?: string; messageId?: string; timestamp?: string; subscriptionId?: string; rawBody?: Buffer | string },
): SignedDelivery {
  const messageId = input.messageId ?? kickMessageId();
  const timestamp = input.timestamp ?? new Date().toISOString();
  const body = input.rawBody === undefined ? Buffer.from(JSON.stringify(input.payload)) : Buffer.from(input.rawBody);
  return {
    messageId,
    timestamp,
    body,
    headers: {
      'Content-Type': 'application/json',
      'Kick-Event-Message-Id': messageId,
      'Kick-Event-Subscription-Id': input.subscriptionId ?? kickMessageId(),
      'Kick-Event-Signature': signKickWebhook({ messageId, timestamp, rawBody: body, privateKey: privateKeyPem }),
      'Kick-Event-Message-Timestamp': timestamp,
      'Kick-Event-Type': input.type,
      'Kick-Event-Version': input.version ?? '1',
    },
  };
}

/** The answer to {@link rawHttp}: status 0 when the server closed without answering (or the client timed out). */
export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** How the exchange ended. */
  ended: 'response' | 'closed' | 'timeout';
}

/**
 * Sends exact bytes (one HTTP/1.1 request, possibly malformed) on a fresh TCP connection and reads one
 * response (Content-Length or until close; `headOnly` for HEAD: headers only). `timeoutMs` bounds the whole
 * exchange (slowloris clients).
 */
export function rawHttp(port: number, request: Buffer | string, options: { timeoutMs?: number; host?: string; endAfterWrite?: boolean; headOnly?: boolean } = {}): Promise<RawHttpResponse> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: options.host ?? '127.0.0.1' });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (ended: RawHttpResponse['ended']) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = buf.toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      const head = headEnd === -1 ? text : text.slice(0, headEnd);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      resolve({ status: status ? Number(status) : 0, headers, body: headEnd === -1 ? '' : buf.subarray(headEnd + 4).toString('utf8'), ended: status ? 'response' : ended });
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const text = buf.toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd === -1) return;
      if (options.headOnly) return finish('response');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, headEnd))?.[1];
      if (length !== undefined && buf.length >= headEnd + 4 + Number(length)) finish('response');
    });
    socket.on('error', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.write(request);
    if (options.endAfterWrite) socket.end();
  });
}

/** Serializes a request: `head` lines (request line first) + body, with CRLFs. No header is added. */
export function httpRequestBytes(lines: string[], body: Buffer | string = ''): Buffer {
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), Buffer.from(body)]);
}

/** A well-formed request for a signed delivery (headers as given, `Content-Length` added when missing). */
export function deliveryRequestBytes(delivery: { headers: Record<string, string>; body: Buffer }, options: { path?: string; method?: string; extraLines?: string[] } = {}): Buffer {
  const lines = [`${options.method ?? 'POST'} ${options.path ?? '/webhooks/kick'} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of Object.entries(delivery.headers)) lines.push(`${name}: ${value}`);
  if (!Object.keys(delivery.headers).some((h) => h.toLowerCase() === 'content-length' || h.toLowerCase() === 'transfer-encoding')) lines.push(`Content-Length: ${delivery.body.length}`);
  lines.push(...(options.extraLines ?? []));
  return httpRequestBytes(lines, delivery.body);
}
