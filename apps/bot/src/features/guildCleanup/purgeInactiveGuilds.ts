import { MaintenanceJob } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';

/**
 * Deletes guilds that have been inactive longer than `afterDays` (cascades to all their rows) and
 * drops their watch links. Returns the ids purged.
 */
export async function purgeInactiveGuilds(ctx: BotContext, afterDays: number): Promise<string[]> {
  const cutoff = new Date(ctx.now().getTime() - afterDays * 86_400_000);
  const stale = await ctx.prisma.guild.findMany({ where: { active: false, leftAt: { lt: cutoff } }, select: { id: true } });
  const ids = stale.map((g) => g.id);
  if (ids.length === 0) return ids;
  const links = await ctx.prisma.guildChannelLink.findMany({ where: { guildId: { in: ids } }, select: { broadcasterUserId: true } });
  await ctx.prisma.guild.deleteMany({ where: { id: { in: ids }, active: false } });
  await ctx.fanOut.forget(...links.map((l) => l.broadcasterUserId));
  return ids;
}

/** Once a day: delete guilds that removed the bot more than `GUILD_PURGE_AFTER_DAYS` ago. */
export const purgeInactiveGuildsTask: MaintenanceTask = {
  name: MaintenanceJob.PurgeInactiveGuilds,
  everyMs: 24 * 3600_000,
  run: (ctx) => purgeInactiveGuilds(ctx, ctx.env.GUILD_PURGE_AFTER_DAYS),
};
