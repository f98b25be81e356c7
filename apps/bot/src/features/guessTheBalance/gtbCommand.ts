import { formatCents, formatPointsAmount } from '@kickcord/core';
import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { linkedMentions, pingLinkedViewers } from '../accountLinking/linkedMentions.ts';
import { cancelGtbRound, closeGtbRound, MAX_GTB_PRIZE, resolveGtbRound, startGtbRound } from './gtbService.ts';

const data = new SlashCommandBuilder()
  .setName('gtb')
  .setDescription('Guess the balance: viewers guess with !gtb <amount> in Kick chat')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((s) =>
    s
      .setName('start')
      .setDescription('Open a round')
      .addIntegerOption((o) => o.setName('prize').setDescription('Points for the closest guess (default 0)').setMinValue(0).setMaxValue(MAX_GTB_PRIZE)),
  )
  .addSubcommand((s) => s.setName('close').setDescription('Stop taking guesses'))
  .addSubcommand((s) =>
    s
      .setName('result')
      .setDescription('Enter the real balance: names the closest guess and pays the prize')
      .addStringOption((o) => o.setName('amount').setDescription('The balance, e.g. 1234.50 or 1.2k').setRequired(true).setMaxLength(40)),
  )
  .addSubcommand((s) => s.setName('cancel').setDescription('End the round without a result or prize'));

async function start(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  await interaction.deferReply();
  const round = await startGtbRound(ctx, { guildId, actorDiscordId: interaction.user.id, prize: interaction.options.getInteger('prize') });
  await interaction.editReply({ content: `💰 Guess the balance is open: viewers type \`!gtb <amount>\` in Kick chat.${round.prize > 0 ? ` Prize: ${formatPointsAmount(round.prize)}.` : ''} Close with \`/gtb close\`, then \`/gtb result <amount>\`.` });
}

async function close(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  await interaction.deferReply();
  const { guesses } = await closeGtbRound(ctx, { guildId });
  await interaction.editReply({ content: `🔒 Guesses closed with ${guesses} ${guesses === 1 ? 'guess' : 'guesses'}. Enter the balance with \`/gtb result <amount>\`.` });
}

async function result(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  await interaction.deferReply();
  const r = await resolveGtbRound(ctx, { guildId, amountText: interaction.options.getString('amount', true), actorDiscordId: interaction.user.id });
  const embed = new EmbedBuilder().setTitle(`💰 The balance was ${formatCents(r.resultCents)}`).setColor(0x53fc18).setFooter({ text: `${r.guesses} guesses` });
  const names = await linkedMentions(ctx, r.winner ? [r.winner] : []);
  if (!r.winner) embed.setDescription('Nobody guessed this round.');
  else {
    embed.setDescription(
      [
        `Winner: ${names.label(r.winner)} with ${formatCents(r.winner.cents)}${r.round.prize > 0 ? ` — wins ${formatPointsAmount(r.round.prize)}` : ''}`,
        ...(r.closest.length > 1 ? [`Tied (earliest guess wins): ${r.closest.map((g) => `${g.username} (${formatCents(g.cents)})`).join(', ')}`] : []),
      ].join('\n'),
    );
  }
  await interaction.editReply({ embeds: [embed], allowedMentions: { parse: [] } });
  await pingLinkedViewers(interaction, names, '💰 Guess the balance won by');
}

async function cancel(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  await cancelGtbRound(ctx, { guildId });
  await interaction.reply({ content: 'Guess-the-balance round cancelled (no prize).', flags: MessageFlags.Ephemeral });
}

/** `/gtb start|close|result|cancel` — guess-the-balance rounds. */
export const gtbCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ start, close, result, cancel }),
};
