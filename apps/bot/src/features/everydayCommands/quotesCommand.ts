import { USER_LEVELS } from '@kickcord/core';
import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { editQuoteAction, quoteSettingsAction, removeQuoteAction } from './quoteActions.ts';
import { formatQuote, MAX_QUOTE_LENGTH } from './quotes.ts';

/** Quotes per page of `/quotes list`. */
export const QUOTES_PER_PAGE = 15;

const data = new SlashCommandBuilder()
  .setName('quotes')
  .setDescription('Quotes saved with !quote add in Kick chat')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => s.setName('list').setDescription('Show the quotes, newest first').addIntegerOption((o) => o.setName('page').setDescription('Page (1 = newest)').setMinValue(1)))
  .addSubcommand((s) => s.setName('remove').setDescription('Delete a quote (the others keep their numbers)').addIntegerOption((o) => o.setName('number').setDescription('Quote number').setRequired(true).setMinValue(1)))
  .addSubcommand((s) =>
    s
      .setName('edit')
      .setDescription('Change the words of a quote')
      .addIntegerOption((o) => o.setName('number').setDescription('Quote number').setRequired(true).setMinValue(1))
      .addStringOption((o) => o.setName('text').setDescription('The new words').setRequired(true).setMaxLength(MAX_QUOTE_LENGTH)),
  )
  .addSubcommand((s) =>
    s
      .setName('settings')
      .setDescription('Who may add quotes with !quote add')
      .addStringOption((o) =>
        o
          .setName('add-level')
          .setDescription('Lowest level that may add quotes')
          .setRequired(true)
          .addChoices(...USER_LEVELS.map((l) => ({ name: l, value: l }))),
      ),
  );

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const page = interaction.options.getInteger('page') ?? 1;
  const total = await ctx.prisma.quote.count({ where: { guildId: interaction.guildId } });
  if (total === 0) {
    await interaction.reply({ content: 'No quotes yet — viewers of the allowed level add them with `!quote add <text>` in Kick chat.', flags: MessageFlags.Ephemeral });
    return;
  }
  const pages = Math.ceil(total / QUOTES_PER_PAGE);
  if (page > pages) throw new UserFacingError(`There ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of quotes.`);
  const quotes = await ctx.prisma.quote.findMany({ where: { guildId: interaction.guildId }, orderBy: { number: 'desc' }, skip: (page - 1) * QUOTES_PER_PAGE, take: QUOTES_PER_PAGE });
  const lines = quotes.map((q) => `${formatQuote(q)} — added by ${q.addedByName}`.slice(0, 120));
  await interaction.reply({ content: `Quotes (page ${page} of ${pages}, ${total} in all):\n${lines.join('\n')}`.slice(0, 2000), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, removeQuoteAction, interactionCall(interaction), { number: interaction.options.getInteger('number', true) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function edit(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, editQuoteAction, interactionCall(interaction), { number: interaction.options.getInteger('number', true), text: interaction.options.getString('text', true) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function settings(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, quoteSettingsAction, interactionCall(interaction), { addLevel: interaction.options.getString('add-level', true) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

/** `/quotes list|remove|edit|settings` — the guild's quotes (moderators). */
export const quotesCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ list, remove, edit, settings }),
};
