import type { Redis } from 'ioredis';

/** Deletes every key under `prefix:` (a bench queue prefix) with SCAN + UNLINK. */
export async function wipePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 5_000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}
