import { formatPointsAmount } from '@kickcord/core';
import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { linkedMentions, pingLinkedViewers } from '../accountLinking/linkedMentions.ts';
import { cancelRaffleAction, closeRaffleAction, describeRaffleWinners, drawRaffleAction, redrawRaffleAction, startRaffleAction, type RaffleDrawData, type RaffleStartData, type RaffleWinnerData } from './raffleActions.ts';
import { activeRaffle, MAX_RAFFLE_DURATION_MINUTES, raffleStats } from './raffleService.ts';

const data = new SlashCommandBuilder()
  .setName('raffle')
  .setDescription('Run a raffle in Kick chat')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((s) =>
    s
      .setName('start')
      .setDescription('Start a raffle: viewers type the keyword in Kick chat to enter')
      .addStringOption((o) => o.setName('keyword').setDescription('What viewers type to enter (default !join)').setMaxLength(32))
      .addIntegerOption((o) => o.setName('cost').setDescription('Points an entry costs (default 0; refunded if cancelled)').setMinValue(0).setMaxValue(2_147_483_647))
      .addIntegerOption((o) => o.setName('duration').setDescription('Minutes until entries close (default: until you draw)').setMinValue(1).setMaxValue(MAX_RAFFLE_DURATION_MINUTES))
      .addIntegerOption((o) => o.setName('winners').setDescription('How many winners (default 1)').setMinValue(1).setMaxValue(100))
      .addIntegerOption((o) => o.setName('subscriber-luck').setDescription('Tickets a subscriber gets (default 1 = no bonus)').setMinValue(1).setMaxValue(100))
      .addIntegerOption((o) => o.setName('gifted-sub-tickets').setDescription('Tickets per sub a viewer gifts while open (default 0 = off)').setMinValue(0).setMaxValue(100)),
  )
  .addSubcommand((s) => s.setName('close').setDescription('Stop taking entries (draw later with /raffle draw)'))
  .addSubcommand((s) => s.setName('draw').setDescription('Draw the winners now and announce them'))
  .addSubcommand((s) => s.setName('redraw').setDescription('Draw one more winner of the last drawn raffle, among those who have not won'))
  .addSubcommand((s) => s.setName('cancel').setDescription('Cancel the raffle and refund entry costs'))
  .addSubcommand((s) => s.setName('status').setDescription('Show the running raffle'));

async function start(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply();
  const outcome = await runGuildAction(ctx, startRaffleAction, interactionCall(interaction), {
    keyword: interaction.options.getString('keyword'),
    cost: interaction.options.getInteger('cost'),
    durationMinutes: interaction.options.getInteger('duration'),
    winners: interaction.options.getInteger('winners'),
    subscriberLuck: interaction.options.getInteger('subscriber-luck'),
    giftedSubTickets: interaction.options.getInteger('gifted-sub-tickets'),
  });
  const raffle = outcome.data as RaffleStartData;
  const endsAt = raffle.endsAt ? Date.parse(raffle.endsAt) : null;
  const lines = [
    `Viewers enter by typing **${raffle.keyword}** in Kick chat${raffle.cost > 0 ? ` (costs ${formatPointsAmount(raffle.cost)})` : ''}.`,
    `Winners: ${raffle.winners}${raffle.subscriberLuck > 1 ? ` · subscribers get ${raffle.subscriberLuck} tickets` : ''}${raffle.giftedSubTickets > 0 ? ` · ${raffle.giftedSubTickets} tickets per gifted sub` : ''}`,
    endsAt ? `Entries close <t:${Math.floor(endsAt / 1000)}:R>; then \`/raffle draw\`.` : 'Draw with `/raffle draw` when you are ready.',
  ];
  await interaction.editReply({ embeds: [new EmbedBuilder().setTitle('🎟️ Raffle started').setDescription(lines.join('\n')).setColor(0x53fc18)], allowedMentions: { parse: [] } });
}

async function close(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply();
  const outcome = await runGuildAction(ctx, closeRaffleAction, interactionCall(interaction), {});
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function draw(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply();
  const result = (await runGuildAction(ctx, drawRaffleAction, interactionCall(interaction), {})).data as RaffleDrawData;
  const names = await linkedMentions(ctx, result.winners);
  await interaction.editReply({
    embeds: [
      new EmbedBuilder()
        .setTitle(result.winners.length === 1 ? '🎉 Raffle winner' : '🎉 Raffle winners')
        .setDescription(describeRaffleWinners(result.winners, (w) => names.label(w)))
        .setFooter({ text: `${result.entrants} entries · ${result.tickets} tickets · drawn with a cryptographically secure random draw` })
        .setColor(0x53fc18),
    ],
    allowedMentions: { parse: [] },
  });
  await pingLinkedViewers(interaction, names, result.winners.length === 1 ? '🎉 Raffle winner:' : '🎉 Raffle winners:');
}

async function redraw(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply();
  const outcome = await runGuildAction(ctx, redrawRaffleAction, interactionCall(interaction), {});
  const { winner } = outcome.data as { winner: RaffleWinnerData };
  const names = await linkedMentions(ctx, [winner]);
  await interaction.editReply({ content: outcome.message.replace(`**${winner.username}**`, names.label(winner)), allowedMentions: { parse: [] } });
  await pingLinkedViewers(interaction, names, '🎉 Raffle re-draw winner:');
}

async function cancel(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply();
  const outcome = await runGuildAction(ctx, cancelRaffleAction, interactionCall(interaction), {});
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function status(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const raffle = await activeRaffle(ctx, guildId);
  if (!raffle) throw new UserFacingError('No raffle is running. Start one with `/raffle start`.');
  const stats = await raffleStats(ctx, raffle.id);
  const state = raffle.status === 'open' ? (raffle.endsAt ? `open — entries close <t:${Math.floor(raffle.endsAt.getTime() / 1000)}:R>` : 'open') : 'entries closed — ready to draw';
  await interaction.reply({
    embeds: [
      new EmbedBuilder()
        .setTitle('🎟️ Raffle status')
        .setDescription(`Keyword **${raffle.keyword}** · ${state}`)
        .addFields(
          { name: 'Entries', value: String(stats.entrants), inline: true },
          { name: 'Tickets', value: String(stats.tickets), inline: true },
          { name: 'Winners', value: String(raffle.winnersCount), inline: true },
          { name: 'Cost', value: raffle.cost > 0 ? `${formatPointsAmount(raffle.cost)}` : 'free', inline: true },
        )
        .setColor(0x53fc18),
    ],
    flags: MessageFlags.Ephemeral,
  });
}

/** `/raffle start|close|draw|redraw|cancel|status` — moderators run raffles that viewers enter from Kick chat. */
export const raffleCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ start, close, draw, redraw, cancel, status }),
};
