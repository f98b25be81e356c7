import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisConnection, redisScript, runScript } from '../src/index.ts';

const redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true });
const key = `kc-test-script-${randomBytes(4).toString('hex')}`;
afterAll(async () => {
  await redis.del(key);
  redis.disconnect();
});

describe('runScript', () => {
  it('loads an unknown script on first use, then runs it by its SHA-1, also many at once on an auto-pipelined connection', async () => {
    // A script text no server has seen (a random comment), so the first call meets NOSCRIPT.
    const script = redisScript(`-- ${randomBytes(8).toString('hex')}\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])`);
    expect(script.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await redis.script('EXISTS', script.sha)).toEqual([0]);
    const results = await Promise.all(Array.from({ length: 50 }, () => runScript(redis, script, [key], [2])));
    expect(results.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => 2 * (i + 1)));
    expect(await redis.script('EXISTS', script.sha)).toEqual([1]);
    expect(await runScript(redis, script, [key], [1])).toBe(101);
  });

  it('passes real errors through', async () => {
    const broken = redisScript(`-- ${randomBytes(8).toString('hex')}\nreturn redis.call('NOT_A_COMMAND')`);
    await expect(runScript(redis, broken, [key])).rejects.toThrow(/Unknown Redis command|unknown command/i);
  });
});
