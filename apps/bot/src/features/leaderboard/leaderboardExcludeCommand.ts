import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { excludeViewer, includeViewer } from './leaderboardExcludeActions.ts';
import { listLeaderboardExclusions, MAX_EXCLUSION_REASON_LENGTH, type LeaderboardExclusionEntry } from './leaderboardExclusions.ts';

const data = new SlashCommandBuilder()
  .setName('leaderboard-exclude')
  .setDescription('Keep viewers off the leaderboards (Kick bans and timeouts are added automatically)')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((s) =>
    s
      .setName('add')
      .setDescription('Keep a viewer off the leaderboards until removed')
      .addStringOption((o) => o.setName('viewer').setDescription('Kick username').setRequired(true).setMaxLength(64))
      .addStringOption((o) => o.setName('reason').setDescription('Why (shown in the list)').setMaxLength(MAX_EXCLUSION_REASON_LENGTH)),
  )
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription('Show a viewer on the leaderboards again')
      .addStringOption((o) => o.setName('viewer').setDescription('Kick username').setRequired(true).setMaxLength(64)),
  )
  .addSubcommand((s) => s.setName('list').setDescription('Show the exclude list'));

function describeEntry(e: LeaderboardExclusionEntry): string {
  const why = e.source === 'ban' ? (e.expiresAt ? `Kick timeout until <t:${Math.floor(e.expiresAt.getTime() / 1000)}:f>` : 'Kick ban') : 'added by a moderator';
  return `**${e.username}** — ${why}${e.reason ? ` · ${e.reason}` : ''}`;
}

async function add(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, excludeViewer, interactionCall(interaction), { username: interaction.options.getString('viewer', true), reason: interaction.options.getString('reason') });
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, includeViewer, interactionCall(interaction), { username: interaction.options.getString('viewer', true) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const entries = await listLeaderboardExclusions(ctx, interaction.guildId);
  const lines = entries.slice(0, 40).map(describeEntry);
  if (entries.length > 40) lines.push(`…and ${entries.length - 40} more`);
  await interaction.reply({ content: lines.length > 0 ? `Kept off the leaderboards:\n${lines.join('\n')}`.slice(0, 2000) : 'Nobody is excluded from the leaderboards.', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** `/leaderboard-exclude add|remove|list` — the guild's leaderboard exclude list (moderators). */
export const leaderboardExcludeCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ add, remove, list }),
};
