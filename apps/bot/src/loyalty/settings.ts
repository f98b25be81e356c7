import type { EventBonusSettings, LoyaltySettings } from '@kickcord/core';
import type { GuildSettings, PrismaClient } from '@kickcord/db';

/** A guild's settings row, created with the defaults on first use. */
export async function guildSettings(prisma: PrismaClient, guildId: string): Promise<GuildSettings> {
  const found = await prisma.guildSettings.findUnique({ where: { guildId } });
  return found ?? prisma.guildSettings.upsert({ where: { guildId }, create: { guildId }, update: {} });
}

/** The loyalty tunables of a settings row, in @kickcord/core's shape. */
export function loyaltySettingsOf(s: GuildSettings): LoyaltySettings {
  return {
    activityWindowMinutes: s.activityWindowMinutes,
    pointsPerMinute: s.pointsPerMinute,
    subscriberMultiplier: s.subscriberMultiplier,
    maxMinutesPerStream: s.maxMinutesPerStream,
    maxPointsPerDay: s.maxPointsPerDay,
    excludedUsernames: s.excludedUsernames,
  };
}

/** The event bonus tunables of a settings row. */
export function eventBonusSettingsOf(s: GuildSettings): EventBonusSettings {
  return {
    followBonus: s.followBonus,
    subBonus: s.subBonus,
    renewalBonus: s.renewalBonus,
    giftBonusPerSub: s.giftBonusPerSub,
    kicksBonusPerUnit: s.kicksBonusPerUnit,
  };
}
