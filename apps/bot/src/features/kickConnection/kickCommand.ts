import { gatherGuildStatus, issueConnectLink, linkWatch, unlinkWatch } from '@kickcord/connections';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, time, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { describeChatReplyCounts } from '../../kickChat/KickChatSender.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Watched channels per guild: each costs Kick event subscriptions, which are capped per app. */
export const MAX_WATCHED_CHANNELS = 25;
const SLUG_PATTERN = /^[a-z0-9_-]{1,64}$/;

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

function slugOption(interaction: ChatInputCommandInteraction<'cached'>): string {
  const raw = interaction.options.getString('channel-slug', true).trim().toLowerCase();
  const slug = raw.replace(/^https?:\/\/(www\.)?kick\.com\//, '').replace(/\/.*$/, '');
  if (!SLUG_PATTERN.test(slug)) throw new UserFacingError(`"${raw}" is not a Kick channel name. Use the part after kick.com/, e.g. \`xqc\`.`);
  return slug;
}

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
  const linked = await ctx.prisma.guildChannelLink.findMany({ where: { guildId: interaction.guildId }, select: { broadcasterUserId: true } });
  const removed = await ctx.connections.disconnect(interaction.guildId);
  await ctx.fanOut.forget(...linked.map((l) => l.broadcasterUserId));
  await interaction.editReply(removed ? '🔌 Disconnected. kickcord’s access was revoked at Kick and its tokens deleted. Watched channels keep their announcements.' : 'This server has no Kick channel connected.');
}

async function watch(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const slug = slugOption(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const count = await ctx.prisma.guildChannelLink.count({ where: { guildId: interaction.guildId, kind: 'watch' } });
  if (count >= MAX_WATCHED_CHANNELS) throw new UserFacingError(`This server already watches ${count} channels (the limit is ${MAX_WATCHED_CHANNELS}). Unwatch one first.`);
  const channel = await ctx.kickApp.getChannelBySlug(slug);
  if (!channel) throw new UserFacingError(`No Kick channel named "${slug}" exists. Check the spelling in kick.com/${slug}.`);
  const link = await linkWatch(ctx.prisma, {
    guildId: interaction.guildId,
    broadcasterUserId: channel.broadcasterUserId,
    discordUserId: interaction.user.id,
    channel: { slug: channel.slug, displayName: channel.slug },
  });
  if (link.created) await ctx.fanOut.forget(channel.broadcasterUserId);
  if (!link.created) {
    await interaction.editReply(link.kind === 'owner' ? `**${channel.slug}** is this server's connected channel; its events already arrive.` : `This server already watches **${channel.slug}**.`);
    return;
  }
  let note = '';
  try {
    const result = await ctx.subscriptions.sync(channel.broadcasterUserId);
    if (result.failed.length) note = `\n⚠️ Kick refused some events (${result.failed.map((f) => `${f.event}: ${f.error}`).join('; ')}); kickcord retries every 15 minutes.`;
  } catch (error) {
    ctx.logger.warn({ err: error, broadcasterUserId: channel.broadcasterUserId }, 'subscription sync after watch failed');
    note = '\n⚠️ Kick did not answer while subscribing; kickcord retries every 15 minutes.';
  }
  await interaction.editReply(`👀 Watching **${channel.slug}**. Choose where announcements go with \`/announce set live #channel\`.${note}`);
}

async function unwatch(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const slug = slugOption(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const channel = await ctx.prisma.kickChannel.findUnique({ where: { slug } });
  const link = channel ? await ctx.prisma.guildChannelLink.findUnique({ where: { guildId_broadcasterUserId: { guildId: interaction.guildId, broadcasterUserId: channel.broadcasterUserId } } }) : null;
  if (!channel || !link) throw new UserFacingError(`This server does not watch "${slug}". See \`/kick status\` for what it watches.`);
  if (link.kind === 'owner') throw new UserFacingError(`**${slug}** is this server's connected channel. Use \`/kick disconnect\` to remove it.`);
  await unlinkWatch(ctx.prisma, { guildId: interaction.guildId, broadcasterUserId: channel.broadcasterUserId });
  await ctx.fanOut.forget(channel.broadcasterUserId);
  await ctx.subscriptions.sync(channel.broadcasterUserId).catch((error: unknown) => ctx.logger.warn({ err: error }, 'subscription sync after unwatch failed; reconcile will retry'));
  await interaction.editReply(`Stopped watching **${slug}**.`);
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
