import { MAX_BALANCE, type GuildSettings } from '@kickcord/db';
import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { formatPoints } from '../../formatPoints.ts';
import { forgetGuildSettings, guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Longest cooldown and duel expiry, in seconds (one day). */
export const MAX_GAME_SECONDS = 86_400;

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

/** The games' settings a moderator can change. */
export type GamesSettings = Pick<
  GuildSettings,
  'gambleEnabled' | 'gambleWinChance' | 'gambleMinBet' | 'gambleMaxBet' | 'gambleCooldownSec' | 'duelEnabled' | 'duelMinBet' | 'duelMaxBet' | 'duelCooldownSec' | 'duelExpirySec'
>;

/** Writes games settings (checked as a whole: minimum ≤ maximum) and drops the chat path's cached copy. */
export async function updateGamesSettings(ctx: BotContext, guildId: string, changes: Partial<GamesSettings>): Promise<GamesSettings> {
  const current = await guildSettings(ctx.prisma, guildId);
  const next = { ...current, ...changes };
  if (next.gambleMinBet > next.gambleMaxBet) throw new UserFacingError(`The smallest bet (${formatPoints(next.gambleMinBet)}) is above the largest (${formatPoints(next.gambleMaxBet)}).`);
  if (next.duelMinBet > next.duelMaxBet) throw new UserFacingError(`The smallest stake (${formatPoints(next.duelMinBet)}) is above the largest (${formatPoints(next.duelMaxBet)}).`);
  if (next.gambleWinChance < 1 || next.gambleWinChance > 99) throw new UserFacingError('The win chance is a percentage from 1 to 99.');
  const saved = await ctx.prisma.guildSettings.update({ where: { guildId }, data: changes });
  await forgetGuildSettings(ctx, guildId);
  return saved;
}

function describe(s: GamesSettings): string {
  return [
    `**!gamble** ${s.gambleEnabled ? 'on' : 'off'} · win chance ${s.gambleWinChance}% · bets ${formatPoints(s.gambleMinBet)}–${formatPoints(s.gambleMaxBet)} · cooldown ${s.gambleCooldownSec}s`,
    `**!duel** ${s.duelEnabled ? 'on' : 'off'} · stakes ${formatPoints(s.duelMinBet)}–${formatPoints(s.duelMaxBet)} · cooldown ${s.duelCooldownSec}s · ${s.duelExpirySec}s to !accept`,
  ].join('\n');
}

function option(interaction: ChatInputCommandInteraction<'cached'>, name: string): number | undefined {
  return interaction.options.getInteger(name) ?? undefined;
}

async function answer(interaction: ChatInputCommandInteraction<'cached'>, s: GamesSettings): Promise<void> {
  await interaction.reply({ embeds: [new EmbedBuilder().setTitle('🎲 Chat games').setDescription(describe(s)).setColor(0x53fc18)], flags: MessageFlags.Ephemeral });
}

/** The given options only (an option left out keeps its setting). */
function defined(o: { [K in keyof GamesSettings]?: GamesSettings[K] | undefined }): Partial<GamesSettings> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<GamesSettings>;
}

/** `/games show|gamble|duel` — turn !gamble and !duel on or off and set their limits (moderators). */
export const gamesCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({
    show: async (interaction, ctx) => answer(interaction, await guildSettings(ctx.prisma, interaction.guildId)),
    gamble: async (interaction, ctx) =>
      answer(
        interaction,
        await updateGamesSettings(ctx, interaction.guildId, defined({ gambleEnabled: interaction.options.getBoolean('enabled', true), gambleWinChance: option(interaction, 'win-chance'), gambleMinBet: option(interaction, 'min-bet'), gambleMaxBet: option(interaction, 'max-bet'), gambleCooldownSec: option(interaction, 'cooldown') })),
      ),
    duel: async (interaction, ctx) =>
      answer(
        interaction,
        await updateGamesSettings(ctx, interaction.guildId, defined({ duelEnabled: interaction.options.getBoolean('enabled', true), duelMinBet: option(interaction, 'min-bet'), duelMaxBet: option(interaction, 'max-bet'), duelCooldownSec: option(interaction, 'cooldown'), duelExpirySec: option(interaction, 'expiry') })),
      ),
  }),
};
