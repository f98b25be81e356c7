import { TIMER_LIMITS } from '@kickcord/core';
import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { addTimerAction, editTimerAction, removeTimerAction } from './timerActions.ts';
import { listTimers, timerMessageProblem } from './timerService.ts';

const data = new SlashCommandBuilder()
  .setName('timer')
  .setDescription('Timed messages posted in Kick chat while live')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((s) =>
    s
      .setName('add')
      .setDescription('Post a message every N minutes while live')
      .addStringOption((o) => o.setName('message').setDescription('What to post').setRequired(true).setMaxLength(TIMER_LIMITS.maxMessageLength))
      .addIntegerOption((o) =>
        o.setName('interval-minutes').setDescription('Minutes between posts').setRequired(true).setMinValue(TIMER_LIMITS.minIntervalMinutes).setMaxValue(TIMER_LIMITS.maxIntervalMinutes),
      )
      .addIntegerOption((o) => o.setName('min-chat-lines').setDescription('Chat messages needed since the last post (default 0)').setMinValue(0).setMaxValue(TIMER_LIMITS.maxChatLines))
      .addStringOption((o) => o.setName('name').setDescription('Short name (default timer-N)').setMaxLength(32)),
  )
  .addSubcommand((s) =>
    s
      .setName('edit')
      .setDescription('Change a timer (only what you pass)')
      .addStringOption((o) => o.setName('name').setDescription('Timer name').setRequired(true).setAutocomplete(true))
      .addStringOption((o) => o.setName('message').setDescription('What to post').setMaxLength(TIMER_LIMITS.maxMessageLength))
      .addIntegerOption((o) => o.setName('interval-minutes').setDescription('Minutes between posts').setMinValue(TIMER_LIMITS.minIntervalMinutes).setMaxValue(TIMER_LIMITS.maxIntervalMinutes))
      .addIntegerOption((o) => o.setName('min-chat-lines').setDescription('Chat messages needed since the last post').setMinValue(0).setMaxValue(TIMER_LIMITS.maxChatLines))
      .addBooleanOption((o) => o.setName('enabled').setDescription('Turn it on or off')),
  )
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription('Delete a timer')
      .addStringOption((o) => o.setName('name').setDescription('Timer name').setRequired(true).setAutocomplete(true)),
  )
  .addSubcommand((s) => s.setName('list').setDescription('Show the timers'));

function reply(interaction: ChatInputCommandInteraction<'cached'>, content: string): Promise<unknown> {
  return interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function add(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, addTimerAction, interactionCall(interaction), {
    message: interaction.options.getString('message', true),
    intervalMinutes: interaction.options.getInteger('interval-minutes', true),
    minChatLines: interaction.options.getInteger('min-chat-lines'),
    name: interaction.options.getString('name'),
  });
  await reply(interaction, outcome.message);
}

async function edit(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const o = interaction.options;
  const pick = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
  const outcome = await runGuildAction(ctx, editTimerAction, interactionCall(interaction), {
    name: o.getString('name', true),
    message: pick(o.getString('message')),
    intervalMinutes: pick(o.getInteger('interval-minutes')),
    minChatLines: pick(o.getInteger('min-chat-lines')),
    enabled: pick(o.getBoolean('enabled')),
  });
  await reply(interaction, outcome.message);
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, removeTimerAction, interactionCall(interaction), { name: interaction.options.getString('name', true) });
  await reply(interaction, outcome.message);
}

function warning(message: string): string {
  const problem = timerMessageProblem(message);
  return problem ? `\n⚠️ ${problem}` : '';
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const timers = await listTimers(ctx, guildId);
  const lines = timers.map(
    (t) =>
      `**${t.name}**${t.enabled ? '' : ' (off)'} — every ${t.intervalMinutes} min${t.minChatLines > 0 ? `, ≥ ${t.minChatLines} lines` : ''}${t.lastPostedAt ? `, last <t:${Math.floor(t.lastPostedAt.getTime() / 1000)}:R>` : ''}\n> ${t.message.slice(0, 200)}${warning(t.message)}`,
  );
  await interaction.reply({
    embeds: [new EmbedBuilder().setTitle('⏱️ Timers').setDescription(lines.length > 0 ? lines.join('\n').slice(0, 4000) : 'No timers yet. Add one with `/timer add`.').setColor(0x53fc18)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

/** `/timer add|edit|remove|list` — timed messages (the dashboard runs the same actions). */
export const timerCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ add, edit, remove, list }),
  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const timers = await listTimers(ctx, interaction.guildId);
    await interaction.respond(timers.filter((t) => t.name.includes(typed)).slice(0, 25).map((t) => ({ name: t.name, value: t.name })));
  },
};
