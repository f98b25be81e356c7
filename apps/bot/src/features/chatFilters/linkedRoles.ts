import { findLinkByKick } from '@kickcord/connections';
import type { BotContext } from '../../context.ts';
import { memberRoleIds } from '../../discord/memberRoles.ts';

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
  const link = await findLinkByKick(ctx.prisma, kickUserId);
  if (link) {
    try {
      // null: linked, but not in this server.
      roles = (await memberRoleIds(ctx.discordRest, guildId, link.discordUserId)) ?? [];
    } catch (error) {
      // No exemption this time (not cached).
      ctx.logger.warn({ err: error, guildId }, 'could not read a linked member for a filter exemption');
      return [];
    }
  }
  await ctx.redis.set(key, JSON.stringify(roles), 'EX', LINKED_ROLES_CACHE_SECONDS);
  return roles;
}
