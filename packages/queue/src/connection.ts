import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/** A connection to a single Redis server or to a Redis Cluster: both speak the same commands. */
export type RedisConnection = Redis | Cluster;

/** What {@link parseRedisUrl} read from `REDIS_URL`. */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: { host: string; port: number }[]; username?: string; password?: string; tls: boolean };

const CLUSTER_SCHEMES: Record<string, boolean> = { 'redis+cluster:': false, 'rediss+cluster:': true };

/** Thrown for a `REDIS_URL` that names neither a Redis server nor a cluster in a form kickcord understands. */
export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
}

/**
 * Reads `REDIS_URL`. A single server is `redis://[user:pass@]host:port[/db]` (or `rediss://` for TLS).
 * A Redis Cluster is `redis+cluster://[user:pass@]host:port[?nodes=host:port,host:port]` (or
 * `rediss+cluster://`): the host in the URL and any `nodes` are seed nodes — the client discovers the
 * rest of the cluster from them. A cluster has one database, so a path is refused.
 */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisUrlError('REDIS_URL is not a URL: use redis://host:port, or redis+cluster://host:port?nodes=host:port,host:port for a Redis Cluster');
  }
  const tls = CLUSTER_SCHEMES[parsed.protocol];
  if (tls === undefined) {
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
      throw new RedisUrlError(`REDIS_URL scheme "${parsed.protocol}" is not supported: use redis://, rediss://, redis+cluster:// or rediss+cluster://`);
    }
    return { kind: 'single', url };
  }
  if (parsed.pathname !== '' && parsed.pathname !== '/') {
    throw new RedisUrlError('a Redis Cluster has only database 0: remove the path from REDIS_URL');
  }
  const seeds = [parsed.host, ...(parsed.searchParams.get('nodes') ?? '').split(',')].map((s) => s.trim()).filter((s) => s !== '');
  const nodes = seeds.map((seed) => {
    const match = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(seed);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) throw new RedisUrlError(`REDIS_URL cluster node "${seed}" must be host:port`);
    return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
  });
  return {
    kind: 'cluster',
    nodes,
    tls,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/** Options of {@link createRedisConnection}. */
export type RedisConnectionOptions = {
  /**
   * `worker` (default): commands wait through reconnects (BullMQ workers need `maxRetriesPerRequest: null`).
   * `producer`: commands fail at once while Redis is away, so the web app can answer 503.
   */
  usage?: 'producer' | 'worker';
  connectionName?: string;
} & RedisOptions;

/**
 * Creates an ioredis connection — a `Redis` for a `redis://` URL, a `Cluster` for `redis+cluster://`
 * (see {@link parseRedisUrl}). BullMQ takes either as its `connection`.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): RedisConnection {
  const { usage = 'worker', ...rest } = options;
  const redisOptions: RedisOptions = {
    maxRetriesPerRequest: usage === 'worker' ? null : 1,
    enableOfflineQueue: usage === 'worker',
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...rest,
  };
  const target = parseRedisUrl(url);
  if (target.kind === 'single') return new Redis(url, redisOptions);
  const { keyPrefix, enableOfflineQueue, ...nodeOptions } = redisOptions;
  const clusterOptions: ClusterOptions = {
    redisOptions: {
      ...nodeOptions,
      ...(target.username ? { username: target.username } : {}),
      ...(target.password ? { password: target.password } : {}),
      ...(target.tls ? { tls: {} } : {}),
    },
    enableOfflineQueue: enableOfflineQueue ?? true,
    clusterRetryStrategy: (times) => Math.min(times * 200, 2_000),
    slotsRefreshTimeout: 2_000,
    ...(keyPrefix ? { keyPrefix } : {}),
  };
  return new Cluster(target.nodes, clusterOptions);
}

const readyWaits = new WeakMap<RedisConnection, Promise<void>>();

/**
 * Resolves once the connection is ready (at once if it is). A producer connection has no offline
 * queue — commands fail immediately while it is not ready — so callers right after start or during a
 * reconnect wait here, inside their own timeout, instead of failing at once.
 */
export function whenRedisReady(redis: RedisConnection): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  let wait = readyWaits.get(redis);
  if (!wait) {
    wait = new Promise<void>((resolve) => {
      redis.once('ready', () => {
        readyWaits.delete(redis);
        resolve();
      });
    });
    readyWaits.set(redis, wait);
  }
  return wait;
}
