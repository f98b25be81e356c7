import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { guildSettings } from '../../guildSettings.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { addCounterAction, removeCounterAction, setCounterAction } from './counterActions.ts';
import { listCounters, MAX_COUNTER_VALUE } from './counters.ts';

const data = new SlashCommandBuilder()
  .setName('counters')
  .setDescription('Chat counters such as !deaths, each its own Kick chat command')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('add')
      .setDescription('Add a counter; viewers read it with !<name>, moderators count with !<name> + or -')
      .addStringOption((o) => o.setName('name').setDescription('Command name without prefix, e.g. wins').setRequired(true).setMaxLength(33))
      .addIntegerOption((o) => o.setName('value').setDescription('Starting value (default 0)').setMinValue(0).setMaxValue(MAX_COUNTER_VALUE)),
  )
  .addSubcommand((s) => s.setName('remove').setDescription('Delete a counter (removing deaths resets it)').addStringOption((o) => o.setName('name').setDescription('Counter name').setRequired(true).setMaxLength(33)))
  .addSubcommand((s) =>
    s
      .setName('set')
      .setDescription('Set a counter to a value')
      .addStringOption((o) => o.setName('name').setDescription('Counter name, e.g. deaths').setRequired(true).setMaxLength(33))
      .addIntegerOption((o) => o.setName('value').setDescription('New value').setRequired(true).setMinValue(0).setMaxValue(MAX_COUNTER_VALUE)),
  )
  .addSubcommand((s) => s.setName('list').setDescription('Show the counters and their values'));

async function add(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const value = interaction.options.getInteger('value');
  const outcome = await runGuildAction(ctx, addCounterAction, interactionCall(interaction), { name: interaction.options.getString('name', true), ...(value === null ? {} : { value }) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, removeCounterAction, interactionCall(interaction), { name: interaction.options.getString('name', true) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

async function set(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, setCounterAction, interactionCall(interaction), { name: interaction.options.getString('name', true), value: interaction.options.getInteger('value', true) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const counters = await listCounters(ctx, interaction.guildId);
  const prefix = (await guildSettings(ctx.prisma, interaction.guildId)).commandPrefix;
  const lines = counters.map((c) => `**${prefix}${c.name}** — ${c.value}`);
  await interaction.reply({ content: lines.length > 0 ? `Counters:\n${lines.join('\n')}` : `No counters yet — \`${prefix}deaths\` starts counting when a moderator types \`${prefix}deaths +\`, and /counters add makes more.`, flags: MessageFlags.Ephemeral });
}

/** `/counters add|remove|set|list` — the guild's chat counters (moderators). */
export const countersCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ add, remove, set, list }),
};
