import { findLinkByDiscord } from '@kickcord/connections';
import { formatDuration } from '@kickcord/core';
import { EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction, type SlashCommandStringOption } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { requireModerator } from '../../discord/permissions.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { formatPoints } from '../../formatPoints.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { autocompleteViewer, kickUsernameOption } from '../../viewers/viewerOption.ts';
import { resolveViewerNow, viewerStatsById } from '../../viewers/viewerStats.ts';
import { linkedMentions } from '../accountLinking/linkedMentions.ts';
import { describeRank, leaderboardRank } from '../leaderboard/leaderboardRanks.ts';
import { adjustPoints, MAX_POINTS_CHANGE, type PointsAdjustment } from './loyaltyActions.ts';
import { addPointsTransferSubcommands, executePointsExport, executePointsImport, onPointsImportButton, POINTS_IMPORT_BUTTON_PREFIX } from './pointsTransferCommand.ts';

export { defaultChangeReason, MAX_POINTS_CHANGE } from './loyaltyActions.ts';

const userOption = (o: SlashCommandStringOption) => o.setName('user').setDescription("The viewer's Kick username").setRequired(true).setMaxLength(33).setAutocomplete(true);
const reasonOption = (o: SlashCommandStringOption) => o.setName('reason').setDescription('Why (kept in the ledger)').setMaxLength(200);

const data = addPointsTransferSubcommands(new SlashCommandBuilder())
  .setName('points')
  .setDescription('Loyalty points of Kick viewers')
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('show')
      .setDescription("Show a viewer's points and watchtime (yours when linked with /link)")
      .addStringOption((o) => o.setName('user').setDescription("The viewer's Kick username (default: your own linked Kick account)").setMaxLength(33).setAutocomplete(true)),
  )
  .addSubcommand((s) =>
    s
      .setName('give')
      .setDescription('Give points to a viewer (moderators)')
      .addStringOption(userOption)
      .addIntegerOption((o) => o.setName('amount').setDescription('Points to add').setRequired(true).setMinValue(1).setMaxValue(MAX_POINTS_CHANGE))
      .addStringOption(reasonOption),
  )
  .addSubcommand((s) =>
    s
      .setName('take')
      .setDescription('Take points from a viewer (moderators)')
      .addStringOption(userOption)
      .addIntegerOption((o) => o.setName('amount').setDescription('Points to remove').setRequired(true).setMinValue(1).setMaxValue(MAX_POINTS_CHANGE))
      .addStringOption(reasonOption),
  )
  .addSubcommand((s) =>
    s
      .setName('set')
      .setDescription("Set a viewer's balance (moderators)")
      .addStringOption(userOption)
      .addIntegerOption((o) => o.setName('amount').setDescription('The new balance').setRequired(true).setMinValue(0).setMaxValue(MAX_POINTS_CHANGE))
      .addStringOption(reasonOption),
  );

async function viewerOrFail(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) {
  const name = kickUsernameOption(interaction);
  const viewer = await resolveViewerNow(ctx, interaction.guildId, name);
  if (!viewer) throw new UserFacingError(`I don't know a Kick viewer named "${name}" yet — they appear once they chat in the streamer's channel.`);
  return viewer;
}

/** The viewer of `/points show`: the one named, or without a name the caller's own linked Kick account. */
async function shownViewer(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) {
  if (interaction.options.getString('user') !== null) return viewerOrFail(interaction, ctx);
  const link = await findLinkByDiscord(ctx.prisma, interaction.user.id);
  if (!link) throw new UserFacingError('Your Discord account is not linked to a Kick account, so I cannot tell which points are yours. Run `/link start` to link it, or name a viewer with `user:`.');
  return { kickUserId: link.kickUserId, username: link.kickUsername, stats: await viewerStatsById(ctx.prisma, interaction.guildId, link.kickUserId) };
}

async function show(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const viewer = await shownViewer(interaction, ctx);
  const stats = viewer.stats;
  const discordId = (await linkedMentions(ctx, [viewer])).userIds[0];
  const embed = new EmbedBuilder().setColor(0x53fc18).setTitle(`${stats?.username ?? viewer.username}`);
  const description = [discordId ? `Discord: <@${discordId}>` : null, stats ? null : 'No points or watchtime in this server yet.'].filter((l): l is string => l !== null);
  if (description.length > 0) embed.setDescription(description.join('\n'));
  if (stats) {
    const [pointsRank, watchRank] = await Promise.all([leaderboardRank(ctx, interaction.guildId, stats, 'points'), leaderboardRank(ctx, interaction.guildId, stats, 'watchtime')]);
    embed.addFields(
      { name: 'Points', value: `${formatPoints(stats.points)} ${describeRank(pointsRank)}`, inline: true },
      { name: 'Watchtime', value: `${formatDuration(stats.activeMinutes)} ${describeRank(watchRank)}`, inline: true },
    );
    embed.setFooter({ text: 'Watchtime = active minutes: minutes live while the viewer chatted within the activity window.' });
  }
  await interaction.reply({ embeds: [embed], allowedMentions: { parse: [] } });
}

async function change(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext, op: PointsAdjustment): Promise<void> {
  requireModerator(interaction, `/points ${op}`);
  const outcome = await runGuildAction(ctx, adjustPoints, interactionCall(interaction), {
    username: kickUsernameOption(interaction),
    op,
    amount: interaction.options.getInteger('amount', true),
    reason: interaction.options.getString('reason'),
  });
  await interaction.reply({ content: outcome.message, allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
}

/** `/points show|give|take|set|export|import` — show is for everyone; changes, export and import are for moderators (changes keyed by the interaction id). */
export const pointsCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: false,
  ...routeSubcommands({
    show,
    give: (interaction, ctx) => change(interaction, ctx, 'give'),
    take: (interaction, ctx) => change(interaction, ctx, 'take'),
    set: (interaction, ctx) => change(interaction, ctx, 'set'),
    export: async (interaction, ctx) => {
      requireModerator(interaction, '/points export');
      await executePointsExport(interaction, ctx);
    },
    import: async (interaction, ctx) => {
      requireModerator(interaction, '/points import');
      await executePointsImport(interaction, ctx);
    },
  }),
  autocomplete: autocompleteViewer,
  buttonPrefix: POINTS_IMPORT_BUTTON_PREFIX,
  onButton: onPointsImportButton,
};
