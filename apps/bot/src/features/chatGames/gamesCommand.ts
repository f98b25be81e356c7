import { MAX_BALANCE } from '@kickcord/db';
import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { guildSettings } from '../../guildSettings.ts';
import { describeGames, duelSettingsAction, gambleSettingsAction, MAX_GAME_SECONDS } from './chatGamesActions.ts';

export { MAX_GAME_SECONDS, updateGamesSettings, type GamesSettings } from './chatGamesActions.ts';

const data = new SlashCommandBuilder()
  .setName('games')
  .setDescription('Ways to spend points in Kick chat: !gamble and !duel (both off until turned on)')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((s) => s.setName('show').setDescription('Show the chat games settings'))
  .addSubcommand((s) =>
    s
      .setName('gamble')
      .setDescription('!gamble <amount|all|N%>: win the bet back doubled, or lose it')
      .addBooleanOption((o) => o.setName('enabled').setDescription('Let viewers gamble').setRequired(true))
      .addIntegerOption((o) => o.setName('win-chance').setDescription('Chance to win, in percent (default 45)').setMinValue(1).setMaxValue(99))
      .addIntegerOption((o) => o.setName('min-bet').setDescription('Smallest bet (default 10)').setMinValue(1).setMaxValue(MAX_BALANCE))
      .addIntegerOption((o) => o.setName('max-bet').setDescription('Largest bet (default 10,000)').setMinValue(1).setMaxValue(MAX_BALANCE))
      .addIntegerOption((o) => o.setName('cooldown').setDescription('Seconds a viewer waits between bets (default 30)').setMinValue(0).setMaxValue(MAX_GAME_SECONDS)),
  )
  .addSubcommand((s) =>
    s
      .setName('duel')
      .setDescription('!duel @viewer <amount>, answered with !accept: the winner takes both stakes')
      .addBooleanOption((o) => o.setName('enabled').setDescription('Let viewers duel').setRequired(true))
      .addIntegerOption((o) => o.setName('min-bet').setDescription('Smallest stake (default 10)').setMinValue(1).setMaxValue(MAX_BALANCE))
      .addIntegerOption((o) => o.setName('max-bet').setDescription('Largest stake (default 10,000)').setMinValue(1).setMaxValue(MAX_BALANCE))
      .addIntegerOption((o) => o.setName('cooldown').setDescription('Seconds a viewer waits between challenges (default 30)').setMinValue(0).setMaxValue(MAX_GAME_SECONDS))
      .addIntegerOption((o) => o.setName('expiry').setDescription('Seconds the challenged viewer has to !accept (default 60)').setMinValue(10).setMaxValue(MAX_GAME_SECONDS)),
  );

async function answer(interaction: ChatInputCommandInteraction<'cached'>, description: string): Promise<void> {
  await interaction.reply({ embeds: [new EmbedBuilder().setTitle('🎲 Chat games').setDescription(description).setColor(0x53fc18)], flags: MessageFlags.Ephemeral });
}

/** `/games show|gamble|duel` — turn !gamble and !duel on or off and set their limits (moderators). */
export const gamesCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({
    show: async (interaction, ctx) => answer(interaction, describeGames(await guildSettings(ctx.prisma, interaction.guildId))),
    gamble: async (interaction, ctx) => {
      const o = interaction.options;
      const outcome = await runGuildAction(ctx, gambleSettingsAction, interactionCall(interaction), { enabled: o.getBoolean('enabled', true), winChance: o.getInteger('win-chance') ?? undefined, minBet: o.getInteger('min-bet') ?? undefined, maxBet: o.getInteger('max-bet') ?? undefined, cooldown: o.getInteger('cooldown') ?? undefined });
      await answer(interaction, outcome.message);
    },
    duel: async (interaction, ctx) => {
      const o = interaction.options;
      const outcome = await runGuildAction(ctx, duelSettingsAction, interactionCall(interaction), { enabled: o.getBoolean('enabled', true), minBet: o.getInteger('min-bet') ?? undefined, maxBet: o.getInteger('max-bet') ?? undefined, cooldown: o.getInteger('cooldown') ?? undefined, expiry: o.getInteger('expiry') ?? undefined });
      await answer(interaction, outcome.message);
    },
  }),
};
