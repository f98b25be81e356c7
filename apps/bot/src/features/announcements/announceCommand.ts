import { ANNOUNCEMENT_EVENTS, ANNOUNCEMENT_VARIABLES_BY_EVENT, compileTemplate, DEFAULT_ANNOUNCEMENT_TEMPLATES } from '@kickcord/core';
import type { AnnouncementEvent } from '@kickcord/db';
import { parseKickEvent, samplePayloads } from '@kickcord/kick';
import { ChannelType, EmbedBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type GuildBasedChannel } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { buildLiveEmbed, renderAnnouncement } from '../announcements/announcementHandler.ts';
import { describeEvent } from '../announcements/describeEvent.ts';
import { announcementNonce, brokenChannelReason, sendChannelMessage } from '../announcements/postAnnouncement.ts';

const EVENT_LABELS: Record<AnnouncementEvent, string> = {
  live: 'Go live',
  offline: 'Stream ended',
  follow: 'New follower',
  sub: 'New subscriber',
  renewal: 'Resubscription',
  gift: 'Gifted subs',
  kicks: 'Kicks gifted',
  redemption: 'Reward redemption',
  ban: 'Ban / timeout (moderator log)',
};

/** Stream facts a sample go-live shows (a status event carries neither). */
const SAMPLE_STREAM = { category: 'Just Chatting', viewers: 1234 } as const;
/** How long a sample offline announcement says the stream ran. */
const SAMPLE_UPTIME_MS = (2 * 60 + 15) * 60_000;

/** The Kick event type whose sample payload demonstrates each announcement. */
const SAMPLE_EVENT: Record<AnnouncementEvent, keyof typeof samplePayloads> = {
  live: 'livestream.status.updated',
  offline: 'livestream.status.updated',
  follow: 'channel.followed',
  sub: 'channel.subscription.new',
  renewal: 'channel.subscription.renewal',
  gift: 'channel.subscription.gifts',
  kicks: 'kicks.gifted',
  redemption: 'channel.reward.redemption.updated',
  ban: 'moderation.banned',
};

const eventChoices = ANNOUNCEMENT_EVENTS.map((e) => ({ name: EVENT_LABELS[e], value: e }));

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
  if (!(ANNOUNCEMENT_EVENTS as readonly string[]).includes(value)) throw new UserFacingError(`Unknown event "${value}". Choose one of: ${ANNOUNCEMENT_EVENTS.join(', ')}.`);
  return value as AnnouncementEvent;
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
  if (template) {
    const compiled = compileTemplate(template, { allowed: ANNOUNCEMENT_VARIABLES_BY_EVENT[event] });
    if (!compiled.ok) {
      throw new UserFacingError(
        `That template has a problem:\n${compiled.errors.map((e) => `• ${e.message}`).join('\n')}\nVariables for ${EVENT_LABELS[event]}: ${ANNOUNCEMENT_VARIABLES_BY_EVENT[event].map((v) => `{${v}}`).join(' ')}`,
      );
    }
  }
  if (role && role.id === interaction.guildId) throw new UserFacingError('Pinging @everyone is not supported; create a role for stream alerts and choose it.');
  checkBotCanPost(interaction, channel);
  await ctx.prisma.announcementSetting.upsert({
    where: { guildId_event: { guildId: interaction.guildId, event } },
    create: { guildId: interaction.guildId, event, discordChannelId: channel.id, roleId: role?.id ?? null, template, enabled: true },
    update: { discordChannelId: channel.id, roleId: role?.id ?? null, template, enabled: true, brokenReason: null, brokenAt: null },
  });
  await interaction.reply({
    content: `✅ ${EVENT_LABELS[event]} announcements will be posted in ${channel.toString()}${role ? ` pinging ${role.toString()}` : ''}.\nTemplate: \`${template ?? DEFAULT_ANNOUNCEMENT_TEMPLATES[event]}\`${template ? '' : ' (default)'}\nTry it with \`/announce test ${event}\`.`,
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

async function off(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const event = eventOption(interaction);
  const { count } = await ctx.prisma.announcementSetting.updateMany({ where: { guildId: interaction.guildId, event }, data: { enabled: false } });
  await interaction.reply({ content: count ? `🔕 ${EVENT_LABELS[event]} announcements are off.` : `${EVENT_LABELS[event]} announcements were not set up.`, flags: MessageFlags.Ephemeral });
}

async function test(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const event = eventOption(interaction);
  const setting = await ctx.prisma.announcementSetting.findUnique({ where: { guildId_event: { guildId: interaction.guildId, event } } });
  if (!setting) throw new UserFacingError(`${EVENT_LABELS[event]} announcements are not set up. Use \`/announce set ${event} #channel\` first.`);
  const sampleType = SAMPLE_EVENT[event];
  const payload = structuredClone(samplePayloads[sampleType]) as Record<string, unknown>;
  const now = Date.now();
  if (event === 'offline') Object.assign(payload, { is_live: false, started_at: new Date(now - SAMPLE_UPTIME_MS).toISOString(), ended_at: new Date(now).toISOString() });
  if (event === 'live') Object.assign(payload, { is_live: true, ended_at: null });
  if (event === 'redemption') Object.assign(payload, { status: 'pending' });
  const parsed = parseKickEvent(sampleType, '1', payload);
  const facts = parsed.ok ? describeEvent(parsed.event) : undefined;
  if (!facts) throw new UserFacingError('Could not build a sample for this event.');
  // A status event carries no category or viewer count (the real announcement has them from the channel): the
  // sample fills them in, so a template like "({category})" shows what it will look like instead of "()".
  const values = { ...facts.values, category: facts.values.category || SAMPLE_STREAM.category, viewers: facts.values.viewers || SAMPLE_STREAM.viewers };
  const embed = event === 'live' ? buildLiveEmbed({ ...facts, values }, SAMPLE_STREAM) : undefined;
  // The role is shown, never pinged: allowed mentions stay empty for a test.
  const content = `🧪 Test${setting.roleId ? ` (the real one pings <@&${setting.roleId}>)` : ''} — ${renderAnnouncement(event, setting.template, values)}`;
  try {
    await sendChannelMessage(ctx.discordRest, setting.discordChannelId, {
      content,
      roleId: null,
      nonce: announcementNonce(interaction.guildId, `test:${interaction.id}`),
      ...(embed ? { embed } : {}),
    });
  } catch (error) {
    if (brokenChannelReason(error) === undefined) throw error;
    throw new UserFacingError(`I can't reach <#${setting.discordChannelId}> any more. Run \`/announce set ${event}\` with a channel I can post in.`);
  }
  await interaction.reply({ content: `Posted a sample ${EVENT_LABELS[event]} announcement in <#${setting.discordChannelId}>.`, flags: MessageFlags.Ephemeral });
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
    embed.addFields({ name: EVENT_LABELS[event], value });
  }
  await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** `/announce set|off|test|list` — moderators configure announcements per event. */
export const announceCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ set, off, test, list }),
};
