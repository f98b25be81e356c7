import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { guildSettings } from '../../guildSettings.ts';
import { addCounter, DEATHS_COUNTER, listCounters, MAX_COUNTER_VALUE, removeCounter, setCounter } from './counters.ts';

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
  const counter = await addCounter(ctx, { guildId: interaction.guildId, name: interaction.options.getString('name', true), value: interaction.options.getInteger('value') ?? 0, createdByDiscordId: interaction.user.id });
  const prefix = (await guildSettings(ctx.prisma, interaction.guildId)).commandPrefix;
  await interaction.reply({ content: `Counter **${counter.name}** added at ${counter.value}: viewers see it with \`${prefix}${counter.name}\`, moderators count with \`${prefix}${counter.name} +\` or \`-\`.`, flags: MessageFlags.Ephemeral });
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const counter = await removeCounter(ctx, interaction.guildId, interaction.options.getString('name', true));
  const note = counter.name === DEATHS_COUNTER ? ' The built-in !deaths starts again at 0 (turn it off with /commands builtin disable).' : '';
  await interaction.reply({ content: `Counter **${counter.name}** (at ${counter.value}) removed.${note}`, flags: MessageFlags.Ephemeral });
}

async function set(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const counter = await setCounter(ctx, { guildId: interaction.guildId, name: interaction.options.getString('name', true), value: interaction.options.getInteger('value', true) });
  await interaction.reply({ content: `Counter **${counter.name}** is now ${counter.value}.`, flags: MessageFlags.Ephemeral });
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
