import type { Guild as DiscordGuild } from 'discord.js';
import type { BotContext } from '../context.ts';

/**
 * Joining (or being available again in) a guild creates its tenant with default settings, or
 * re-activates it after a re-invite — its data was kept.
 */
export async function onGuildJoined(guild: Pick<DiscordGuild, 'id' | 'name'>, ctx: BotContext): Promise<void> {
  await ctx.prisma.$transaction([
    ctx.prisma.guild.upsert({
      where: { id: guild.id },
      create: { id: guild.id, name: guild.name },
      update: { name: guild.name, active: true, leftAt: null },
    }),
    ctx.prisma.guildSettings.upsert({ where: { guildId: guild.id }, create: { guildId: guild.id }, update: {} }),
  ]);
  // A re-invited guild's links count again: the workers' cached fan-out lists must see it.
  await ctx.fanOut.forgetGuild(guild.id);
  ctx.logger.info({ guildId: guild.id }, 'guild active');
}

/** Leaving marks the tenant inactive; data is kept for a re-invite until the purge job removes it. */
export async function onGuildLeft(guild: Pick<DiscordGuild, 'id'>, ctx: BotContext): Promise<void> {
  await ctx.prisma.guild.updateMany({ where: { id: guild.id }, data: { active: false, leftAt: ctx.now() } });
  await ctx.fanOut.forgetGuild(guild.id);
  ctx.logger.info({ guildId: guild.id }, 'guild inactive (bot removed)');
}
