import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '@kickcord/db';
import { invalidateCacheEntries, OVERLAY_WIDGETS, type OverlayWidget } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';

/**
 * A guild's overlay key: 32 random bytes (base64url) that the overlay URLs carry. Only its SHA-256 (hex) is stored,
 * in `OverlayToken.tokenHash`; the token itself exists only in the answer to whoever created it.
 */
export function newOverlayToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: overlayTokenHash(token) };
}

/** The stored form of a token (SHA-256, hex). */
export function overlayTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The browser-source URL of every widget for a token. */
export function overlayUrls(publicUrl: string, token: string): Record<OverlayWidget, string> {
  const base = publicUrl.replace(/\/+$/, '');
  return Object.fromEntries(OVERLAY_WIDGETS.map((w) => [w, `${base}/overlay/${token}/${w}`])) as Record<OverlayWidget, string>;
}

/** The guild's key in use (not revoked), if it has one. */
export async function liveOverlayKey(prisma: Pick<BotContext['prisma'], 'overlayToken'>, guildId: string): Promise<{ id: string; createdAt: Date; createdBy: string } | null> {
  return prisma.overlayToken.findFirst({ where: { guildId, revokedAt: null }, orderBy: { createdAt: 'desc' }, select: { id: true, createdAt: true, createdBy: true } });
}

/**
 * Runs `work` in a transaction that holds the guild's overlay lock, so two managers creating or rotating the key (or
 * changing settings) at the same moment are served one after the other: never two live keys, never a lost setting.
 */
export async function withOverlayLock<T>(ctx: Pick<BotContext, 'prisma'>, guildId: string, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return ctx.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`overlays:${guildId}`}, 0))`;
    return work(tx);
  });
}

/** How long the Redis copy of the list of guilds with a live overlay key lives without an invalidation. */
export const OVERLAY_GUILDS_CACHE_SECONDS = 60;

/** The Redis key of the install's list of guilds with a live overlay key. */
export function overlayGuildsKey(prefix: string): string {
  return `${prefix}:overlay:guilds`;
}

/**
 * The guilds that have a live overlay key, for the chat path: one list for the whole install, so a warm process
 * answers "does this guild have overlays?" from memory — no Redis round trip, no PostgreSQL — for every guild,
 * with or without overlays. A cold process reads it from Redis (one GET), and Redis from PostgreSQL (one query for
 * all guilds) when it is absent. Creating, rotating or revoking a key calls {@link forgetOverlayGuilds}.
 */
export async function overlayGuilds(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'localCopies'>): Promise<ReadonlySet<string>> {
  const key = overlayGuildsKey(ctx.keys.prefix);
  const copy = ctx.localCopies?.get<ReadonlySet<string>>(key);
  if (copy) return copy;
  const stamp = ctx.localCopies?.stamp() ?? 0;
  const cached = await ctx.redis.get(key);
  let ids: string[];
  if (cached !== null) {
    ids = JSON.parse(cached) as string[];
  } else {
    const rows = await ctx.prisma.overlayToken.findMany({ where: { revokedAt: null }, distinct: ['guildId'], select: { guildId: true } });
    ids = rows.map((r) => r.guildId);
    await ctx.redis.set(key, JSON.stringify(ids), 'EX', OVERLAY_GUILDS_CACHE_SECONDS);
  }
  const set: ReadonlySet<string> = new Set(ids);
  ctx.localCopies?.set(key, set, stamp);
  return set;
}

/** Drops every copy of the list of guilds with a live overlay key (after a key was created or revoked). */
export async function forgetOverlayGuilds(ctx: Pick<BotContext, 'redis' | 'keys' | 'localCopies'>): Promise<void> {
  await invalidateCacheEntries(ctx.redis, ctx.keys.prefix, [overlayGuildsKey(ctx.keys.prefix)], ctx.localCopies);
}
