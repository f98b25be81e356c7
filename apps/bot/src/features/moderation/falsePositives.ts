import type { ModerationAction } from '@kickcord/db';
import type { BotContext } from '../../context.ts';

/**
 * Marks a filter's action as a false positive, once: the guild's count shown in `/filters` goes up by one, and
 * the viewer's offence against that filter no longer counts toward the next step of its ladder.
 */
export async function markFalsePositive(ctx: BotContext, action: ModerationAction, discordUserId: string): Promise<{ action: ModerationAction; changed: boolean }> {
  if (action.source !== 'filter' || !action.filter) return { action, changed: false };
  const changed = await ctx.prisma.$transaction(async (tx) => {
    const marked = await tx.moderationAction.updateMany({ where: { id: action.id, falsePositive: false }, data: { falsePositive: true, falsePositiveBy: discordUserId } });
    if (marked.count === 0) return false;
    await tx.chatFilterSettings.upsert({ where: { guildId: action.guildId }, create: { guildId: action.guildId, rules: {}, falsePositives: 1 }, update: { falsePositives: { increment: 1 } } });
    return true;
  });
  if (changed && action.kickMessageId) {
    const keys = ctx.keys.filterOffences(action.guildId, action.kickUserId, action.filter, action.kickMessageId);
    // Never below zero: the count may have expired meanwhile.
    await ctx.redis.eval("local n = tonumber(redis.call('GET', KEYS[1]) or '0') if n > 0 then redis.call('DECR', KEYS[1]) end return n", 1, keys.count);
  }
  const updated = await ctx.prisma.moderationAction.findUniqueOrThrow({ where: { id: action.id } });
  return { action: updated, changed };
}
