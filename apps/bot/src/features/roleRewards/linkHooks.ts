/**
 * What account linking calls so role rewards follow a link at once (the sync task also notices new links within
 * 15 s, and the daily reconciliation repairs anything missed): both only queue role syncs in Redis.
 */
import type { BotContext } from '../../context.ts';
import { queueRoleSync } from './badgeObserver.ts';

/** After a Discord user linked a Kick account: the viewer's roles in every guild where they have points or a subscription. */
export async function roleRewardsAfterLink(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys'>, link: { kickUserId: number }): Promise<void> {
  const rows = await ctx.prisma.$queryRaw<{ guildId: string; kickUserId: number }[]>`
    SELECT "guildId", "kickUserId" FROM "ViewerStats" WHERE "kickUserId" = ${link.kickUserId}
    UNION SELECT "guildId", "kickUserId" FROM "RoleRewardSubscription" WHERE "kickUserId" = ${link.kickUserId}`;
  await queueRoleSync(ctx, rows);
}

/** After a link was removed: the Discord user loses the reward roles kickcord gave them, in every guild. */
export async function roleRewardsAfterUnlink(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys'>, link: { discordUserId: string; kickUserId: number }): Promise<void> {
  const rows = await ctx.prisma.roleRewardMember.findMany({ where: { discordUserId: link.discordUserId }, select: { guildId: true, kickUserId: true } });
  await queueRoleSync(ctx, rows);
}
