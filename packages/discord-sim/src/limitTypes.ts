/** Public types of the simulator's sharding and rate-limit behaviour (options and the stats tests read). */

/** Sharding options of {@link DiscordSimOptions.sharding}. Defaults are Discord's figures. */
export interface ShardingOptions {
  /** Guilds per shard behind `GET /gateway/bot`'s recommended `shards` = max(1, ceil(guilds / this)) (default 1000). */
  guildsPerShard?: number;
  /** A session holding more guilds than this is closed with 4011 Sharding required (default 2500). */
  maxGuildsPerShard?: number;
  /** `session_start_limit.max_concurrency`: IDENTIFY rate-limit keys are `shard_id % maxConcurrency` (default 1). */
  maxConcurrency?: number;
  /** One IDENTIFY per key per this many ms (default 5000). */
  identifyWindowMs?: number;
  /**
   * Answer a too-fast IDENTIFY with op 9 Invalid Session, as Discord does (default false: it is only
   * recorded in {@link GatewayStats.identifyLog} with `tooFast: true`, and the gateway session starts).
   */
  enforceIdentifyRateLimit?: boolean;
  /** `session_start_limit.total` (default 1000); once used up, IDENTIFY is closed with 4004 (Discord resets the token). */
  sessionStartLimit?: number;
  /** When the session-start budget refills (default 24 h). */
  sessionStartResetMs?: number;
}

/** One route's limit: `limit` requests per `windowMs`, per top-level resource. */
export interface RouteLimit {
  limit: number;
  windowMs: number;
  /** `X-RateLimit-Scope` of its 429s (default `user`; `shared` for per-resource limits). */
  scope?: 'user' | 'shared';
}

/**
 * REST rate limits of {@link DiscordSimOptions.rateLimits}. Routes are named by shape:
 * `METHOD /path` with ids as `{channel_id}`, `{guild_id}`, `{message_id}`, `{user_id}`, `{role_id}`,
 * `{application_id}`, `{command_id}`, `{webhook_id}/{webhook_token}`, `{interaction_id}/{interaction_token}`.
 */
export interface RateLimitOptions {
  /** Limits by route shape, merged over the default `POST /channels/{channel_id}/messages`: 5 per 5000 ms. */
  routes?: Record<string, RouteLimit>;
  /** Limit of every other route (default 50 per 1000 ms); null = those routes have no route limit and no headers. */
  otherRoutes?: RouteLimit | null;
  /** Requests per second per bot token across routes; interaction routes are exempt (default 50; null = none). */
  globalPerSecond?: number | null;
}

/** 429s the simulator answered since start or the last {@link DiscordSim.resetRateLimitStats}. */
export interface RateLimitStats {
  total: number;
  /** Of which global (`X-RateLimit-Global`). */
  global: number;
  /** By route shape, e.g. `POST /channels/{channel_id}/messages`. */
  byRoute: Record<string, number>;
  /** Route-limit 429s by `<bucket hash>:<top-level resource>`. */
  byBucket: Record<string, number>;
}

/** One IDENTIFY with a valid token. */
export interface GatewayIdentifyRecord {
  /** `[shard_id, num_shards]` as sent (null if malformed). */
  shard: [number, number] | null;
  /** `shard_id % max_concurrency` (null if the shard was invalid). */
  rateLimitKey: number | null;
  at: Date;
  /** `ready`, or why the gateway session did not start. */
  outcome: 'ready' | 'invalid_session' | 'invalid_shard' | 'sharding_required' | 'session_limit';
  /** Sent sooner than `identifyWindowMs` after the last accepted IDENTIFY of the same key. */
  tooFast: boolean;
  /** The gateway session it started, if any. */
  sessionId: string | null;
}

/** A gateway session (connected or waiting to be resumed). */
export interface GatewaySessionInfo {
  id: string;
  shard: [number, number];
  connected: boolean;
  intents: number;
  identifiedAt: Date;
  /** Sequence number of the last dispatch sent to it (READY is 1): how many events it has been given. */
  lastSequence: number;
}

/** A close the gateway initiated with an error code (4xxx). */
export interface GatewayCloseRecord {
  code: number;
  reason: string;
  at: Date;
}

/** What {@link DiscordSim.gatewayStats} answers. */
export interface GatewayStats {
  /** IDENTIFYs answered with READY. */
  identifies: number;
  /** RESUMEs answered with RESUMED. */
  resumes: number;
  /** Open, identified sockets. */
  connected: number;
  /** Every IDENTIFY with a valid token, in order. */
  identifyLog: GatewayIdentifyRecord[];
  /** IDENTIFYs that came too fast for their rate-limit key (`tooFast`); a well-behaved client keeps this 0. */
  identifyRateLimitViolations: number;
  /** `session_start_limit` as `GET /gateway/bot` would answer now. */
  sessionStartLimit: { total: number; remaining: number; reset_after: number; max_concurrency: number };
  sessions: GatewaySessionInfo[];
  closes: GatewayCloseRecord[];
}
