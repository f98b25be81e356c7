import { gatherGuildStatus, issueConnectLink } from '@kickcord/connections';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, time, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { describeChatReplyCounts } from '../../kickChat/KickChatSender.ts';
import { disconnectKick, parseChannelSlug, unwatchKickChannel, watchKickChannel } from './kickConnectionActions.ts';

const data = new SlashCommandBuilder()
  .setName('kick')
  .setDescription('Connect this server to Kick')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => s.setName('connect').setDescription("Get a one-time link for the streamer to connect their Kick channel"))
  .addSubcommand((s) => s.setName('disconnect').setDescription('Disconnect the Kick channel (revokes kickcord’s access at Kick)'))
  .addSubcommand((s) =>
    s
      .setName('watch')
      .setDescription('Announce any Kick channel here (no streamer login needed)')
      .addStringOption((o) => o.setName('channel-slug').setDescription('The channel name in kick.com/<name>').setRequired(true).setMaxLength(64)),
  )
  .addSubcommand((s) =>
    s
      .setName('unwatch')
      .setDescription('Stop announcing a watched Kick channel')
      .addStringOption((o) => o.setName('channel-slug').setDescription('The channel name in kick.com/<name>').setRequired(true).setMaxLength(64)),
  )
  .addSubcommand((s) => s.setName('status').setDescription('Connection, subscriptions and problems at a glance'));

async function connect(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const existing = await ctx.prisma.kickConnection.findUnique({ where: { guildId: interaction.guildId }, include: { channel: true } });
  const { url, expiresAt } = await issueConnectLink(ctx.prisma, ctx.cipher, { guildId: interaction.guildId, discordUserId: interaction.user.id, publicUrl: ctx.env.PUBLIC_URL, now: ctx.now() });
  const intro = existing
    ? existing.status === 'active'
      ? `This server is already connected to **${existing.channel.slug}**. The link below re-connects (for example to switch channels or renew permissions).`
      : `The connection to **${existing.channel.slug}** needs the streamer to log in again (${existing.status.replace('_', ' ')}). Send them this link:`
    : 'Send this link to the streamer (it works once). They log in to Kick and approve kickcord:';
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(url).setLabel('Connect Kick channel'));
  await interaction.reply({ content: `${intro}\n${url}\nThe link expires ${time(expiresAt, 'R')}.`, components: [row], flags: MessageFlags.Ephemeral });
}

async function disconnect(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, disconnectKick, interactionCall(interaction), {});
  await interaction.editReply(outcome.message);
}

async function watch(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  // The name is checked before deferring, so a typo is answered at once.
  const slug = parseChannelSlug(interaction.options.getString('channel-slug', true));
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, watchKickChannel, interactionCall(interaction), { slug });
  await interaction.editReply(outcome.message);
}

async function unwatch(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const slug = parseChannelSlug(interaction.options.getString('channel-slug', true));
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, unwatchKickChannel, interactionCall(interaction), { slug });
  await interaction.editReply(outcome.message);
}

function ago(date: Date | null | undefined): string {
  return date ? time(date, 'R') : 'never';
}

/** "Served by shard N of M": the Discord shard (and so the gateway process) that handles this server's commands. */
function servedBy(interaction: ChatInputCommandInteraction<'cached'>): string {
  const shardCount = interaction.client.options.shardCount ?? 1;
  return `Served by shard ${interaction.guild.shardId} of ${shardCount}`;
}

async function status(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  // The dashboard's overview shows the same gathered status (@kickcord/connections).
  const [status, payoutFailure] = await Promise.all([gatherGuildStatus(ctx.prisma, guildId, ctx.now()), ctx.redis.get(ctx.keys.watchtimeFailure(guildId))]);
  const { connection } = status;
  let reconnect: string | null = null;
  const embed = new EmbedBuilder().setTitle('kickcord status').setColor(connection?.status === 'active' || !connection ? 0x53fc18 : 0xf5a623);
  if (!connection) {
    embed.addFields({ name: 'Connection', value: 'No Kick channel connected. `/kick connect` gives the streamer a link.' });
  } else {
    const state =
      connection.status === 'active'
        ? `✅ **${connection.slug}** connected — access token renews ${time(connection.expiresAt, 'R')} (kickcord refreshes it automatically)`
        : `⚠️ **${connection.slug}** — **${connection.status === 'needs_reauth' ? 'needs the streamer to log in again' : 'revoked'}**${connection.lastError ? ` (${connection.lastError})` : ''}. Run \`/kick connect\` and send the streamer the link.`;
    embed.addFields({ name: 'Connection', value: `${state}\nScopes: ${connection.scopes.join(', ') || 'none'}` });
    const missing = connection.missingScopes;
    if (missing.length > 0) {
      // Kick fixes scopes at consent: only a reconnect grants these; until then everything else keeps working.
      const { url } = await issueConnectLink(ctx.prisma, ctx.cipher, { guildId, discordUserId: interaction.user.id, publicUrl: ctx.env.PUBLIC_URL, now: ctx.now() });
      reconnect = url;
      embed.addFields({
        name: '⚠️ Missing Kick permissions',
        value: `${missing.map((s) => `\`${s}\``).join(', ')} — features that need them say so when used. To grant them, send the streamer this reconnect link (works once, 15 minutes): ${url}`.slice(0, 1024),
      });
    }
  }
  for (const link of status.links) {
    const subs = link.subscriptions;
    const lines = subs.length ? subs.map((s) => `\`${s.event}\` — last delivery ${ago(s.lastDeliveryAt)}`).join('\n') : '⚠️ no active Kick subscriptions yet (retried every 15 minutes)';
    embed.addFields({ name: `${link.kind === 'owner' ? '🔗 connected' : '👀 watching'}: ${link.slug}`, value: lines.slice(0, 1024) });
  }
  const subscriptionLimit = await ctx.subscriptions.subscriptionLimit();
  if (subscriptionLimit) {
    embed.addFields({
      name: '⚠️ Kick subscription limit reached',
      value: `Kick refused new event subscriptions for this kickcord app (${subscriptionLimit.refusals}× in a row, last ${time(subscriptionLimit.refusedAt, 'R')}); next try ${time(subscriptionLimit.retryAt, 'R')}. Unwatch channels (\`/kick unwatch\`) or ask the operator to have the Kick app verified.`,
    });
  }
  const broken = status.brokenAnnouncements;
  if (broken.length) embed.addFields({ name: '⚠️ Announcements that cannot post', value: broken.map((b) => `${b.event} → <#${b.discordChannelId}>: ${b.reason}. Fix with \`/announce set ${b.event}\`.`).join('\n').slice(0, 1024) });
  const chatFailures = status.chatFailures;
  if (chatFailures.length) embed.addFields({ name: '⚠️ Kick chat replies not sent (24 h)', value: chatFailures.map((f) => `${time(f.createdAt, 'R')} ${f.status}: ${(f.error ?? '').slice(0, 120)}`).join('\n').slice(0, 1024) });
  if (payoutFailure) {
    // Kept by the watchtime tick (features/watchtime): `{ at, sessionId, error }`, for 7 days.
    const failure = JSON.parse(payoutFailure) as { at: string; error: string };
    embed.addFields({ name: '⚠️ Last failed watchtime payout', value: `${time(new Date(failure.at), 'R')}: ${failure.error}`.slice(0, 1024) });
  }
  const replies = describeChatReplyCounts(status.chatReplies);
  if (replies) embed.addFields({ name: 'Kick chat replies (24 h)', value: replies });
  embed.setFooter({ text: servedBy(interaction) });
  const components = reconnect ? [new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(reconnect).setLabel('Reconnect Kick channel'))] : [];
  await interaction.reply({ embeds: [embed], components, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** `/kick connect|disconnect|watch|unwatch|status`. */
export const kickCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ connect, disconnect, watch, unwatch, status }),
};
