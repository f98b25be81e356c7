import type { Redis } from 'ioredis';

/** CPU time (user + system) the Redis server used so far, µs (`INFO cpu`: every client of that server). */
export async function redisCpuMicros(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const read = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return (read('used_cpu_sys') + read('used_cpu_user')) * 1e6;
}

/** Calls and server time (µs) per command so far (`INFO commandstats`), by lower-case command name. */
export async function redisCommandStats(redis: Redis): Promise<Record<string, { calls: number; usec: number }>> {
  const info = await redis.info('commandstats');
  const stats: Record<string, { calls: number; usec: number }> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) stats[match[1]!] = { calls: Number(match[2]), usec: Number(match[3]) };
  return stats;
}
