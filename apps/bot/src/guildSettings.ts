import type { GuildSettings, PrismaClient } from '@kickcord/db';
import { invalidateCacheEntries } from '@kickcord/queue';
import type { BotContext } from './context.ts';

/** A guild's settings row, created with the defaults on first use. */
export async function guildSettings(prisma: PrismaClient, guildId: string): Promise<GuildSettings> {
  const found = await prisma.guildSettings.findUnique({ where: { guildId } });
  return found ?? prisma.guildSettings.upsert({ where: { guildId }, create: { guildId }, update: {} });
}

/** How long the chat path's copy of a guild's settings lives without an invalidation (a missed one is bounded by this). */
export const SETTINGS_CACHE_SECONDS = 60;

/**
 * A guild's settings for the chat path: from Redis when cached (no database query per chat message),
 * else from PostgreSQL and cached for {@link SETTINGS_CACHE_SECONDS}. Whatever changes settings calls
 * {@link forgetGuildSettings} after writing.
 */
export async function cachedGuildSettings(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'localCopies'>, guildId: string): Promise<Readonly<GuildSettings>> {
  const key = ctx.keys.guildSettings(guildId);
  const copy = ctx.localCopies?.get<Readonly<GuildSettings>>(key);
  if (copy) return copy;
  const stamp = ctx.localCopies?.stamp() ?? 0;
  const cached = await ctx.redis.get(key);
  let settings: GuildSettings;
  if (cached !== null) {
    const row = JSON.parse(cached) as GuildSettings & { updatedAt: string };
    settings = { ...row, updatedAt: new Date(row.updatedAt) };
  } else {
    settings = await guildSettings(ctx.prisma, guildId);
    await ctx.redis.set(key, JSON.stringify(settings), 'EX', SETTINGS_CACHE_SECONDS);
  }
  Object.freeze(settings);
  ctx.localCopies?.set(key, settings, stamp);
  return settings;
}

/** Drops the chat path's copy of a guild's settings (after any write to them), in Redis and in every process. */
export async function forgetGuildSettings(ctx: Pick<BotContext, 'redis' | 'keys' | 'localCopies'>, guildId: string): Promise<void> {
  await invalidateCacheEntries(ctx.redis, ctx.keys.prefix, [ctx.keys.guildSettings(guildId)], ctx.localCopies);
}
