import type { GuildSettings, PrismaClient } from '@kickcord/db';

/** A guild's settings row, created with the defaults on first use. */
export async function guildSettings(prisma: PrismaClient, guildId: string): Promise<GuildSettings> {
  const found = await prisma.guildSettings.findUnique({ where: { guildId } });
  return found ?? prisma.guildSettings.upsert({ where: { guildId }, create: { guildId }, update: {} });
}
