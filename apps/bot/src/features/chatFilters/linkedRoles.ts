import { Routes, type APIGuildMember } from 'discord.js';
import type { BotContext } from '../../context.ts';

/** How long a viewer's linked Discord roles are cached for filter exemptions. */
export const LINKED_ROLES_CACHE_SECONDS = 600;

/**
 * The Discord roles, in `guildId`, of the Discord account linked to a Kick viewer ([] when not linked or
 * not a member). Asked only when a filter fires and exempts roles, and cached in Redis for
 * {@link LINKED_ROLES_CACHE_SECONDS}, so a flood from one viewer costs one lookup.
 */
export async function linkedMemberRoles(ctx: BotContext, guildId: string, kickUserId: number): Promise<string[]> {
  const key = ctx.keys.linkedMemberRoles(guildId, kickUserId);
  const cached = await ctx.redis.get(key);
  if (cached !== null) return JSON.parse(cached) as string[];
  let roles: string[] = [];
  const link = await ctx.prisma.accountLink.findUnique({ where: { kickUserId }, select: { discordUserId: true } });
  if (link) {
    try {
      const member = (await ctx.discordRest.get(Routes.guildMember(guildId, link.discordUserId))) as APIGuildMember;
      roles = member.roles;
    } catch (error) {
      // 10007 Unknown Member: linked, but not in this server. Anything else: no exemption this time (not cached).
      const code = (error as { code?: unknown }).code;
      if (code !== 10007) {
        ctx.logger.warn({ err: error, guildId }, 'could not read a linked member for a filter exemption');
        return [];
      }
    }
  }
  await ctx.redis.set(key, JSON.stringify(roles), 'EX', LINKED_ROLES_CACHE_SECONDS);
  return roles;
}
