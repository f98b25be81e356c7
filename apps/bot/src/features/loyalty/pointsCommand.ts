import { findLinkByDiscord } from '@kickcord/connections';
import { adminKey, formatDuration, formatPointsAmount, MAX_INT32 } from '@kickcord/core';
import { appendLedgerEntries, BalanceLimitError, spendPoints } from '@kickcord/db';
import { EmbedBuilder, InteractionContextType, MessageFlags, SlashCommandBuilder, type ChatInputCommandInteraction, type SlashCommandStringOption } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { requireModerator } from '../../discord/permissions.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { formatPoints } from '../../formatPoints.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { autocompleteViewer, kickUsernameOption } from '../../viewers/viewerOption.ts';
import { resolveViewerNow, viewerStatsById } from '../../viewers/viewerStats.ts';
import { linkedMentions } from '../accountLinking/linkedMentions.ts';
import { describeRank, leaderboardRank } from '../leaderboard/leaderboardRanks.ts';
import { addPointsTransferSubcommands, executePointsExport, executePointsImport, onPointsImportButton, POINTS_IMPORT_BUTTON_PREFIX } from './pointsTransferCommand.ts';

/** Largest single change a moderator can make. */
export const MAX_POINTS_CHANGE = 1_000_000_000;

const userOption = (o: SlashCommandStringOption) => o.setName('user').setDescription("The viewer's Kick username").setRequired(true).setMaxLength(33).setAutocomplete(true);
const reasonOption = (o: SlashCommandStringOption) => o.setName('reason').setDescription('Why (kept in the ledger)').setMaxLength(200);

const data = addPointsTransferSubcommands(new SlashCommandBuilder())
  .setName('points')
  .setDescription('Loyalty points of Kick viewers')
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('show')
      .setDescription("Show a viewer's points and watchtime (yours when linked with /link)")
      .addStringOption((o) => o.setName('user').setDescription("The viewer's Kick username (default: your own linked Kick account)").setMaxLength(33).setAutocomplete(true)),
  )
  .addSubcommand((s) =>
    s
      .setName('give')
      .setDescription('Give points to a viewer (moderators)')
      .addStringOption(userOption)
      .addIntegerOption((o) => o.setName('amount').setDescription('Points to add').setRequired(true).setMinValue(1).setMaxValue(MAX_POINTS_CHANGE))
      .addStringOption(reasonOption),
  )
  .addSubcommand((s) =>
    s
      .setName('take')
      .setDescription('Take points from a viewer (moderators)')
      .addStringOption(userOption)
      .addIntegerOption((o) => o.setName('amount').setDescription('Points to remove').setRequired(true).setMinValue(1).setMaxValue(MAX_POINTS_CHANGE))
      .addStringOption(reasonOption),
  )
  .addSubcommand((s) =>
    s
      .setName('set')
      .setDescription("Set a viewer's balance (moderators)")
      .addStringOption(userOption)
      .addIntegerOption((o) => o.setName('amount').setDescription('The new balance').setRequired(true).setMinValue(0).setMaxValue(MAX_POINTS_CHANGE))
      .addStringOption(reasonOption),
  );

async function viewerOrFail(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) {
  const name = kickUsernameOption(interaction);
  const viewer = await resolveViewerNow(ctx, interaction.guildId, name);
  if (!viewer) throw new UserFacingError(`I don't know a Kick viewer named "${name}" yet — they appear once they chat in the streamer's channel.`);
  return viewer;
}

/** The viewer of `/points show`: the one named, or without a name the caller's own linked Kick account. */
async function shownViewer(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) {
  if (interaction.options.getString('user') !== null) return viewerOrFail(interaction, ctx);
  const link = await findLinkByDiscord(ctx.prisma, interaction.user.id);
  if (!link) throw new UserFacingError('Your Discord account is not linked to a Kick account, so I cannot tell which points are yours. Run `/link start` to link it, or name a viewer with `user:`.');
  return { kickUserId: link.kickUserId, username: link.kickUsername, stats: await viewerStatsById(ctx.prisma, interaction.guildId, link.kickUserId) };
}

async function show(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const viewer = await shownViewer(interaction, ctx);
  const stats = viewer.stats;
  const discordId = (await linkedMentions(ctx, [viewer])).userIds[0];
  const embed = new EmbedBuilder().setColor(0x53fc18).setTitle(`${stats?.username ?? viewer.username}`);
  const description = [discordId ? `Discord: <@${discordId}>` : null, stats ? null : 'No points or watchtime in this server yet.'].filter((l): l is string => l !== null);
  if (description.length > 0) embed.setDescription(description.join('\n'));
  if (stats) {
    const [pointsRank, watchRank] = await Promise.all([leaderboardRank(ctx, interaction.guildId, stats, 'points'), leaderboardRank(ctx, interaction.guildId, stats, 'watchtime')]);
    embed.addFields(
      { name: 'Points', value: `${formatPoints(stats.points)} ${describeRank(pointsRank)}`, inline: true },
      { name: 'Watchtime', value: `${formatDuration(stats.activeMinutes)} ${describeRank(watchRank)}`, inline: true },
    );
    embed.setFooter({ text: 'Watchtime = active minutes: minutes live while the viewer chatted within the activity window.' });
  }
  await interaction.reply({ embeds: [embed], allowedMentions: { parse: [] } });
}

/** The ledger reason of a change made without one: who made it, in words (`Given by @mia`), never the command line. */
export function defaultChangeReason(sub: 'give' | 'take' | 'set', moderator: string): string {
  const verb = sub === 'give' ? 'Given' : sub === 'take' ? 'Taken' : 'Balance set';
  return `${verb} by @${moderator}`;
}

async function change(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext, sub: 'give' | 'take' | 'set'): Promise<void> {
  requireModerator(interaction, `/points ${sub}`);
  const viewer = await viewerOrFail(interaction, ctx);
  const amount = interaction.options.getInteger('amount', true);
  if (!Number.isInteger(amount) || amount < (sub === 'set' ? 0 : 1) || amount > MAX_POINTS_CHANGE) {
    throw new UserFacingError(`Amount must be a whole number from ${sub === 'set' ? 0 : 1} to ${formatPoints(MAX_POINTS_CHANGE)}.`);
  }
  const reason = interaction.options.getString('reason')?.trim() || defaultChangeReason(sub, interaction.user.username);
  const key = adminKey(interaction.id);
  const base = { guildId: interaction.guildId, kickUserId: viewer.kickUserId, username: viewer.username, kind: 'admin' as const, idempotencyKey: key, reason, actorDiscordId: interaction.user.id };
  const current = viewer.stats?.points ?? 0;
  let balance: number;
  let duplicate = false;
  if (sub === 'give') {
    if (current + amount > MAX_INT32) throw new UserFacingError(`${viewer.username} has ${formatPointsAmount(current)}; giving ${formatPoints(amount)} would exceed the maximum balance of ${formatPoints(MAX_INT32)}.`);
    // 'refuse': a balance that grew since the check above still gets a clear error, never a capped grant.
    const r = await appendLedgerEntries(ctx.prisma, [{ ...base, points: amount }], { overLimit: 'refuse' }).catch((error: unknown) => {
      if (error instanceof BalanceLimitError) throw new UserFacingError(error.message);
      throw error;
    });
    duplicate = r.inserted === 0;
    balance = (await ctx.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: interaction.guildId, kickUserId: viewer.kickUserId } } }))?.points ?? 0;
  } else if (sub === 'take') {
    const r = await spendPoints(ctx.prisma, { ...base, cost: amount });
    if (!r.ok) throw new UserFacingError(`${viewer.username} has only ${formatPointsAmount(r.balance)} — take at most that much, or use \`/points set user:${viewer.username} amount:0\`.`);
    duplicate = r.duplicate;
    balance = r.balance;
  } else {
    const result = await ctx.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<{ points: number }[]>('SELECT points FROM "ViewerStats" WHERE "guildId" = $1 AND "kickUserId" = $2 FOR UPDATE', interaction.guildId, viewer.kickUserId);
      const now = rows[0]?.points ?? 0;
      if (now === amount) return { balance: now, duplicate: false };
      const r = await appendLedgerEntries(tx, [{ ...base, points: amount - now }]);
      return { balance: r.inserted ? amount : now, duplicate: r.inserted === 0 };
    });
    balance = result.balance;
    duplicate = result.duplicate;
  }
  const verb = sub === 'give' ? `Gave ${formatPointsAmount(amount)} to` : sub === 'take' ? `Took ${formatPointsAmount(amount)} from` : `Set the balance of`;
  const tail = sub === 'set' ? ` to ${formatPoints(amount)}` : '';
  await interaction.reply({
    content: duplicate ? `This change was already applied. ${viewer.username} has ${formatPointsAmount(balance)}.` : `✅ ${verb} **${viewer.username}**${tail} — balance now ${formatPoints(balance)}. Reason: ${reason}`,
    allowedMentions: { parse: [] },
    flags: MessageFlags.Ephemeral,
  });
}

/** `/points show|give|take|set|export|import` — show is for everyone; changes, export and import are for moderators (changes keyed by the interaction id). */
export const pointsCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: false,
  ...routeSubcommands({
    show,
    give: (interaction, ctx) => change(interaction, ctx, 'give'),
    take: (interaction, ctx) => change(interaction, ctx, 'take'),
    set: (interaction, ctx) => change(interaction, ctx, 'set'),
    export: async (interaction, ctx) => {
      requireModerator(interaction, '/points export');
      await executePointsExport(interaction, ctx);
    },
    import: async (interaction, ctx) => {
      requireModerator(interaction, '/points import');
      await executePointsImport(interaction, ctx);
    },
  }),
  autocomplete: autocompleteViewer,
  buttonPrefix: POINTS_IMPORT_BUTTON_PREFIX,
  onButton: onPointsImportButton,
};
