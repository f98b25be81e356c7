import { ANNOUNCEMENT_EVENTS, ANNOUNCEMENT_LABELS, DEFAULT_ANNOUNCEMENT_TEMPLATES } from '@kickcord/core';
import type { AnnouncementEvent } from '@kickcord/db';
import { ChannelType, EmbedBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type GuildBasedChannel } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { checkAnnouncementTemplate, isAnnouncementEvent, setAnnouncement, testAnnouncement, turnOffAnnouncement } from './announcementActions.ts';

const eventChoices = ANNOUNCEMENT_EVENTS.map((e) => ({ name: ANNOUNCEMENT_LABELS[e], value: e }));

const data = new SlashCommandBuilder()
  .setName('announce')
  .setDescription('Configure Discord announcements for Kick events')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('set')
      .setDescription('Announce an event in a channel')
      .addStringOption((o) => o.setName('event').setDescription('Which Kick event').setRequired(true).addChoices(...eventChoices))
      .addChannelOption((o) => o.setName('channel').setDescription('Where to post').setRequired(true).addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement))
      .addRoleOption((o) => o.setName('role').setDescription('Role to ping (optional)'))
      .addStringOption((o) => o.setName('template').setDescription('Message template, e.g. "{streamer} is live: {title}"').setMaxLength(500)),
  )
  .addSubcommand((s) =>
    s
      .setName('off')
      .setDescription('Stop announcing an event')
      .addStringOption((o) => o.setName('event').setDescription('Which Kick event').setRequired(true).addChoices(...eventChoices)),
  )
  .addSubcommand((s) =>
    s
      .setName('test')
      .setDescription('Post a sample announcement now')
      .addStringOption((o) => o.setName('event').setDescription('Which Kick event').setRequired(true).addChoices(...eventChoices)),
  )
  .addSubcommand((s) => s.setName('list').setDescription('Show the announcement settings'));

function eventOption(interaction: ChatInputCommandInteraction<'cached'>): AnnouncementEvent {
  const value = interaction.options.getString('event', true);
  if (!isAnnouncementEvent(value)) throw new UserFacingError(`Unknown event "${value}". Choose one of: ${ANNOUNCEMENT_EVENTS.join(', ')}.`);
  return value;
}

function checkBotCanPost(interaction: ChatInputCommandInteraction<'cached'>, channel: GuildBasedChannel): void {
  const me = interaction.guild.members.me;
  const perms = me ? channel.permissionsFor(me) : null;
  if (perms && !perms.has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages])) {
    throw new UserFacingError(`I can't post in ${channel.toString()}: give me View Channel and Send Messages there, then run this again.`);
  }
}

async function set(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const event = eventOption(interaction);
  const channel = interaction.options.getChannel('channel', true);
  const role = interaction.options.getRole('role');
  const template = interaction.options.getString('template');
  if (template) checkAnnouncementTemplate(event, template);
  if (role && role.id === interaction.guildId) throw new UserFacingError('Pinging @everyone is not supported; create a role for stream alerts and choose it.');
  checkBotCanPost(interaction, channel);
  const outcome = await runGuildAction(ctx, setAnnouncement, interactionCall(interaction), { event, channelId: channel.id, roleId: role?.id ?? null, template });
  await interaction.reply({ content: `${outcome.message}\nTry it with \`/announce test ${event}\`.`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function off(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, turnOffAnnouncement, interactionCall(interaction), { event: eventOption(interaction) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

async function test(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, testAnnouncement, interactionCall(interaction), { event: eventOption(interaction) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const settings = await ctx.prisma.announcementSetting.findMany({ where: { guildId: interaction.guildId }, orderBy: { event: 'asc' } });
  const byEvent = new Map(settings.map((s) => [s.event, s]));
  const embed = new EmbedBuilder().setTitle('Announcements').setColor(0x53fc18);
  for (const event of ANNOUNCEMENT_EVENTS) {
    const s = byEvent.get(event);
    const value = !s
      ? 'not set'
      : `${s.enabled ? '' : '🔕 off · '}<#${s.discordChannelId}>${s.roleId ? ` · pings <@&${s.roleId}>` : ''}\n\`${(s.template ?? DEFAULT_ANNOUNCEMENT_TEMPLATES[event]).slice(0, 200)}\`${s.brokenReason ? `\n⚠️ broken: ${s.brokenReason}` : ''}`;
    embed.addFields({ name: ANNOUNCEMENT_LABELS[event], value });
  }
  await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** `/announce set|off|test|list` — moderators configure announcements per event. */
export const announceCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ set, off, test, list }),
};
