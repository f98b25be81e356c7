import { findLinkByDiscord, findLinkByKickUsername, issueAccountLinkUrl, linkAccounts, type LinkAccountsResult } from '@kickcord/connections';
import type { AccountLink } from '@kickcord/db';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, InteractionContextType, MessageFlags, SlashCommandBuilder, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { requireModerator } from '../../discord/permissions.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { formatPoints } from '../../formatPoints.ts';
import { cachedGuildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { kickUsernameOption } from '../../viewers/viewerOption.ts';
import { viewerStatsById } from '../../viewers/viewerStats.ts';
import { dropPendingRelink, issueLinkCode, LINK_CODES_PER_HOUR, pendingRelink } from './linkCodes.ts';
import { LINK_BUTTON_PREFIX, linkedMessage, relinkQuestion } from './linkMessages.ts';

const data = new SlashCommandBuilder()
  .setName('link')
  .setDescription('Link your Discord account to your Kick account')
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => s.setName('start').setDescription('Get a one-time code to type in Kick chat, or link with Kick sign-in'))
  .addSubcommand((s) => s.setName('status').setDescription('Show which Kick account your Discord account is linked to'))
  .addSubcommand((s) =>
    s
      .setName('lookup')
      .setDescription("Find a member's or a Kick viewer's link (moderators)")
      .addUserOption((o) => o.setName('user').setDescription('A Discord member'))
      .addStringOption((o) => o.setName('kick-name').setDescription('A Kick username').setMaxLength(33)),
  );

function describeLink(link: AccountLink): string {
  const how = link.method === 'oauth' ? 'Kick sign-in' : 'a code typed in Kick chat';
  return `**${link.kickUsername}** (Kick id ${link.kickUserId}), linked <t:${Math.floor(link.verifiedAt.getTime() / 1000)}:R> with ${how}`;
}

async function start(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const issued = await issueLinkCode(ctx, {
    discordUserId: interaction.user.id,
    guildId: interaction.guildId,
    applicationId: interaction.applicationId,
    interactionToken: interaction.token,
  });
  if (!issued.ok) {
    throw new UserFacingError(`You asked for ${LINK_CODES_PER_HOUR} link codes in the last hour — try again in ${Math.max(1, Math.ceil(issued.retryInSec / 60))} minutes.`);
  }
  const [existing, connection, settings] = await Promise.all([
    findLinkByDiscord(ctx.prisma, interaction.user.id),
    ctx.prisma.kickConnection.findUnique({ where: { guildId: interaction.guildId }, select: { channel: { select: { slug: true } } } }),
    cachedGuildSettings(ctx, interaction.guildId),
  ]);
  const command = `${settings.commandPrefix}link ${issued.code}`;
  const where = connection ? `in **kick.com/${connection.channel.slug}**'s chat` : "in the chat of a Kick channel connected to kickcord (this server has none connected yet)";
  const expires = `<t:${Math.floor(issued.expiresAt.getTime() / 1000)}:R>`;
  const lines = [
    `Type \`${command}\` ${where} — the code works once and expires ${expires}.`,
    'Or link by signing in with Kick (button below).',
    'Keep the code to yourself: whoever types it links their Kick account to you.',
  ];
  if (existing) lines.unshift(`You are linked to the Kick account **${existing.kickUsername}** now; linking another one asks you before it replaces it.`);
  const { url } = issueAccountLinkUrl(ctx.cipher, { discordUserId: interaction.user.id, publicUrl: ctx.env.PUBLIC_URL, now: ctx.now() });
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Link with Kick'));
  await interaction.reply({ content: lines.join('\n'), components: [row], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function status(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const link = await findLinkByDiscord(ctx.prisma, interaction.user.id);
  const content = link
    ? `🔗 Your Discord account is linked to ${describeLink(link)}. It counts in every server kickcord is in. Undo it with \`/unlink\`.`
    : 'Your Discord account is not linked to a Kick account. Run `/link start` to link it.';
  await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function lookup(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  requireModerator(interaction, '/link lookup');
  const user = interaction.options.getUser('user');
  const hasKickName = interaction.options.getString('kick-name') !== null;
  if ((user === null) === !hasKickName) throw new UserFacingError('Give exactly one of `user` (a Discord member) or `kick-name` (a Kick username).');
  let link: AccountLink | null;
  let who: string;
  if (user) {
    link = await findLinkByDiscord(ctx.prisma, user.id);
    who = `<@${user.id}>`;
  } else {
    const name = kickUsernameOption(interaction, 'kick-name');
    link = await findLinkByKickUsername(ctx.prisma, name);
    who = `Kick **${name}**`;
  }
  let content: string;
  if (!link) {
    content = `${who} is not linked.`;
  } else {
    const stats = await viewerStatsById(ctx.prisma, interaction.guildId, link.kickUserId);
    content = `<@${link.discordUserId}> ↔ ${describeLink(link)}. Points here: ${formatPoints(stats?.points ?? 0)}.`;
  }
  await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function onButton(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const [, action, id] = interaction.customId.split(':');
  if (!id || (action !== 'replace' && action !== 'cancel')) throw new UserFacingError('This button has expired — run /link start again.');
  const pending = await pendingRelink(ctx, id);
  if (!pending) throw new UserFacingError('This question has expired — run /link start again.');
  if (pending.discordUserId !== interaction.user.id) throw new UserFacingError('This button belongs to the person who ran /link.');
  if (action === 'cancel') {
    await dropPendingRelink(ctx, id);
    await interaction.update({ content: 'Nothing changed: your links are as they were.', components: [], allowedMentions: { parse: [] } });
    return;
  }
  if (!(await dropPendingRelink(ctx, id))) throw new UserFacingError('This question was already answered.');
  const result: LinkAccountsResult = await linkAccounts(ctx.prisma, { ...pending, replace: true });
  if (result.status === 'conflict') {
    // Unreachable with replace; kept so the viewer always sees where things stand.
    await interaction.update({ ...relinkQuestion(pending, result, id), allowedMentions: { parse: [] } });
    return;
  }
  await interaction.update({ ...linkedMessage(result.link, result.status === 'linked' ? result.replaced : []), allowedMentions: { parse: [] } });
}

/** `/link start|status` for everyone, `/link lookup` for moderators; the Replace/Cancel buttons of a relink. */
export const linkCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: false,
  ...routeSubcommands({ start, status, lookup }),
  buttonPrefix: LINK_BUTTON_PREFIX,
  onButton,
};
