import type { BotContext } from '../../context.ts';

/** A viewer's linked accounts: their Kick account and the Discord user it is linked to. */
export interface LinkedViewer {
  discordUserId: string;
  kickUserId: number;
  kickUsername: string;
}

/**
 * The Kick account linked to a Discord user, or null. Reads the `AccountLink` table directly; the link
 * service of `@kickcord/connections` takes this over once it is exported.
 */
export async function kickAccountOf(ctx: Pick<BotContext, 'prisma'>, discordUserId: string): Promise<LinkedViewer | null> {
  const link = await ctx.prisma.accountLink.findUnique({ where: { discordUserId } });
  return link ? { discordUserId: link.discordUserId, kickUserId: link.kickUserId, kickUsername: link.kickUsername } : null;
}

/** The Discord user linked to a Kick account, or null. */
export async function discordUserOf(ctx: Pick<BotContext, 'prisma'>, kickUserId: number): Promise<string | null> {
  const link = await ctx.prisma.accountLink.findUnique({ where: { kickUserId }, select: { discordUserId: true } });
  return link?.discordUserId ?? null;
}
