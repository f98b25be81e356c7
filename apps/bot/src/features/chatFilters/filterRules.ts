import { chatFilterConfigSchema, compileChatFilters, parseChatFilterConfig, type BannedTerm, type ChatFilterConfig, type CompiledChatFilters } from '@kickcord/core';
import type { Prisma } from '@kickcord/db';
import { invalidateCacheEntries } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';

/** How long the Redis copy of a guild's filter rules lives without an invalidation. */
export const FILTER_RULES_CACHE_SECONDS = 300;

/**
 * The last rules text compiled per guild, so a local copy that expired (or was dropped for another key's
 * change) is rebuilt from Redis without compiling again when the rules are unchanged. Keyed by the exact
 * text, it can never serve stale rules.
 */
const compiledByText = new Map<string, { text: string; compiled: CompiledChatFilters }>();
const MAX_COMPILED = 10_000;

function compileCached(guildId: string, text: string, rules: Pick<StoredFilterRules, 'config' | 'terms'>): CompiledChatFilters {
  const known = compiledByText.get(guildId);
  if (known?.text === text) return known.compiled;
  const compiled = compileChatFilters(rules.config, rules.terms);
  if (compiledByText.size >= MAX_COMPILED && !compiledByText.has(guildId)) {
    const oldest = compiledByText.keys().next();
    if (!oldest.done) compiledByText.delete(oldest.value);
  }
  compiledByText.set(guildId, { text, compiled });
  return compiled;
}

/** A guild's filter rules as stored: the rules document and the banned terms. */
export interface StoredFilterRules {
  config: ChatFilterConfig;
  terms: BannedTerm[];
  falsePositives: number;
}

/** Reads a guild's filter rules from PostgreSQL (defaults, every filter off, when it has none). */
export async function loadFilterRules(ctx: Pick<BotContext, 'prisma'>, guildId: string): Promise<StoredFilterRules> {
  const [settings, terms] = await Promise.all([
    ctx.prisma.chatFilterSettings.findUnique({ where: { guildId } }),
    ctx.prisma.chatFilterTerm.findMany({ where: { guildId }, orderBy: { createdAt: 'asc' }, select: { pattern: true, mode: true } }),
  ]);
  return { config: parseChatFilterConfig(settings?.rules ?? null), terms, falsePositives: settings?.falsePositives ?? 0 };
}

/**
 * A guild's filters compiled, for the chat path: from this process's copy when warm (no Redis, no
 * PostgreSQL), else from the Redis copy of the rules (compiled here once), else from PostgreSQL. Every
 * writer calls {@link forgetFilterRules}.
 */
export async function cachedChatFilters(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'localCopies'>, guildId: string): Promise<CompiledChatFilters> {
  const key = ctx.keys.chatFilters(guildId);
  const copy = ctx.localCopies?.get<CompiledChatFilters>(key);
  if (copy) return copy;
  const stamp = ctx.localCopies?.stamp() ?? 0;
  let text = await ctx.redis.get(key);
  let rules: Pick<StoredFilterRules, 'config' | 'terms'>;
  if (text !== null) {
    const parsed = JSON.parse(text) as { config: unknown; terms: BannedTerm[] };
    rules = { config: parseChatFilterConfig(parsed.config), terms: parsed.terms };
  } else {
    const loaded = await loadFilterRules(ctx, guildId);
    rules = { config: loaded.config, terms: loaded.terms };
    text = JSON.stringify(rules);
    await ctx.redis.set(key, text, 'EX', FILTER_RULES_CACHE_SECONDS);
  }
  const compiled = compileCached(guildId, text, rules);
  ctx.localCopies?.set(key, compiled, stamp);
  return compiled;
}

/** Drops every copy of a guild's compiled filters (after any write to its rules or terms), in Redis and in every process. */
export async function forgetFilterRules(ctx: Pick<BotContext, 'redis' | 'keys' | 'localCopies'>, guildId: string): Promise<void> {
  await invalidateCacheEntries(ctx.redis, ctx.keys.prefix, [ctx.keys.chatFilters(guildId)], ctx.localCopies);
}

/** Changes a guild's rules document (read, change, validate, write) and drops the cached copies. */
export async function updateFilterConfig(ctx: BotContext, guildId: string, change: (config: ChatFilterConfig) => void): Promise<ChatFilterConfig> {
  const config = await ctx.prisma.$transaction(async (tx) => {
    const row = await tx.chatFilterSettings.findUnique({ where: { guildId } });
    const next = parseChatFilterConfig(row?.rules ?? null);
    change(next);
    const rules = chatFilterConfigSchema.parse(next) as unknown as Prisma.InputJsonValue;
    await tx.chatFilterSettings.upsert({ where: { guildId }, create: { guildId, rules }, update: { rules } });
    return next;
  });
  await forgetFilterRules(ctx, guildId);
  return config;
}
