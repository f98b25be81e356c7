import type { Redis } from 'ioredis';

const waits = new WeakMap<Redis, Promise<void>>();

/**
 * Resolves once the connection is ready (at once if it is). Our producer connection has no offline
 * queue — commands fail immediately while it is not ready — so callers right after start or during a
 * reconnect wait here, inside their own timeout, instead of failing at once.
 */
export function whenRedisReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  let wait = waits.get(redis);
  if (!wait) {
    wait = new Promise<void>((resolve) => {
      redis.once('ready', () => {
        waits.delete(redis);
        resolve();
      });
    });
    waits.set(redis, wait);
  }
  return wait;
}
