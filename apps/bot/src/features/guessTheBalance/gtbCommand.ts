import { formatPointsAmount } from '@kickcord/core';
import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { linkedMentions, pingLinkedViewers } from '../accountLinking/linkedMentions.ts';
import { cancelGtbAction, closeGtbAction, resolveGtbAction, startGtbAction, type GtbResolveData } from './gtbActions.ts';
import { MAX_GTB_PRIZE } from './gtbService.ts';

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
  await interaction.deferReply();
  const outcome = await runGuildAction(ctx, startGtbAction, interactionCall(interaction), { prize: interaction.options.getInteger('prize') });
  await interaction.editReply({ content: outcome.message });
}

async function close(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply();
  const outcome = await runGuildAction(ctx, closeGtbAction, interactionCall(interaction), {});
  await interaction.editReply({ content: outcome.message });
}

async function result(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply();
  const outcome = await runGuildAction(ctx, resolveGtbAction, interactionCall(interaction), { amount: interaction.options.getString('amount', true) });
  const r = outcome.data as GtbResolveData;
  const embed = new EmbedBuilder().setTitle(`💰 The balance was ${r.balance}`).setColor(0x53fc18).setFooter({ text: `${r.guesses} guesses` });
  const names = await linkedMentions(ctx, r.winner ? [r.winner] : []);
  if (!r.winner) embed.setDescription('Nobody guessed this round.');
  else {
    embed.setDescription(
      [
        `Winner: ${names.label(r.winner)} with ${r.winner.amount}${r.prize > 0 ? ` — wins ${formatPointsAmount(r.prize)}` : ''}`,
        ...(r.tied.length > 1 ? [`Tied (earliest guess wins): ${r.tied.map((g) => `${g.username} (${g.amount})`).join(', ')}`] : []),
      ].join('\n'),
    );
  }
  await interaction.editReply({ embeds: [embed], allowedMentions: { parse: [] } });
  await pingLinkedViewers(interaction, names, '💰 Guess the balance won by');
}

async function cancel(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, cancelGtbAction, interactionCall(interaction), {});
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

/** `/gtb start|close|result|cancel` — guess-the-balance rounds. */
export const gtbCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ start, close, result, cancel }),
};
