import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisConnection } from '@kickcord/queue';
import type { IIdentifyThrottler } from 'discord.js';

/** Discord allows one IDENTIFY per rate-limit key (`shard_id % max_concurrency`) every 5 seconds. */
export const IDENTIFY_WINDOW_MS = 5_000;

/**
 * Added to the window: the IDENTIFY of the process that took the slot may reach Discord a little after it
 * took the slot (event loop busy, network), and the next one must still arrive a full window later.
 */
export const IDENTIFY_SAFETY_MARGIN_MS = 500;

/** Options of {@link RedisIdentifyThrottler}. */
export interface RedisIdentifyThrottlerOptions {
  /** Shared by every gateway process of the install. */
  redis: RedisConnection;
  /** `session_start_limit.max_concurrency` from `GET /gateway/bot` (1 for most bots). */
  maxConcurrency: number;
  /** The Redis key of one rate-limit key, e.g. `kc:identify:0` (the install prefix keeps installs apart). */
  key: (rateLimitKey: number) => string;
  /** How long a slot is held (default {@link IDENTIFY_WINDOW_MS} + {@link IDENTIFY_SAFETY_MARGIN_MS}). */
  windowMs?: number;
}

/**
 * discord.js's identify throttler (`ws.buildIdentifyThrottler`) shared by every gateway process through Redis:
 * before a shard identifies, it takes its rate-limit key's slot with `SET key NX PX window`; while another
 * process (or shard) holds the slot it waits for the slot's PTTL and tries again. So shards on different
 * machines never identify faster than Discord allows, however many processes start at once.
 */
export class RedisIdentifyThrottler implements IIdentifyThrottler {
  private readonly windowMs: number;

  constructor(private readonly options: RedisIdentifyThrottlerOptions) {
    if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) throw new RangeError(`maxConcurrency must be an integer ≥ 1 (got ${options.maxConcurrency})`);
    this.windowMs = options.windowMs ?? IDENTIFY_WINDOW_MS + IDENTIFY_SAFETY_MARGIN_MS;
  }

  /** The rate-limit key of a shard: `shard_id % max_concurrency`. */
  rateLimitKey(shardId: number): number {
    return shardId % this.options.maxConcurrency;
  }

  /** Resolves when `shardId` may identify; rejects with the signal's reason once it is aborted. */
  async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const key = this.options.key(this.rateLimitKey(shardId));
    const holder = `${shardId}:${randomUUID()}`;
    for (;;) {
      signal.throwIfAborted();
      const taken = await this.options.redis.set(key, holder, 'PX', this.windowMs, 'NX');
      signal.throwIfAborted();
      if (taken === 'OK') return;
      const ttl = await this.options.redis.pttl(key);
      // -2: the slot expired in between (try again at once); -1 cannot happen with PX, but never wait forever.
      const waitMs = ttl === -2 ? 0 : ttl < 0 ? this.windowMs : ttl;
      // A little jitter so waiters do not all retry in the same millisecond.
      await sleep(waitMs + Math.floor(Math.random() * 25), undefined, { signal });
    }
  }
}
