import { findLinkByDiscord, findLinkByKick } from '@kickcord/connections';
import type { BotContext } from '../../context.ts';

/** A viewer's linked accounts: their Kick account and the Discord user it is linked to. */
export interface LinkedViewer {
  discordUserId: string;
  kickUserId: number;
  kickUsername: string;
}

/** The Kick account linked to a Discord user, or null. */
export async function kickAccountOf(ctx: Pick<BotContext, 'prisma'>, discordUserId: string): Promise<LinkedViewer | null> {
  const link = await findLinkByDiscord(ctx.prisma, discordUserId);
  return link ? { discordUserId: link.discordUserId, kickUserId: link.kickUserId, kickUsername: link.kickUsername } : null;
}

/** The Discord user linked to a Kick account, or null. */
export async function discordUserOf(ctx: Pick<BotContext, 'prisma'>, kickUserId: number): Promise<string | null> {
  return (await findLinkByKick(ctx.prisma, kickUserId))?.discordUserId ?? null;
}
