import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { signKickWebhook } from '@kickcord/kick';
import { generateKickKeyPair, startKickSim, type KickSim } from '@kickcord/kick-sim';
import { testQueuePrefix } from '@kickcord/queue';
import { closeWebDeps, createWebDeps, createWebServer, parseWebEnv, type WebDeps, type WebEnv, type WebServer } from '../src/index.ts';

export const CLIENT_ID = 'kickcord-test-client';
export const CLIENT_SECRET = 'kickcord-test-secret';
/** Browsers and Kick see this URL; tests call the real server and rewrite the host. */
export const PUBLIC_URL = 'http://kickcord.test';
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const ENCRYPTION_KEY = randomBytes(32).toString('hex');

/** Log lines written by the app under test (to assert what is and is not logged). */
export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export interface WebUnderTest {
  deps: WebDeps & { ownsPrisma: boolean };
  web: WebServer;
  url: string;
  logs: LogSink;
  close(): Promise<void>;
}

export interface Harness {
  db: TestDatabase;
  sim: KickSim;
  keys: { privateKeyPem: string; publicKeyPem: string };
  prefix: string;
  env(overrides?: Record<string, string>): WebEnv;
  /** The same environment as strings, as a child process reads it. */
  envStrings(overrides?: Record<string, string>): Record<string, string>;
  start(overrides?: Record<string, string>): Promise<WebUnderTest>;
  close(): Promise<void>;
}

/** One database, one kick-sim (autoApprove, known signing key) and one Redis prefix for a test file. */
export async function createHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  const keys = generateKickKeyPair();
  const sim = await startKickSim({ autoApprove: true, privateKeyPem: keys.privateKeyPem, webhookRetries: 1 });
  sim.registerApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${PUBLIC_URL}/oauth/kick/callback`], webhookUrl: `${PUBLIC_URL}/webhooks/kick` });
  const prefix = testQueuePrefix('web');
  const running = new Set<WebUnderTest>();
  const envStrings = (overrides: Record<string, string> = {}): Record<string, string> => ({
    DATABASE_URL: db.url,
    REDIS_URL,
    PUBLIC_URL,
    PORT: '0',
    KICK_CLIENT_ID: CLIENT_ID,
    KICK_CLIENT_SECRET: CLIENT_SECRET,
    KICK_API_URL: sim.apiUrl,
    KICK_AUTH_URL: sim.authUrl,
    KICK_WEBHOOK_PUBLIC_KEY: keys.publicKeyPem,
    TOKEN_ENCRYPTION_KEY: ENCRYPTION_KEY,
    LOG_LEVEL: 'info',
    ...overrides,
  });
  const env = (overrides: Record<string, string> = {}) => parseWebEnv(envStrings(overrides));
  return {
    db,
    sim,
    keys,
    prefix,
    env,
    envStrings,
    async start(overrides = {}) {
      const logs = new LogSink();
      const deps = createWebDeps(env(overrides), { queuePrefix: prefix, logDestination: logs });
      const web = createWebServer(deps);
      const { url } = await web.listen(0, '127.0.0.1');
      const handle: WebUnderTest = {
        deps,
        web,
        url,
        logs,
        async close() {
          running.delete(handle);
          await web.close();
          await closeWebDeps(deps);
        },
      };
      running.add(handle);
      return handle;
    },
    async close() {
      for (const h of [...running]) await h.close();
      await sim.close();
      await db.drop();
    },
  };
}

/** A ULID-shaped message id. */
export function messageId(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let id = '01';
  const bytes = randomBytes(24);
  for (let i = 0; i < 24; i++) id += alphabet[bytes[i]! % 32];
  return id;
}

export interface SignedDelivery {
  headers: Record<string, string>;
  body: Buffer;
}

/** A delivery signed with the sim's key, exactly as Kick would send it (override anything). */
export function signedDelivery(
  privateKeyPem: string,
  input: { type: string; payload: unknown; version?: string; messageId?: string; timestamp?: string; subscriptionId?: string; rawBody?: Buffer | string },
): SignedDelivery {
  const id = input.messageId ?? messageId();
  const timestamp = input.timestamp ?? new Date().toISOString();
  const body = input.rawBody === undefined ? Buffer.from(JSON.stringify(input.payload)) : Buffer.from(input.rawBody);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'Kick-Event-Message-Id': id,
      'Kick-Event-Subscription-Id': input.subscriptionId ?? messageId(),
      'Kick-Event-Signature': signKickWebhook({ messageId: id, timestamp, rawBody: body, privateKey: privateKeyPem }),
      'Kick-Event-Message-Timestamp': timestamp,
      'Kick-Event-Type': input.type,
      'Kick-Event-Version': input.version ?? '1',
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): Record<string, unknown>;
}

/** A raw HTTP request with node:http (keeps exact bytes; no redirects followed). */
export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as Record<string, unknown> });
      });
      res.on('error', reject);
    });
    // The server may answer (413) and close before the whole body is written.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (init.body !== undefined) req.end(init.body);
    else req.end();
  });
}

/** POSTs a delivery to the webhook route. */
export function postDelivery(baseUrl: string, delivery: SignedDelivery): Promise<RawResponse> {
  return rawRequest(`${baseUrl}/webhooks/kick`, { method: 'POST', headers: delivery.headers, body: delivery.body });
}

export const uniqueGuildId = (): string => String(100_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15)));
export { randomUUID };
