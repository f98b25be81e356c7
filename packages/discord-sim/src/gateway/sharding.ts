/** A session's shard: `[shard_id, num_shards]` as sent in IDENTIFY. */
export type ShardTuple = [shardId: number, numShards: number];

/** Discord's sharding formula: `(guild_id >> 22) % num_shards`. */
export function shardOf(guildId: string, numShards: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(numShards));
}

/**
 * The shard of an IDENTIFY: `[0, 1]` when absent, null when malformed or impossible
 * (not two integers, `num_shards < 1`, `shard_id` outside `0 … num_shards - 1`) — Discord closes with 4010.
 */
export function parseShard(raw: unknown): ShardTuple | null {
  if (raw === undefined || raw === null) return [0, 1];
  if (!Array.isArray(raw) || raw.length !== 2) return null;
  const [id, count] = raw as unknown[];
  if (!Number.isSafeInteger(id) || !Number.isSafeInteger(count)) return null;
  const shard: ShardTuple = [id as number, count as number];
  return shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1] ? shard : null;
}

/** Sharding and session-start settings of the simulated gateway (see {@link DiscordSimOptions.sharding}). */
export interface ShardingSettings {
  guildsPerShard: number;
  maxGuildsPerShard: number;
  maxConcurrency: number;
  identifyWindowMs: number;
  sessionStartLimit: number;
  sessionStartResetMs: number;
  enforceIdentifyRateLimit: boolean;
}

/**
 * Defaults: Discord's figures (1,000 guilds per recommended shard, at most 2,500; 1 identify per 5 s;
 * 1,000 session starts a day). Too-fast IDENTIFYs are only recorded by default, so a test stack that
 * restarts its bot within 5 s is not slowed down.
 */
export const DEFAULT_SHARDING: ShardingSettings = {
  guildsPerShard: 1000,
  maxGuildsPerShard: 2500,
  maxConcurrency: 1,
  identifyWindowMs: 5000,
  sessionStartLimit: 1000,
  sessionStartResetMs: 86_400_000,
  enforceIdentifyRateLimit: false,
};

/**
 * Arrivals closer than `identifyWindowMs - IDENTIFY_GRACE_MS` count as too fast. A client that waits the
 * full window by its own clock can still land a little early by ours (its earlier IDENTIFY may have
 * taken longer to arrive than its later one); the grace absorbs that.
 */
export const IDENTIFY_GRACE_MS = 100;

/**
 * Discord's identify limits: one IDENTIFY per `identifyWindowMs` per rate-limit key
 * (`shard_id % max_concurrency`), and a daily budget of session starts.
 */
export class IdentifyLimiter {
  private readonly lastByKey = new Map<number, number>();
  private remaining: number;
  private resetAt: number;

  constructor(readonly settings: ShardingSettings) {
    this.remaining = settings.sessionStartLimit;
    this.resetAt = Date.now() + settings.sessionStartResetMs;
  }

  /** The rate-limit key of a shard id. */
  keyOf(shardId: number): number {
    return shardId % this.settings.maxConcurrency;
  }

  /** Whether an IDENTIFY for this key now would come too soon after the last accepted one. */
  tooSoon(key: number, now = Date.now()): boolean {
    const last = this.lastByKey.get(key);
    return last !== undefined && now - last < this.settings.identifyWindowMs - IDENTIFY_GRACE_MS;
  }

  /** Whether the session-start budget is used up. */
  exhausted(): boolean {
    this.roll();
    return this.remaining <= 0;
  }

  /** Count an accepted IDENTIFY: it starts the key's window and uses one session start. */
  accept(key: number, now = Date.now()): void {
    this.roll();
    this.lastByKey.set(key, now);
    this.remaining = Math.max(0, this.remaining - 1);
  }

  /** `session_start_limit` as `GET /gateway/bot` answers it. */
  sessionStartLimit(): { total: number; remaining: number; reset_after: number; max_concurrency: number } {
    this.roll();
    return { total: this.settings.sessionStartLimit, remaining: this.remaining, reset_after: Math.max(0, this.resetAt - Date.now()), max_concurrency: this.settings.maxConcurrency };
  }

  private roll(): void {
    if (Date.now() < this.resetAt) return;
    this.remaining = this.settings.sessionStartLimit;
    this.resetAt = Date.now() + this.settings.sessionStartResetMs;
  }
}
