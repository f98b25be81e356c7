import { createHash } from 'node:crypto';
import type { RedisConnection } from './connection.ts';

/** A Lua script and its SHA-1, run by {@link runScript}. */
export interface RedisScript {
  readonly lua: string;
  readonly sha: string;
}

/** Declares a Lua script once (at module load): its SHA-1 is computed here, not per call. */
export function redisScript(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * Runs a script with EVALSHA (the script's text is sent only when the server does not know it yet:
 * NOSCRIPT → EVAL, which also loads it). Unlike ioredis's `defineCommand`, it needs no set-up on the
 * connection, so it is safe on an auto-pipelined connection and on a Redis Cluster (ioredis routes it by
 * its first key; every key a script touches must share that key's slot).
 */
export async function runScript(redis: RedisConnection, script: RedisScript, keys: readonly string[], args: readonly (string | number)[] = []): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script.lua, keys.length, ...keys, ...args);
  }
}
