/** A guild's role rewards in PostgreSQL: reading them for a sync, and the writes `/role-rewards` makes. */
import type { PrismaClient } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { forgetGuildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import type { RoleRewardConfig, TierReward } from './desiredRoles.ts';

/** Most tiers one guild may have (both ladders together). */
export const MAX_TIERS = 25;

/** The role rewards of each guild in `guildIds` (guilds without any settings row get an empty config). */
export async function loadRoleRewardConfigs(prisma: PrismaClient, guildIds: readonly string[]): Promise<Map<string, RoleRewardConfig>> {
  const ids = [...new Set(guildIds)];
  const [settings, tiers, badges, guildSettings] = await Promise.all([
    prisma.roleRewardSettings.findMany({ where: { guildId: { in: ids } } }),
    prisma.roleRewardTier.findMany({ where: { guildId: { in: ids } }, orderBy: [{ kind: 'asc' }, { threshold: 'asc' }] }),
    prisma.roleRewardBadge.findMany({ where: { guildId: { in: ids } }, orderBy: { badge: 'asc' } }),
    prisma.guildSettings.findMany({ where: { guildId: { in: ids } }, select: { guildId: true, modLogChannelId: true } }),
  ]);
  return new Map(
    ids.map((guildId) => {
      const s = settings.find((x) => x.guildId === guildId);
      const config: RoleRewardConfig = {
        guildId,
        subscriberRoleId: s?.subscriberRoleId ?? null,
        tierMode: s?.tierMode ?? 'highest',
        tiers: tiers.filter((t) => t.guildId === guildId).map((t): TierReward => ({ kind: t.kind, threshold: t.threshold, roleId: t.roleId })),
        badges: badges.filter((b) => b.guildId === guildId).map((b) => ({ badge: b.badge, roleId: b.roleId })),
        modLogChannelId: s?.modLogChannelId ?? guildSettings.find((g) => g.guildId === guildId)?.modLogChannelId ?? null,
      };
      return [guildId, config];
    }),
  );
}

/** One guild's role rewards. */
export async function loadRoleRewardConfig(prisma: PrismaClient, guildId: string): Promise<RoleRewardConfig> {
  return (await loadRoleRewardConfigs(prisma, [guildId])).get(guildId) as RoleRewardConfig;
}

/** Guilds that give any reward role or still hold roles kickcord gave (what the daily reconciliation visits). */
export async function guildsWithRoleRewards(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ guildId: string }[]>`
    SELECT "guildId" FROM "RoleRewardSettings" WHERE "subscriberRoleId" IS NOT NULL
    UNION SELECT "guildId" FROM "RoleRewardTier"
    UNION SELECT "guildId" FROM "RoleRewardBadge"
    UNION SELECT DISTINCT "guildId" FROM "RoleRewardMember" WHERE cardinality("roleIds") > 0`;
  return rows.map((r) => r.guildId);
}

type Writer = Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'localCopies'>;

/** Sets (or with null, turns off) the subscriber role. */
export async function setSubscriberRole(ctx: Writer, guildId: string, roleId: string | null): Promise<void> {
  await ctx.prisma.roleRewardSettings.upsert({ where: { guildId }, create: { guildId, subscriberRoleId: roleId }, update: { subscriberRoleId: roleId } });
}

/** Whether only the highest tier of each ladder is given, or every tier reached. */
export async function setTierMode(ctx: Writer, guildId: string, tierMode: 'highest' | 'stack'): Promise<void> {
  await ctx.prisma.roleRewardSettings.upsert({ where: { guildId }, create: { guildId, tierMode }, update: { tierMode } });
}

/** Sets (or with null, clears) the channel each grant and removal is logged to. */
export async function setRoleRewardModLog(ctx: Writer, guildId: string, channelId: string | null): Promise<void> {
  await ctx.prisma.roleRewardSettings.upsert({ where: { guildId }, create: { guildId, modLogChannelId: channelId }, update: { modLogChannelId: channelId } });
}

/** Adds a tier (or moves an existing threshold to another role). Refuses past {@link MAX_TIERS}. */
export async function addTier(ctx: Writer, guildId: string, tier: TierReward): Promise<void> {
  await ctx.prisma.$transaction(async (tx) => {
    const existing = await tx.roleRewardTier.findMany({ where: { guildId }, select: { kind: true, threshold: true, roleId: true } });
    const same = existing.find((t) => t.kind === tier.kind && t.threshold === tier.threshold);
    if (!same && existing.length >= MAX_TIERS) throw new UserFacingError(`A server can have at most ${MAX_TIERS} tiers: remove one with \`/role-rewards tier-remove\` first.`);
    const clash = existing.find((t) => t.roleId === tier.roleId && !(t.kind === tier.kind && t.threshold === tier.threshold));
    if (clash) throw new UserFacingError(`<@&${tier.roleId}> is already the ${clash.kind} tier at ${clash.threshold}: one role per tier.`);
    await tx.roleRewardTier.upsert({
      where: { guildId_kind_threshold: { guildId, kind: tier.kind, threshold: tier.threshold } },
      create: { guildId, kind: tier.kind, threshold: tier.threshold, roleId: tier.roleId },
      update: { roleId: tier.roleId },
    });
  });
}

/** Removes a tier; returns its role, or null when there was none at that threshold. */
export async function removeTier(ctx: Writer, guildId: string, kind: TierReward['kind'], threshold: number): Promise<string | null> {
  const found = await ctx.prisma.roleRewardTier.findUnique({ where: { guildId_kind_threshold: { guildId, kind, threshold } } });
  if (!found) return null;
  await ctx.prisma.roleRewardTier.deleteMany({ where: { guildId, kind, threshold } });
  return found.roleId;
}

/**
 * Sets (or with null, removes) the role of a Kick badge, and the copy of the guild's badge list in its settings
 * (what the chat path reads from the settings cache), then drops the cached settings.
 */
export async function setBadgeRole(ctx: Writer, guildId: string, badge: string, roleId: string | null): Promise<void> {
  await ctx.prisma.$transaction(async (tx) => {
    if (roleId) await tx.roleRewardBadge.upsert({ where: { guildId_badge: { guildId, badge } }, create: { guildId, badge, roleId }, update: { roleId } });
    else await tx.roleRewardBadge.deleteMany({ where: { guildId, badge } });
    const badges = (await tx.roleRewardBadge.findMany({ where: { guildId }, select: { badge: true }, orderBy: { badge: 'asc' } })).map((b) => b.badge);
    await tx.guildSettings.upsert({ where: { guildId }, create: { guildId, roleRewardBadges: badges }, update: { roleRewardBadges: badges } });
  });
  await forgetGuildSettings(ctx, guildId);
}
