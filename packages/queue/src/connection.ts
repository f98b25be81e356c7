import { Redis, type RedisOptions } from 'ioredis';

/**
 * Creates an ioredis connection for BullMQ from a `redis://` URL. BullMQ workers need
 * `maxRetriesPerRequest: null` (blocking commands); producers should fail fast instead, so the web
 * app can answer 503 while Redis is down — pass `{ usage: 'producer' }` there.
 */
export function createRedisConnection(url: string, options: { usage?: 'producer' | 'worker'; connectionName?: string } & RedisOptions = {}): Redis {
  const { usage = 'worker', ...rest } = options;
  return new Redis(url, {
    maxRetriesPerRequest: usage === 'worker' ? null : 1,
    enableOfflineQueue: usage === 'worker',
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...rest,
  });
}
