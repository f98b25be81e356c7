import { formatDuration, formatPointsAmount } from '@kickcord/core';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { linkedMentions } from '../accountLinking/linkedMentions.ts';
import type { LeaderboardKind } from '../../viewers/viewerStats.ts';
import { rankedLeaderboardPage } from './leaderboardRanks.ts';

/** Rows per leaderboard page. */
export const LEADERBOARD_PAGE_SIZE = 10;
const BUTTON_PREFIX = 'lb';

const data = new SlashCommandBuilder()
  .setName('leaderboard')
  .setDescription('Top viewers by points or watchtime')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) =>
    o
      .setName('by')
      .setDescription('Rank by (default points)')
      .addChoices({ name: 'points', value: 'points' }, { name: 'watchtime', value: 'watchtime' }),
  );

/** Builds one page of the guild's leaderboard (embed + previous/next buttons); excluded viewers are left out, ties share a rank. */
export async function renderLeaderboard(ctx: BotContext, guildId: string, by: LeaderboardKind, page: number) {
  const { page: p, rows } = await rankedLeaderboardPage(ctx, guildId, by, page, LEADERBOARD_PAGE_SIZE);
  // Linked viewers show their Discord mention (an embed's mentions never ping).
  const names = await linkedMentions(ctx, rows);
  const lines = rows.map((r) => `**${r.rank}.** ${names.label(r, { bold: false })} — ${by === 'points' ? formatPointsAmount(r.points) : formatDuration(r.activeMinutes)}`);
  const embed = new EmbedBuilder()
    .setColor(0x53fc18)
    .setTitle(by === 'points' ? '🏆 Points leaderboard' : '⏱️ Watchtime leaderboard')
    .setDescription(lines.length ? lines.join('\n') : by === 'points' ? 'Nobody has points yet.' : 'Nobody has watchtime yet.')
    .setFooter({ text: `Page ${p.page}/${p.pages}${by === 'watchtime' ? ' · active minutes while live' : ''}` });
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`${BUTTON_PREFIX}:${by}:${p.page - 1}`).setLabel('◀ Previous').setStyle(ButtonStyle.Secondary).setDisabled(!p.hasPrevious),
    new ButtonBuilder().setCustomId(`${BUTTON_PREFIX}:${by}:${p.page + 1}`).setLabel('Next ▶').setStyle(ButtonStyle.Secondary).setDisabled(!p.hasNext),
  );
  return { embeds: [embed], components: [row], allowedMentions: { parse: [] } };
}

function kindOf(value: string | null | undefined): LeaderboardKind {
  return value === 'watchtime' ? 'watchtime' : 'points';
}

/** `/leaderboard [by]` — everyone; pages with previous/next buttons (always this server's viewers). */
export const leaderboardCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: false,
  buttonPrefix: BUTTON_PREFIX,
  async execute(interaction, ctx) {
    await interaction.reply(await renderLeaderboard(ctx, interaction.guildId, kindOf(interaction.options.getString('by')), 1));
  },
  async onButton(interaction, ctx) {
    const [, by, page] = interaction.customId.split(':');
    const n = Number(page);
    if (!Number.isInteger(n)) throw new UserFacingError('This button has expired — run /leaderboard again.');
    await interaction.update(await renderLeaderboard(ctx, interaction.guildId, kindOf(by), n));
  },
};
