import type { BotContext } from './context.ts';
import { UserFacingError } from './UserFacingError.ts';

/** The guild's connected Kick channel (the owner connection), or a user-facing error saying how to connect. */
export async function requireConnectedChannel(ctx: BotContext, guildId: string): Promise<{ broadcasterUserId: number; kickUsername: string }> {
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { broadcasterUserId: true, kickUsername: true } });
  if (!connection) throw new UserFacingError('This server has no connected Kick channel yet. A moderator can connect one with `/kick connect`.');
  return connection;
}
