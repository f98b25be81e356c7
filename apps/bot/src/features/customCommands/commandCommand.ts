import { MAX_TEMPLATE_LENGTH, USER_LEVELS, type UserLevel } from '@kickcord/core';
import { likePrefix } from '@kickcord/db';
import { EmbedBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type SlashCommandSubcommandBuilder } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { guildSettings } from '../../guildSettings.ts';
import { addCommand, describeCommand, editCommand, MAX_ALIASES_TEXT, MAX_COMMAND_COST, MAX_COOLDOWN_SEC, removeCommand } from './commandActions.ts';

function optionsFor(s: SlashCommandSubcommandBuilder, required: boolean): SlashCommandSubcommandBuilder {
  return s
    .addStringOption((o) => o.setName('name').setDescription('Command name without prefix, e.g. discord').setRequired(true).setMaxLength(33).setAutocomplete(!required))
    .addStringOption((o) => o.setName('response').setDescription('Reply template, e.g. "{user} → discord.gg/x" ({user} {touser} {args} {points} …)').setRequired(required).setMaxLength(MAX_TEMPLATE_LENGTH))
    .addStringOption((o) => o.setName('aliases').setDescription('Other names, comma separated ("none" clears)').setMaxLength(MAX_ALIASES_TEXT))
    .addIntegerOption((o) => o.setName('cooldown').setDescription('Seconds between uses by anyone (0 = none)').setMinValue(0).setMaxValue(MAX_COOLDOWN_SEC))
    .addIntegerOption((o) => o.setName('user_cooldown').setDescription('Seconds between uses by the same viewer (0 = none)').setMinValue(0).setMaxValue(MAX_COOLDOWN_SEC))
    .addStringOption((o) => o.setName('level').setDescription('Who may use it').addChoices(...USER_LEVELS.map((l) => ({ name: l, value: l }))))
    .addIntegerOption((o) => o.setName('cost').setDescription('Points charged per use (0 = free)').setMinValue(0).setMaxValue(MAX_COMMAND_COST))
    .addBooleanOption((o) => o.setName('live_only').setDescription('Only answer while the stream is live'))
    .addBooleanOption((o) => o.setName('listed').setDescription('Show it on the public command list (default yes)'));
}

const data = new SlashCommandBuilder()
  .setName('command')
  .setDescription('Custom Kick chat commands')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => optionsFor(s.setName('add').setDescription('Add a chat command'), true))
  .addSubcommand((s) => optionsFor(s.setName('edit').setDescription('Change a chat command (only what you pass)'), false).addBooleanOption((o) => o.setName('enabled').setDescription('Turn it on or off')))
  .addSubcommand((s) => s.setName('remove').setDescription('Delete a chat command').addStringOption((o) => o.setName('name').setDescription('Command name').setRequired(true).setMaxLength(33).setAutocomplete(true)))
  .addSubcommand((s) => s.setName('list').setDescription('List the chat commands'));

/** The options a moderator passed (an option left out is not in the result, so it is not changed). */
function passedOptions(interaction: ChatInputCommandInteraction<'cached'>) {
  const o = interaction.options;
  const pick = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
  return {
    name: o.getString('name', true),
    response: pick(o.getString('response')),
    aliases: pick(o.getString('aliases')),
    cooldown: pick(o.getInteger('cooldown')),
    userCooldown: pick(o.getInteger('user_cooldown')),
    // One of the option's choices; the action's schema checks it again.
    level: pick(o.getString('level')) as UserLevel | undefined,
    cost: pick(o.getInteger('cost')),
    liveOnly: pick(o.getBoolean('live_only')),
    listed: pick(o.getBoolean('listed')),
  };
}

function reply(interaction: ChatInputCommandInteraction<'cached'>, content: string): Promise<unknown> {
  return interaction.reply({ content, allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
}

async function add(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const options = passedOptions(interaction);
  const outcome = await runGuildAction(ctx, addCommand, interactionCall(interaction), { ...options, response: options.response ?? '' });
  await reply(interaction, outcome.message);
}

async function edit(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const enabled = interaction.options.getBoolean('enabled');
  const outcome = await runGuildAction(ctx, editCommand, interactionCall(interaction), { ...passedOptions(interaction), ...(enabled === null ? {} : { enabled }) });
  await reply(interaction, outcome.message);
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, removeCommand, interactionCall(interaction), { name: interaction.options.getString('name', true) });
  await reply(interaction, outcome.message);
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const { commandPrefix: prefix } = await guildSettings(ctx.prisma, interaction.guildId);
  const all = await ctx.prisma.chatCommand.findMany({ where: { guildId: interaction.guildId }, orderBy: { name: 'asc' } });
  const embed = new EmbedBuilder().setColor(0x53fc18).setTitle(`Chat commands (${all.length})`);
  if (all.length === 0) embed.setDescription('No custom commands yet — add one with /command add.');
  for (const c of all.slice(0, 25)) embed.addFields({ name: `${prefix}${c.name}`, value: describeCommand(c, prefix) });
  if (all.length > 25) embed.setFooter({ text: `…and ${all.length - 25} more` });
  await interaction.reply({ embeds: [embed], allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
}

/** `/command add|edit|remove|list` — moderators manage custom Kick chat commands (the dashboard runs the same actions). */
export const commandCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ add, edit, remove, list }),
  async autocomplete(interaction, ctx) {
    const typed = String(interaction.options.getFocused()).trim().toLowerCase().replace(/^\W+/, '');
    const rows = await ctx.prisma.chatCommand.findMany({ where: { guildId: interaction.guildId, ...(typed ? { name: { startsWith: likePrefix(typed) } } : {}) }, orderBy: { name: 'asc' }, take: 25, select: { name: true } });
    await interaction.respond(rows.map((r) => ({ name: r.name, value: r.name })));
  },
};
