/**
 * The ingest benchmark's delivery pool: N Kick-signed `chat.message.sent` deliveries (distinct message
 * ids, ~700-byte bodies), signed once with a bench key pair and cached in bench/.cache — RSA-2048
 * signing runs at ~1,000/s per core, so signing 150k deliveries on every run would dwarf the run itself.
 */
import { fork } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { samplePayloads } from '@kickcord/kick';

const HERE = dirname(fileURLToPath(import.meta.url));
export const BENCH_DIR = join(HERE, '..');
export const CACHE_DIR = join(BENCH_DIR, '.cache');
const POOL_FILE = join(CACHE_DIR, 'ingest-pool.json');
const POOL_VERSION = 3;
/** Deliveries are accepted for 12 h (WEBHOOK_MAX_AGE_SECONDS default); re-sign well before that. */
const POOL_MAX_AGE_MS = 10 * 60 * 60 * 1000;

export const BROADCASTER_USER_ID = 424242;
export const SUBSCRIPTION_ID = '01JBENCHSUBSCRIPTION000000';
export const EVENT_TYPE = 'chat.message.sent';

/** What is cached on disk. */
export interface PoolFile {
  version: number;
  createdAt: number;
  salt: string;
  timestamp: string;
  privateKeyPem: string;
  publicKeyPem: string;
  signatures: string[];
}

/** A loaded pool: everything needed to rebuild each delivery's exact bytes. */
export interface Pool extends PoolFile {
  size: number;
  id(i: number): string;
  body(i: number): string;
}

const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function idOf(salt: string, i: number): string {
  // A ULID (26 chars of Crockford base32, never all digits), as the web app requires of message ids.
  let tail = '';
  for (let n = i; n > 0; n = Math.floor(n / 32)) tail = CROCKFORD_BASE32[n % 32] + tail;
  return `01JB${salt}${tail.padStart(14, '0')}`;
}

const TARGET_BODY_BYTES = 700;
const ID_MARK = 'XXIDXX';
let template: [string, string] | undefined;
/** The ~700-byte chat body (a realistic chat message without a reply) with `id` as its chat message id. */
export function chatBody(id: string): string {
  if (!template) {
    const sample = structuredClone(samplePayloads['chat.message.sent']);
    sample.broadcaster.user_id = BROADCASTER_USER_ID;
    sample.replies_to = null;
    if (sample.sender.identity) sample.sender.identity.badges = [{ text: 'Subscriber', type: 'subscriber', count: 3 }];
    sample.message_id = ID_MARK.padEnd(26, '_');
    const base = JSON.stringify(sample).length;
    sample.content += ' gg'.repeat(Math.max(0, Math.floor((TARGET_BODY_BYTES - base) / 3)));
    const json = JSON.stringify(sample);
    const at = json.indexOf(sample.message_id);
    template = [json.slice(0, at), json.slice(at + 26)];
  }
  return template[0] + id + template[1];
}

function withAccessors(file: PoolFile): Pool {
  return {
    ...file,
    size: file.signatures.length,
    id: (i) => idOf(file.salt, i),
    body: (i) => chatBody(idOf(file.salt, i)),
  };
}

/** Reads the cached pool (undefined when missing, stale, or smaller than `min`). Fresh = created less than 10 h ago. */
export function readPool(min = 0): Pool | undefined {
  if (!existsSync(POOL_FILE)) return undefined;
  try {
    const file = JSON.parse(readFileSync(POOL_FILE, 'utf8')) as PoolFile;
    if (file.version !== POOL_VERSION || Date.now() - file.createdAt > POOL_MAX_AGE_MS || file.signatures.length < min) return undefined;
    return withAccessors(file);
  } catch {
    return undefined;
  }
}

function signRange(file: Omit<PoolFile, 'signatures' | 'createdAt' | 'version'>, from: number, to: number, workers: number): Promise<string[]> {
  const per = Math.ceil((to - from) / workers);
  return Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const start = from + w * per;
      const end = Math.min(to, start + per);
      return new Promise<string[]>((resolve, reject) => {
        if (end <= start) return resolve([]);
        const child = fork(join(HERE, 'signer.ts'), [], { execArgv: ['--import', 'tsx'], cwd: join(BENCH_DIR, '..'), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        child.once('message', (m) => {
          resolve((m as { signatures: string[] }).signatures);
          child.disconnect();
        });
        child.once('error', reject);
        child.once('exit', (code) => {
          if (code) reject(new Error(`signer exited with ${code}`));
        });
        child.send({ privateKeyPem: file.privateKeyPem, salt: file.salt, timestamp: file.timestamp, from: start, to: end });
      });
    }),
  ).then((parts) => parts.flat());
}

/**
 * Returns a cached pool of at least `size` deliveries: reuses bench/.cache when fresh, extends it
 * (same key, salt and timestamp) when too small, and signs a new one (in `workers` processes) otherwise.
 */
export async function ensurePool(size: number, workers: number, log: (line: string) => void): Promise<Pool> {
  const fresh = readPool(0);
  if (fresh && fresh.size >= size) {
    log(`delivery pool: ${fresh.size.toLocaleString('en-US')} pre-signed deliveries from bench/.cache (${Math.round((Date.now() - fresh.createdAt) / 60000)} min old)`);
    return fresh;
  }
  let base: PoolFile;
  if (fresh) {
    base = fresh;
  } else {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    base = {
      version: POOL_VERSION,
      createdAt: Date.now(),
      salt: randomBytes(4).toString('hex').toUpperCase().slice(0, 8),
      timestamp: new Date().toISOString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      signatures: [],
    };
  }
  const have = base.signatures.length;
  const started = performance.now();
  log(`delivery pool: signing ${(size - have).toLocaleString('en-US')} deliveries with RSA-2048 in ${workers} processes (cached in bench/.cache for 10 h)…`);
  const added = await signRange(base, have, size, workers);
  const file: PoolFile = {
    version: POOL_VERSION,
    createdAt: base.createdAt,
    salt: base.salt,
    timestamp: base.timestamp,
    privateKeyPem: base.privateKeyPem,
    publicKeyPem: base.publicKeyPem,
    signatures: [...base.signatures, ...added],
  };
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(POOL_FILE, JSON.stringify(file));
  log(`delivery pool: signed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return withAccessors(file);
}

/** The exact HTTP/1.1 request bytes of delivery `i` (keep-alive, Content-Length, no pipelining). */
export function requestBytes(pool: Pool, i: number, hostHeader: string): Buffer {
  const id = pool.id(i);
  const body = Buffer.from(pool.body(i));
  const head =
    `POST /webhooks/kick HTTP/1.1\r\nHost: ${hostHeader}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n` +
    `Kick-Event-Message-Id: ${id}\r\nKick-Event-Subscription-Id: ${SUBSCRIPTION_ID}\r\nKick-Event-Signature: ${pool.signatures[i]}\r\n` +
    `Kick-Event-Message-Timestamp: ${pool.timestamp}\r\nKick-Event-Type: ${EVENT_TYPE}\r\nKick-Event-Version: 1\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export { idOf };
