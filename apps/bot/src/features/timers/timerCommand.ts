import { TIMER_LIMITS } from '@kickcord/core';
import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { addTimer, listTimers, removeTimer, timerMessageProblem } from './timerService.ts';

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
      .setName('remove')
      .setDescription('Delete a timer')
      .addStringOption((o) => o.setName('name').setDescription('Timer name').setRequired(true).setAutocomplete(true)),
  )
  .addSubcommand((s) => s.setName('list').setDescription('Show the timers'));

async function add(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const timer = await addTimer(ctx, {
    guildId,
    message: interaction.options.getString('message', true),
    intervalMinutes: interaction.options.getInteger('interval-minutes', true),
    minChatLines: interaction.options.getInteger('min-chat-lines'),
    name: interaction.options.getString('name'),
  });
  await interaction.reply({
    content: `⏱️ Timer **${timer.name}** posts every ${timer.intervalMinutes} min while live${timer.minChatLines > 0 ? `, after at least ${timer.minChatLines} chat messages` : ''}.`,
    flags: MessageFlags.Ephemeral,
  });
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const timer = await removeTimer(ctx, { guildId, name: interaction.options.getString('name', true) });
  await interaction.reply({ content: `Timer **${timer.name}** removed.`, flags: MessageFlags.Ephemeral });
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
      `**${t.name}** — every ${t.intervalMinutes} min${t.minChatLines > 0 ? `, ≥ ${t.minChatLines} lines` : ''}${t.lastPostedAt ? `, last <t:${Math.floor(t.lastPostedAt.getTime() / 1000)}:R>` : ''}\n> ${t.message.slice(0, 200)}${warning(t.message)}`,
  );
  await interaction.reply({
    embeds: [new EmbedBuilder().setTitle('⏱️ Timers').setDescription(lines.length > 0 ? lines.join('\n').slice(0, 4000) : 'No timers yet. Add one with `/timer add`.').setColor(0x53fc18)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

/** `/timer add|remove|list` — timed messages. */
export const timerCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ add, remove, list }),
  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const timers = await listTimers(ctx, interaction.guildId);
    await interaction.respond(timers.filter((t) => t.name.includes(typed)).slice(0, 25).map((t) => ({ name: t.name, value: t.name })));
  },
};
