import { randomUUID } from 'node:crypto';
import { Cluster } from 'ioredis';
import type { RedisConnection } from './connection.ts';

/** The pub/sub channel on which an install's processes announce the cache entries they changed. */
export function cacheInvalidationChannel(prefix: string): string {
  return `${prefix}:cache-invalidation`;
}

/**
 * Tells every process of the install that these Redis cache entries changed (call it after deleting or
 * rewriting them), so each drops its {@link LocalCopies} of them. One PUBLISH; on a Redis Cluster the
 * message reaches subscribers on every node.
 */
export async function announceCacheInvalidation(redis: RedisConnection, prefix: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await redis.publish(cacheInvalidationChannel(prefix), keys.join('\n'));
}

/**
 * Drops cache entries everywhere after their source changed: this process's copies at once, the Redis entries,
 * and (through {@link announceCacheInvalidation}) every other process's copies.
 */
export async function invalidateCacheEntries(redis: RedisConnection, prefix: string, keys: readonly string[], local?: LocalCopies): Promise<void> {
  local?.drop(keys);
  // One DEL per key, so it works on a Redis Cluster whatever slots the keys are in.
  await Promise.all(keys.map((key) => redis.del(key)));
  await announceCacheInvalidation(redis, prefix, keys);
}

/** Options of {@link LocalCopies.start}. */
export interface LocalCopiesOptions {
  /** How long a local copy is used at most, even without an invalidation (default 10 s): the bound on staleness if an announcement is lost. */
  ttlMs?: number;
  /** Most keys held (default 10,000); the oldest copy makes room for a new one. */
  maxEntries?: number;
  /** How long to wait for the subscription to be confirmed at start before serving without copies (default 5 s). */
  confirmTimeoutMs?: number;
}

const PING = 'ping:';

/**
 * Process-local copies of small Redis cache entries that a hot path reads on every message (a guild's
 * settings, a broadcaster's fan-out list), so such a read costs no Redis round trip. Whoever changes an
 * entry calls {@link invalidateCacheEntries} (delete in Redis, then announce); every process subscribed here
 * drops its copy when the announcement arrives.
 *
 * Copies are used only while the subscription is known to work: after a (re)connect the process sends
 * itself a ping through the channel and serves from Redis until the ping comes back, and every copy is
 * dropped when the subscriber connection closes. A copy also expires after `ttlMs`, which bounds how stale
 * a value can be if an announcement is ever lost.
 */
export class LocalCopies {
  readonly #subscriber: RedisConnection;
  readonly #publisher: RedisConnection;
  readonly #channel: string;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #copies = new Map<string, { value: unknown; until: number }>();
  #live = false;
  /** Counts invalidations received: a copy read from Redis before one arrived may predate it. */
  #generation = 0;
  #pendingPing: { ping: string; confirmed: () => void } | null = null;
  #closed = false;

  private constructor(publisher: RedisConnection, prefix: string, options: LocalCopiesOptions) {
    this.#publisher = publisher;
    const connectionName = `${prefix}:local-copies`;
    this.#subscriber = publisher instanceof Cluster ? publisher.duplicate(undefined, { redisOptions: { ...publisher.options.redisOptions, connectionName } }) : publisher.duplicate({ connectionName });
    this.#channel = cacheInvalidationChannel(prefix);
    this.#ttlMs = options.ttlMs ?? 10_000;
    this.#max = options.maxEntries ?? 10_000;
  }

  /**
   * Subscribes a duplicate of `redis` to the install's invalidation channel and waits until a ping has made
   * the round trip (or `confirmTimeoutMs` passed: the copies then stay off until a later ping succeeds).
   */
  static async start(redis: RedisConnection, prefix: string, options: LocalCopiesOptions = {}): Promise<LocalCopies> {
    const copies = new LocalCopies(redis, prefix, options);
    await copies.#listen(options.confirmTimeoutMs ?? 5_000);
    return copies;
  }

  /** Whether copies are being served (the subscription is confirmed). */
  get live(): boolean {
    return this.#live;
  }

  /** The local copy of `key`, or undefined (none, expired, or copies are off). */
  get<V>(key: string): V | undefined {
    if (!this.#live) return undefined;
    const entry = this.#copies.get(key);
    if (!entry) return undefined;
    if (entry.until <= Date.now()) {
      this.#copies.delete(key);
      return undefined;
    }
    return entry.value as V;
  }

  /**
   * A stamp to take before reading a value from Redis and to give to {@link set} with it: an invalidation
   * that arrives in between (possibly for that very key) makes the copy be skipped.
   */
  stamp(): number {
    return this.#generation;
  }

  /**
   * Keeps a copy of `key` (only while copies are on and no invalidation arrived since `stamp` was taken).
   * Pass the value read from Redis, not a value about to be written: a write goes through Redis and an
   * announcement.
   */
  set(key: string, value: unknown, stamp: number): void {
    if (!this.#live || stamp !== this.#generation) return;
    if (this.#copies.size >= this.#max && !this.#copies.has(key)) {
      const oldest = this.#copies.keys().next();
      if (!oldest.done) this.#copies.delete(oldest.value);
    }
    this.#copies.set(key, { value, until: Date.now() + this.#ttlMs });
  }

  /** Drops this process's copies of `keys` at once (the announcement drops everyone else's). */
  drop(keys: readonly string[]): void {
    for (const key of keys) this.#copies.delete(key);
  }

  /** Unsubscribes and drops every copy. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#turnOff();
    this.#subscriber.disconnect();
  }

  async #listen(confirmTimeoutMs: number): Promise<void> {
    const sub = this.#subscriber;
    sub.on('message', (channel: string, message: string) => {
      if (channel !== this.#channel) return;
      if (message.startsWith(PING)) {
        const pending = this.#pendingPing;
        if (pending && message === pending.ping) {
          this.#pendingPing = null;
          this.#live = true;
          pending.confirmed();
        }
        return;
      }
      this.#generation++;
      this.drop(message.split('\n'));
    });
    // Whatever was announced while the connection was down is unknown: drop everything, confirm again.
    sub.on('close', () => this.#turnOff());
    let connects = 0;
    sub.on('ready', () => {
      if (++connects > 1 && !this.#closed) void this.#subscribeAndConfirm(confirmTimeoutMs);
    });
    sub.on('error', () => undefined);
    await this.#subscribeAndConfirm(confirmTimeoutMs);
  }

  /** Subscribes (again: harmless when already subscribed) and sends the ping; resolves when it came back or after the timeout. */
  async #subscribeAndConfirm(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    const confirmed = (async () => {
      await this.#subscriber.subscribe(this.#channel);
      const ping = `${PING}${randomUUID()}`;
      const back = new Promise<void>((resolve) => {
        this.#pendingPing = { ping, confirmed: resolve };
      });
      await this.#publisher.publish(this.#channel, ping);
      await back;
    })();
    confirmed.catch(() => undefined);
    await Promise.race([confirmed.catch(() => undefined), timeout]);
    clearTimeout(timer);
  }

  #turnOff(): void {
    this.#generation++;
    this.#live = false;
    this.#pendingPing = null;
    this.#copies.clear();
  }
}
