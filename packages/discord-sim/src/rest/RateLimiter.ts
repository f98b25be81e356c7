import { createHash } from 'node:crypto';
import type { RateLimitOptions, RateLimitStats, RouteLimit } from '../limitTypes.ts';
import type { Reply } from './reply.ts';

/** The route limit Discord applies to sending messages in practice: 5 per 5 s per channel. */
export const DEFAULT_ROUTE_LIMITS: Record<string, RouteLimit> = {
  'POST /channels/{channel_id}/messages': { limit: 5, windowMs: 5000 },
};
/** Limit of routes not listed in `routes` when limits are on. */
export const DEFAULT_OTHER_ROUTE_LIMIT: RouteLimit = { limit: 50, windowMs: 1000 };
/** Discord's global limit: 50 requests per second per bot token. */
export const DEFAULT_GLOBAL_PER_SECOND = 50;

const ID_NAMES: Record<string, string> = {
  channels: 'channel_id',
  guilds: 'guild_id',
  messages: 'message_id',
  members: 'user_id',
  roles: 'role_id',
  applications: 'application_id',
  commands: 'command_id',
  users: 'user_id',
  webhooks: 'webhook_id',
  interactions: 'interaction_id',
};

/** Where a REST request falls for rate limiting. */
export interface RouteKey {
  /** Route shape, e.g. `POST /channels/{channel_id}/messages`. */
  route: string;
  /** Top-level resource the bucket is per: channel, guild, or webhook/interaction id + token; `global` otherwise. */
  major: string;
  /** Opaque bucket hash (`X-RateLimit-Bucket`), the same for every request of the route shape. */
  hash: string;
  /** Interaction callbacks and the interaction webhook are exempt from the global limit (as on Discord). */
  interaction: boolean;
}

/** The route shape, top-level resource and bucket hash of a request path (after `/api/v10`). */
export function routeKey(method: string, path: string): RouteKey {
  const segs = path.split('/');
  const tokenRoute = segs[1] === 'webhooks' || segs[1] === 'interactions';
  const shape = segs
    .map((seg, i) => {
      if (i === 3 && tokenRoute) return segs[1] === 'webhooks' ? '{webhook_token}' : '{interaction_token}';
      return /^\d+$/.test(seg) ? `{${ID_NAMES[segs[i - 1] ?? ''] ?? 'id'}}` : seg;
    })
    .join('/');
  const route = `${method} ${shape}`;
  let major = 'global';
  if ((segs[1] === 'channels' || segs[1] === 'guilds') && /^\d+$/.test(segs[2] ?? '')) major = segs[2] as string;
  else if (tokenRoute && segs[2] && segs[3]) major = `${segs[2]}/${segs[3]}`;
  const hash = createHash('sha1').update(route).digest('hex').slice(0, 32);
  return { route, major, hash, interaction: tokenRoute };
}

interface Window {
  count: number;
  resetAt: number;
}

interface Settings {
  routes: Record<string, RouteLimit>;
  otherRoutes: RouteLimit | null;
  globalPerSecond: number | null;
}

const fmt = (sec: number): string => String(Math.ceil(sec * 1000) / 1000);

/**
 * Discord's REST rate limits: fixed-window buckets per route shape and top-level resource, answered
 * with `X-RateLimit-*` headers, and a global per-token limit per second. Off until configured; 429s
 * (including ones forced with `rateLimitNext`) are counted for {@link RateLimitStats}.
 */
export class RateLimiter {
  private settings: Settings | null = null;
  private readonly buckets = new Map<string, Window>();
  private readonly globals = new Map<string, Window>();
  private stats: RateLimitStats = emptyStats();

  constructor(options?: RateLimitOptions | false) {
    this.configure(options);
  }

  /** Turn limits on with `options` (missing fields take Discord's defaults) or off with `false`/undefined; clears every window. */
  configure(options?: RateLimitOptions | false): void {
    this.buckets.clear();
    this.globals.clear();
    if (!options) {
      this.settings = null;
      return;
    }
    this.settings = {
      routes: { ...DEFAULT_ROUTE_LIMITS, ...(options.routes ?? {}) },
      otherRoutes: options.otherRoutes === undefined ? DEFAULT_OTHER_ROUTE_LIMIT : options.otherRoutes,
      globalPerSecond: options.globalPerSecond === undefined ? DEFAULT_GLOBAL_PER_SECOND : options.globalPerSecond,
    };
  }

  get enabled(): boolean {
    return this.settings !== null;
  }

  /**
   * Take one request from the global and route limits. Answers the 429 to send, or the headers the
   * answer must carry (none when limits are off or the route has no limit).
   */
  take(key: RouteKey, authorization: string | undefined, now = Date.now()): { limited: Reply } | { headers: Record<string, string> } {
    const s = this.settings;
    if (!s) return { headers: {} };
    if (s.globalPerSecond !== null && !key.interaction) {
      const g = windowAt(this.globals, authorization ?? 'anonymous', 1000, now);
      if (g.count >= s.globalPerSecond) {
        const retry = (g.resetAt - now) / 1000;
        this.count(key, true);
        return {
          limited: {
            status: 429,
            body: { message: 'You are being rate limited.', retry_after: Number(fmt(retry)), global: true },
            headers: { 'retry-after': fmt(retry), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
          },
        };
      }
      g.count++;
    }
    const limit = s.routes[key.route] ?? s.otherRoutes;
    if (!limit) return { headers: {} };
    const w = windowAt(this.buckets, `${key.hash}:${key.major}`, limit.windowMs, now);
    const resetAfter = (w.resetAt - now) / 1000;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(limit.limit),
      'x-ratelimit-remaining': String(Math.max(0, limit.limit - w.count - 1)),
      'x-ratelimit-reset': fmt(w.resetAt / 1000),
      'x-ratelimit-reset-after': fmt(resetAfter),
      'x-ratelimit-bucket': key.hash,
    };
    if (w.count >= limit.limit) {
      this.count(key, false);
      const scope = limit.scope ?? 'user';
      return {
        limited: {
          status: 429,
          body: { message: 'You are being rate limited.', retry_after: Number(fmt(resetAfter)), global: false },
          headers: { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': fmt(resetAfter), 'x-ratelimit-scope': scope },
        },
      };
    }
    w.count++;
    return { headers };
  }

  /** A 429 forced by `rateLimitNext` (counted like any other). */
  forced(key: RouteKey, retryAfterSec: number): Reply {
    this.count(key, false);
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfterSec, global: false },
      headers: {
        'retry-after': String(retryAfterSec),
        'x-ratelimit-limit': String(this.settings?.routes[key.route]?.limit ?? this.settings?.otherRoutes?.limit ?? 5),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': ((Date.now() + retryAfterSec * 1000) / 1000).toFixed(3),
        'x-ratelimit-reset-after': String(retryAfterSec),
        'x-ratelimit-bucket': key.hash,
        'x-ratelimit-scope': 'user',
      },
    };
  }

  /** A copy of the 429 counters. */
  snapshot(): RateLimitStats {
    return { total: this.stats.total, global: this.stats.global, byRoute: { ...this.stats.byRoute }, byBucket: { ...this.stats.byBucket } };
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  private count(key: RouteKey, global: boolean): void {
    this.stats.total++;
    if (global) this.stats.global++;
    this.stats.byRoute[key.route] = (this.stats.byRoute[key.route] ?? 0) + 1;
    if (!global) {
      const bucket = `${key.hash}:${key.major}`;
      this.stats.byBucket[bucket] = (this.stats.byBucket[bucket] ?? 0) + 1;
    }
  }
}

function emptyStats(): RateLimitStats {
  return { total: 0, global: 0, byRoute: {}, byBucket: {} };
}

function windowAt(map: Map<string, Window>, key: string, windowMs: number, now: number): Window {
  let w = map.get(key);
  if (!w || now >= w.resetAt) {
    w = { count: 0, resetAt: now + windowMs };
    map.set(key, w);
  }
  return w;
}
