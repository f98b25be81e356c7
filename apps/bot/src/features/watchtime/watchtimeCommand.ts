import { formatDuration } from '@kickcord/core';
import { EmbedBuilder, InteractionContextType, SlashCommandBuilder, time } from 'discord.js';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { autocompleteViewer, kickUsernameOption } from '../../viewers/viewerOption.ts';
import { findViewerStats } from '../../viewers/viewerStats.ts';
import { leaderboardRank } from '../leaderboard/leaderboardRanks.ts';

const data = new SlashCommandBuilder()
  .setName('watchtime')
  .setDescription("A Kick viewer's watchtime (active minutes) in this server")
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) => o.setName('user').setDescription("The viewer's Kick username").setRequired(true).setMaxLength(33).setAutocomplete(true));

/** `/watchtime <user>` — everyone. */
export const watchtimeCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: false,
  async execute(interaction, ctx) {
    const name = kickUsernameOption(interaction);
    const stats = await findViewerStats(ctx.prisma, interaction.guildId, name);
    if (!stats) throw new UserFacingError(`"${name}" has no watchtime in this server yet — it counts the minutes they chat while the stream is live.`);
    const rank = await leaderboardRank(ctx, interaction.guildId, stats, 'watchtime');
    const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId: interaction.guildId } });
    const embed = new EmbedBuilder()
      .setColor(0x53fc18)
      .setTitle(`${stats.username}: ${formatDuration(stats.activeMinutes)}`)
      .setDescription(`${rank === null ? 'Not ranked (on the leaderboard exclude list)' : `Rank #${rank} by watchtime`}${stats.lastActiveAt ? ` · last active ${time(stats.lastActiveAt, 'R')}` : ''}`)
      .setFooter({ text: `Kick has no viewer list: a minute counts when the stream is live and the viewer chatted within the last ${settings?.activityWindowMinutes ?? 5} minutes.` });
    await interaction.reply({ embeds: [embed], allowedMentions: { parse: [] } });
  },
  autocomplete: autocompleteViewer,
};
