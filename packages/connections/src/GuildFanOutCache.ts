import type { PrismaClient } from '@kickcord/db';
import { invalidateCacheEntries, type LocalCopies, type RedisConnection } from '@kickcord/queue';
import { guildsForBroadcaster, type GuildFanOut } from './guildLinks.ts';

/** Options of {@link GuildFanOutCache}. */
export interface GuildFanOutCacheOptions {
  prisma: PrismaClient;
  /** A connection without an ioredis `keyPrefix` (the cache names its keys in full). */
  redis: RedisConnection;
  /** The install's key prefix (`QUEUE_PREFIX`): keys are `<prefix>:links:<broadcaster>`. */
  keyPrefix: string;
  /** How long an entry lives without an invalidation (default 60 s): the bound on staleness if one is missed. */
  ttlSeconds?: number;
  /**
   * This process's local copies (see `LocalCopies` in @kickcord/queue): with them a warm lookup costs no
   * Redis round trip. Without them every lookup reads Redis. Invalidations are announced either way.
   */
  localCopies?: LocalCopies;
}

/**
 * The guilds each Kick delivery fans out to (owner and watchers of its broadcaster), cached in Redis so
 * an ordinary chat message costs no database query. Everything that changes a broadcaster's links —
 * connect, disconnect, watch, unwatch, the bot joining or leaving a guild, a purge — calls
 * {@link forget} / {@link forgetGuild} after its transaction commits. A reader that filled the cache
 * from a read taken just before such a commit can leave the old answer for at most `ttlSeconds`.
 */
export class GuildFanOutCache {
  readonly #prisma: PrismaClient;
  readonly #redis: RedisConnection;
  readonly #prefix: string;
  readonly #ttl: number;
  readonly #local: LocalCopies | undefined;

  constructor(options: GuildFanOutCacheOptions) {
    this.#prisma = options.prisma;
    this.#redis = options.redis;
    this.#prefix = options.keyPrefix;
    this.#ttl = options.ttlSeconds ?? 60;
    this.#local = options.localCopies;
  }

  /** The Redis key of a broadcaster's entry. */
  key(broadcasterUserId: number): string {
    return `${this.#prefix}:links:${broadcasterUserId}`;
  }

  /** The active guilds linked to the broadcaster, owner first (as {@link guildsForBroadcaster}). */
  async guildsFor(broadcasterUserId: number): Promise<GuildFanOut[]> {
    const key = this.key(broadcasterUserId);
    const copy = this.#local?.get<GuildFanOut[]>(key);
    if (copy) return copy;
    const stamp = this.#local?.stamp() ?? 0;
    const cached = await this.#redis.get(key);
    let guilds: GuildFanOut[];
    if (cached !== null) {
      guilds = JSON.parse(cached) as GuildFanOut[];
    } else {
      guilds = await guildsForBroadcaster(this.#prisma, broadcasterUserId);
      await this.#redis.set(key, JSON.stringify(guilds), 'EX', this.#ttl);
    }
    Object.freeze(guilds);
    for (const g of guilds) Object.freeze(g);
    this.#local?.set(key, guilds, stamp);
    return guilds;
  }

  /**
   * Drops the entries of these broadcasters, in Redis and in every process's local copies.
   */
  async forget(...broadcasterUserIds: number[]): Promise<void> {
    await invalidateCacheEntries(this.#redis, this.#prefix, [...new Set(broadcasterUserIds)].map((id) => this.key(id)), this.#local);
  }

  /** Drops the entries of every broadcaster the guild links (when the guild joins, leaves or is purged). */
  async forgetGuild(guildId: string): Promise<void> {
    const links = await this.#prisma.guildChannelLink.findMany({ where: { guildId }, select: { broadcasterUserId: true } });
    await this.forget(...links.map((l) => l.broadcasterUserId));
  }
}
