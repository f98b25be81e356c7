/**
 * The sandbox's local services: checks that PostgreSQL and Redis answer (one clear message otherwise),
 * resets the sandbox database and migrates it, and empties the sandbox's BullMQ queues.
 */
import { createHash } from 'node:crypto';
import { deployMigrations } from '@kickcord/db';
import { createKickEventsQueue, createMaintenanceQueue, createRedisConnection } from '@kickcord/queue';
import pg from 'pg';
import { SandboxServiceError } from './SandboxServiceError.ts';

/** The sandbox's database when nothing else is configured. */
export const DEFAULT_SANDBOX_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/kickcord_sandbox';
/** `docker compose up -d postgres redis` creates this user (see docker-compose.yml). */
export const DOCKER_SANDBOX_DATABASE_URL = 'postgresql://kickcord:kickcord@127.0.0.1:5432/kickcord_sandbox';
export const DEFAULT_SANDBOX_REDIS_URL = 'redis://127.0.0.1:6379';
/** Queue prefix (QUEUE_PREFIX) of the sandbox, so it never touches the queues of a development setup (default `kc`). */
export const SANDBOX_QUEUE_PREFIX = 'kickcord-sandbox';
/** The longest QUEUE_PREFIX web and bot accept. */
const MAX_QUEUE_PREFIX_LENGTH = 32;
/** Name of the sandbox database when it is derived from a development DATABASE_URL. */
export const SANDBOX_DATABASE_NAME = 'kickcord_sandbox';

const CHECK_TIMEOUT_MS = 3_000;
const NAME_PATTERN = /^[A-Za-z0-9_-]{1,63}$/;

/** `url` with its database name replaced by `database`. */
export function withDatabaseName(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The sandbox database URL: `SANDBOX_DATABASE_URL` if given; otherwise the server of `DATABASE_URL` with the
 * database `kickcord_sandbox` (the sandbox resets its database on every start, so it never uses yours);
 * otherwise {@link DEFAULT_SANDBOX_DATABASE_URL}.
 */
export function sandboxDatabaseUrl(env: { SANDBOX_DATABASE_URL?: string; DATABASE_URL?: string }): string {
  if (env.SANDBOX_DATABASE_URL) return env.SANDBOX_DATABASE_URL;
  if (env.DATABASE_URL) return withDatabaseName(env.DATABASE_URL, SANDBOX_DATABASE_NAME);
  return DEFAULT_SANDBOX_DATABASE_URL;
}

function hostPort(url: string, defaultPort: number): string {
  try {
    const u = new URL(url);
    return `${u.hostname || '127.0.0.1'}:${u.port || defaultPort}`;
  } catch {
    return url;
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!NAME_PATTERN.test(name)) throw new SandboxServiceError(`The sandbox database name "${name}" must be 1-63 letters, digits, "_" or "-" (set SANDBOX_DATABASE_URL).`);
  return name;
}

type PgProblem = { kind: 'unreachable' | 'auth' | 'other'; message: string };

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CHECK_TIMEOUT_MS });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** A connection to the server's maintenance database (`postgres`, else `template1`); the caller ends it. */
async function connectAdmin(url: string): Promise<pg.Client> {
  try {
    return await connect(withDatabaseName(url, 'postgres'));
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return connect(withDatabaseName(url, 'template1'));
    throw error;
  }
}

/** Runs `fn` on a maintenance-database connection (see {@link connectAdmin}). */
async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectAdmin(url);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function classifyPg(error: unknown): PgProblem {
  const e = error as { code?: string; message?: string };
  const message = e.message || String(error);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(e.code ?? '') || /timeout|terminated unexpectedly/i.test(message)) {
    return { kind: 'unreachable', message };
  }
  if (['28P01', '28000'].includes(e.code ?? '')) return { kind: 'auth', message };
  return { kind: 'other', message };
}

async function checkPostgres(url: string): Promise<PgProblem | null> {
  try {
    await withAdmin(url, (c) => c.query('SELECT 1'));
    return null;
  } catch (error) {
    return classifyPg(error);
  }
}

async function checkRedis(url: string): Promise<string | null> {
  const redis = createRedisConnection(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: CHECK_TIMEOUT_MS, connectionName: 'kickcord-sandbox-check' });
  let lastError = '';
  redis.on('error', (error: Error) => {
    lastError = error.message;
  });
  try {
    await redis.connect();
    const pong = await redis.ping();
    return pong === 'PONG' ? null : `unexpected PING answer ${pong}`;
  } catch (error) {
    // ioredis reports "Connection is closed." for the attempt; the 'error' event has the cause (ECONNREFUSED…).
    return lastError || (error instanceof Error ? error.message : String(error)) || 'connection failed';
  } finally {
    redis.disconnect();
  }
}

/**
 * Checks PostgreSQL and Redis. When the database URL was not chosen by the user (`explicitDatabase` false)
 * and the default `postgres` user is refused, docker-compose's `kickcord` user is tried too.
 * Returns the database URL to use; throws {@link SandboxServiceError} with one message covering both services.
 */
export async function checkSandboxServices(input: { databaseUrl: string; redisUrl: string; explicitDatabase: boolean }): Promise<{ databaseUrl: string }> {
  let databaseUrl = input.databaseUrl;
  const [firstPgProblem, redisProblem] = await Promise.all([checkPostgres(databaseUrl), checkRedis(input.redisUrl)]);
  let pgProblem = firstPgProblem;
  if (pgProblem?.kind === 'auth' && !input.explicitDatabase) {
    const docker = DOCKER_SANDBOX_DATABASE_URL;
    if ((await checkPostgres(docker)) === null) {
      databaseUrl = docker;
      pgProblem = null;
    }
  }
  if (!pgProblem && !redisProblem) return { databaseUrl };

  const pgAt = hostPort(databaseUrl, 5432);
  const redisAt = hostPort(input.redisUrl, 6379);
  const lines = ['The kickcord sandbox needs PostgreSQL and Redis running locally.'];
  lines.push(pgProblem ? `  ✗ PostgreSQL at ${pgAt}: ${pgProblem.kind === 'unreachable' ? 'not reachable' : 'refused'} (${pgProblem.message})` : `  ✓ PostgreSQL at ${pgAt}`);
  lines.push(redisProblem ? `  ✗ Redis at ${redisAt}: not reachable (${redisProblem})` : `  ✓ Redis at ${redisAt}`);
  const pgDown = pgProblem?.kind === 'unreachable';
  if (pgDown || redisProblem) {
    lines.push('', `Start ${pgDown && redisProblem ? 'them' : pgDown ? 'PostgreSQL' : 'Redis'} with one of:`);
    lines.push('  docker compose up -d postgres redis');
    lines.push('  # or, with the Debian/Ubuntu packages (postgresql, redis-server):');
    if (pgDown) lines.push('  sudo pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start');
    if (redisProblem) lines.push('  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no');
    lines.push('Or point DATABASE_URL / REDIS_URL (in .env) at servers you have; the sandbox uses its own database "kickcord_sandbox" there.');
  }
  if (pgProblem && !pgDown) {
    lines.push('', `PostgreSQL answered but refused ${redact(databaseUrl)}. Point the sandbox at a user that may create databases:`);
    lines.push('  SANDBOX_DATABASE_URL=postgresql://USER:PASSWORD@127.0.0.1:5432/kickcord_sandbox   (in .env or the environment)');
  }
  throw new SandboxServiceError(lines.join('\n'));
}

/**
 * Resets the sandbox database (drop + create; it holds nothing but the previous sandbox run) and applies
 * the migrations. Returns the names of the migrations applied.
 */
export async function resetSandboxDatabase(databaseUrl: string): Promise<string[]> {
  const name = databaseName(databaseUrl);
  try {
    await withAdmin(databaseUrl, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
    });
  } catch (error) {
    throw new SandboxServiceError(
      `Could not reset the sandbox database "${name}" at ${hostPort(databaseUrl, 5432)}: ${error instanceof Error ? error.message : String(error)}\n` +
        'The sandbox drops and re-creates it on every start; its user needs CREATEDB (set SANDBOX_DATABASE_URL to use another user).',
    );
  }
  return deployMigrations(databaseUrl);
}

/**
 * The sandbox's queue prefix: `kickcord-sandbox` on the default database, `kickcord-sandbox-<name>` on another.
 * A name too long for QUEUE_PREFIX (32 characters in all) keeps its start and ends with a hash of the whole
 * name, so two databases never share queues.
 */
export function sandboxQueuePrefix(databaseUrl: string): string {
  const name = databaseName(databaseUrl);
  if (name === databaseName(DEFAULT_SANDBOX_DATABASE_URL)) return SANDBOX_QUEUE_PREFIX;
  const prefix = `${SANDBOX_QUEUE_PREFIX}-${name}`;
  if (prefix.length <= MAX_QUEUE_PREFIX_LENGTH) return prefix;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${prefix.slice(0, MAX_QUEUE_PREFIX_LENGTH - hash.length - 1)}-${hash}`;
}

/**
 * Claims the sandbox database for this process: a session advisory lock on the server's maintenance
 * database, held until the returned release runs (or the process dies). A second `pnpm start` against
 * the same database would otherwise drop it under the running one and share its queues.
 */
export async function lockSandbox(databaseUrl: string): Promise<() => Promise<void>> {
  const name = databaseName(databaseUrl);
  const key = `kickcord-sandbox:${name}`;
  // Held open for the sandbox's lifetime: the advisory lock lives as long as this connection.
  const client = await connectAdmin(databaseUrl);
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [key]);
  if (!rows[0]?.locked) {
    await client.end().catch(() => undefined);
    throw new SandboxServiceError(
      `Another kickcord sandbox is already running against the database "${name}" at ${hostPort(databaseUrl, 5432)}.\n` +
        'Stop it first (Ctrl-C in its terminal), or give this one its own database: SANDBOX_DATABASE_URL=postgresql://…/another_name pnpm start',
    );
  }
  return async () => {
    await client.end().catch(() => undefined);
  };
}

/** Drops the sandbox database (tests clean up with it; `pnpm start` keeps its database for inspection). */
export async function dropSandboxDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  await withAdmin(databaseUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/**
 * Removes every job and scheduler under the sandbox's BullMQ prefix and every other key of the install (the bot's
 * caches, cooldowns and limits, e.g. the demo members' link codes per hour), left over from an earlier run: the
 * database starts afresh, and so does Redis.
 */
export async function resetSandboxQueues(redisUrl: string, prefix: string): Promise<void> {
  const connection = createRedisConnection(redisUrl, { connectionName: 'kickcord-sandbox-reset' });
  connection.on('error', () => undefined);
  const queues = [createKickEventsQueue({ connection, prefix }), createMaintenanceQueue({ connection, prefix })];
  try {
    for (const queue of queues) await queue.obliterate({ force: true });
    // Every primary of a Redis Cluster holds some of the keys; a single server holds them all.
    for (const node of 'nodes' in connection ? connection.nodes('master') : [connection]) {
      for await (const keys of node.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>) {
        // One key at a time: in a cluster, keys of one batch may sit in different slots.
        for (const key of keys) await node.unlink(key);
      }
    }
  } finally {
    await Promise.allSettled(queues.map((q) => q.close()));
    connection.disconnect();
  }
}
