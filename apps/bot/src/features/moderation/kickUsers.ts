import { likePrefix } from '@kickcord/db';
import type { BotContext } from '../../context.ts';

/** A Kick user found by name. */
export interface KickUserRef {
  userId: number;
  username: string;
}

/**
 * A Kick user by username: from the viewers kickcord has seen (case-insensitive), else from Kick by channel
 * slug (every Kick user has a channel whose slug is their name in lower case).
 */
export async function findKickUser(ctx: BotContext, name: string): Promise<KickUserRef | null> {
  const wanted = name.trim().replace(/^@/, '');
  if (!/^[A-Za-z0-9_.-]{1,25}$/.test(wanted)) return null;
  const seen = await ctx.prisma.kickViewer.findFirst({ where: { username: { equals: wanted, mode: 'insensitive' } }, orderBy: { lastSeenAt: 'desc' }, select: { userId: true, username: true } });
  if (seen) return seen;
  try {
    // A channel's slug is the lower-case name; Kick writes some names' underscores as dashes in the slug.
    const slugs = [...new Set([wanted.toLowerCase(), wanted.toLowerCase().replace(/_/g, '-')])];
    const [channel] = await ctx.kickApp.getChannels({ slugs });
    return channel ? { userId: channel.broadcasterUserId, username: wanted } : null;
  } catch (error) {
    ctx.logger.warn({ err: error }, 'kick channel lookup for /mod failed');
    return null;
  }
}

/** Up to 25 usernames of the guild's viewers starting with `typed` (for autocomplete). */
export async function suggestKickUsers(ctx: BotContext, guildId: string, typed: string): Promise<string[]> {
  const rows = await ctx.prisma.viewerStats.findMany({
    where: { guildId, ...(typed ? { username: { startsWith: likePrefix(typed), mode: 'insensitive' as const } } : {}) },
    orderBy: { lastActiveAt: { sort: 'desc', nulls: 'last' } },
    take: 25,
    select: { username: true },
  });
  return [...new Set(rows.map((r) => r.username))];
}
