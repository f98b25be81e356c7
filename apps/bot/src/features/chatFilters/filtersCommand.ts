import { BANNED_TERM_LIMITS, CHAT_FILTER_DESCRIPTIONS, CHAT_FILTER_KINDS, EXEMPT_LEVELS, formatLadder, type BannedTermMode, type ChatFilterKind, type FilterRule } from '@kickcord/core';
import { ChannelType, EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { z } from 'zod';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import type { GuildAction } from '../../guildActions/GuildAction.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import {
  addBannedTerm,
  allowLinkDomain,
  configureFilter,
  filterKind,
  moderationConnectionLine,
  removeBannedTerm,
  removeLinkDomain,
  setEscalationWindow,
  setModLogChannel,
  testFilters,
  toggleFilter,
} from './filterActions.ts';
import { loadFilterRules } from './filterRules.ts';

const FILTER_CHOICES = CHAT_FILTER_KINDS.map((k) => ({ name: `${k} — ${CHAT_FILTER_DESCRIPTIONS[k].title}`.slice(0, 100), value: k }));
const MODES: { name: string; value: BannedTermMode }[] = [
  { name: 'whole word or phrase', value: 'word' },
  { name: 'anywhere, even inside words', value: 'substring' },
  { name: 'regular expression (RE2)', value: 'regex' },
];

const data = new SlashCommandBuilder()
  .setName('filters')
  .setDescription('Kick chat filters: links, caps, banned words, spam — and what they do')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((s) => s.setName('view').setDescription('Every filter, its limits, ladder and exemptions'))
  .addSubcommand((s) => s.setName('enable').setDescription('Turn a filter on').addStringOption((o) => o.setName('filter').setDescription('Which filter').setRequired(true).addChoices(...FILTER_CHOICES)))
  .addSubcommand((s) => s.setName('disable').setDescription('Turn a filter off').addStringOption((o) => o.setName('filter').setDescription('Which filter').setRequired(true).addChoices(...FILTER_CHOICES)))
  .addSubcommand((s) =>
    s
      .setName('configure')
      .setDescription("Change a filter's limits, actions and exemptions")
      .addStringOption((o) => o.setName('filter').setDescription('Which filter').setRequired(true).addChoices(...FILTER_CHOICES))
      .addStringOption((o) => o.setName('ladder').setDescription('Actions per offence, e.g. "delete, timeout 10m, ban" (the last repeats)').setMaxLength(100))
      .addIntegerOption((o) => o.setName('limit').setDescription("The filter's threshold (see /filters view)").setMinValue(1).setMaxValue(10_000))
      .addIntegerOption((o) => o.setName('min-length').setDescription('Caps and symbols: shorter messages are not checked').setMinValue(1).setMaxValue(500))
      .addIntegerOption((o) => o.setName('window').setDescription('Repeats: seconds between identical messages that still count as a run').setMinValue(5).setMaxValue(3_600))
      .addBooleanOption((o) => o.setName('warn').setDescription('Reply in chat with a warning (never repeats the message)'))
      .addStringOption((o) => o.setName('exempt').setDescription('Exempt this level and above').addChoices(...EXEMPT_LEVELS.map((l) => ({ name: l, value: l }))))
      .addRoleOption((o) => o.setName('exempt-role').setDescription('Also exempt viewers whose linked Discord account has this role'))
      .addBooleanOption((o) => o.setName('clear-roles').setDescription('Remove every exempt role')),
  )
  .addSubcommand((s) =>
    s
      .setName('word-add')
      .setDescription('Ban a word, phrase or pattern (words filter)')
      .addStringOption((o) => o.setName('term').setDescription('The word, phrase or RE2 pattern').setRequired(true).setMaxLength(BANNED_TERM_LIMITS.maxLength))
      .addStringOption((o) => o.setName('mode').setDescription('How it matches (default: whole word)').addChoices(...MODES)),
  )
  .addSubcommand((s) => s.setName('word-remove').setDescription('Unban a word, phrase or pattern').addStringOption((o) => o.setName('term').setDescription('The term').setRequired(true).setAutocomplete(true)))
  .addSubcommand((s) => s.setName('link-allow').setDescription('Allow links to a domain and its subdomains').addStringOption((o) => o.setName('domain').setDescription('e.g. youtube.com').setRequired(true).setMaxLength(253)))
  .addSubcommand((s) => s.setName('link-remove').setDescription('Stop allowing links to a domain').addStringOption((o) => o.setName('domain').setDescription('The domain').setRequired(true).setAutocomplete(true)))
  .addSubcommand((s) =>
    s
      .setName('modlog')
      .setDescription('Where every moderation action is posted (leave out to stop posting)')
      .addChannelOption((o) => o.setName('channel').setDescription('A text channel').addChannelTypes(ChannelType.GuildText, ChannelType.GuildAnnouncement)),
  )
  .addSubcommand((s) =>
    s
      .setName('escalation')
      .setDescription('How long offences count toward the next step of a ladder')
      .addIntegerOption((o) => o.setName('minutes').setDescription('Minutes (default 60)').setRequired(true).setMinValue(1).setMaxValue(10_080)),
  )
  .addSubcommand((s) =>
    s
      .setName('test')
      .setDescription('Dry run: what the filters would do with a message from a plain viewer')
      .addStringOption((o) => o.setName('text').setDescription('The message').setRequired(true).setMaxLength(500)),
  );

function filterOption(interaction: ChatInputCommandInteraction<'cached'>): ChatFilterKind {
  return filterKind(interaction.options.getString('filter', true));
}

async function reply(interaction: ChatInputCommandInteraction<'cached'>, content: string): Promise<void> {
  await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** Runs one filter action as the moderator and answers with its message. */
async function runAndReply<S extends z.ZodType>(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext, action: GuildAction<S>, input: z.input<S>): Promise<void> {
  const outcome = await runGuildAction(ctx, action, interactionCall(interaction), input);
  await reply(interaction, outcome.message);
}

async function view(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const [rules, settings, connection] = await Promise.all([
    loadFilterRules(ctx, guildId),
    ctx.prisma.guildSettings.findUnique({ where: { guildId }, select: { modLogChannelId: true } }),
    ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { scopes: true } }),
  ]);
  const { config, terms } = rules;
  const embed = new EmbedBuilder().setTitle('🛡️ Chat filters').setColor(0x53fc18);
  for (const kind of CHAT_FILTER_KINDS) {
    const rule = config.rules[kind];
    const limit = CHAT_FILTER_DESCRIPTIONS[kind].limit;
    const lines = [
      CHAT_FILTER_DESCRIPTIONS[kind].title,
      `${limit === 'not used' ? '' : `Limit: ${rule.limit} (${limit}) · `}${kind === 'caps' || kind === 'symbols' ? `min length ${rule.minLength} · ` : ''}${kind === 'repeats' ? `within ${rule.windowSeconds}s · ` : ''}ladder: ${formatLadder(rule.ladder)}`,
      `Warn: ${rule.warn ? 'yes' : 'no'} · exempt: ${rule.exemptLevel} and above${rule.exemptRoleIds.length ? `, ${rule.exemptRoleIds.map((r) => `<@&${r}>`).join(' ')}` : ''}`,
    ];
    if (kind === 'words') lines.push(`Terms: ${terms.length} (${MODES.map((m) => `${terms.filter((t) => t.mode === m.value).length} ${m.value}`).join(', ')})`);
    if (kind === 'links') lines.push(`Allowed: ${config.allowedDomains.length ? config.allowedDomains.join(', ') : 'none'}`);
    embed.addFields({ name: `${rule.enabled ? '✅' : '⬜'} ${kind}`, value: lines.join('\n').slice(0, 1024) });
  }
  embed.addFields({
    name: 'Everything else',
    value: [
      `Mod log: ${settings?.modLogChannelId ? `<#${settings.modLogChannelId}>` : 'none — `/filters modlog`'}`,
      `Offences count up a ladder for ${config.escalationWindowMinutes} minutes`,
      `False positives marked in the mod log: ${rules.falsePositives}`,
      moderationConnectionLine(connection).text,
    ].join('\n'),
  });
  await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

function toggle(enabled: boolean) {
  return (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => runAndReply(interaction, ctx, toggleFilter, { filter: filterOption(interaction), enabled });
}

async function configure(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const o = interaction.options;
  const ladder = o.getString('ladder');
  const limit = o.getInteger('limit');
  const minLength = o.getInteger('min-length');
  const window = o.getInteger('window');
  const warn = o.getBoolean('warn');
  const exempt = o.getString('exempt');
  const role = o.getRole('exempt-role');
  await runAndReply(interaction, ctx, configureFilter, {
    filter: filterOption(interaction),
    ...(ladder !== null ? { ladder } : {}),
    ...(limit !== null ? { limit } : {}),
    ...(minLength !== null ? { minLength } : {}),
    ...(window !== null ? { windowSeconds: window } : {}),
    ...(warn !== null ? { warn } : {}),
    ...(exempt !== null ? { exemptLevel: exempt as FilterRule['exemptLevel'] } : {}),
    ...(o.getBoolean('clear-roles') ? { clearRoles: true } : {}),
    ...(role ? { addExemptRoleId: role.id } : {}),
  });
}

async function wordAdd(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const mode = (interaction.options.getString('mode') ?? 'word') as BannedTermMode;
  await runAndReply(interaction, ctx, addBannedTerm, { term: interaction.options.getString('term', true), mode });
}

async function wordRemove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await runAndReply(interaction, ctx, removeBannedTerm, { term: interaction.options.getString('term', true) });
}

async function linkAllow(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await runAndReply(interaction, ctx, allowLinkDomain, { domain: interaction.options.getString('domain', true) });
}

async function linkRemove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await runAndReply(interaction, ctx, removeLinkDomain, { domain: interaction.options.getString('domain', true) });
}

async function modlog(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await runAndReply(interaction, ctx, setModLogChannel, { channelId: interaction.options.getChannel('channel')?.id ?? null });
}

async function escalation(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await runAndReply(interaction, ctx, setEscalationWindow, { minutes: interaction.options.getInteger('minutes', true) });
}

async function test(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await runAndReply(interaction, ctx, testFilters, { text: interaction.options.getString('text', true) });
}

async function autocomplete(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value).trim().toLowerCase();
  if (focused.name === 'term') {
    const terms = await ctx.prisma.chatFilterTerm.findMany({ where: { guildId: interaction.guildId, pattern: { contains: typed } }, orderBy: { pattern: 'asc' }, take: 25, select: { pattern: true, mode: true } });
    await interaction.respond(terms.map((t) => ({ name: `${t.pattern} (${t.mode})`.slice(0, 100), value: t.pattern.slice(0, 100) })));
    return;
  }
  if (focused.name === 'domain') {
    const { config } = await loadFilterRules(ctx, interaction.guildId);
    await interaction.respond(config.allowedDomains.filter((d) => d.includes(typed)).slice(0, 25).map((d) => ({ name: d, value: d })));
    return;
  }
  await interaction.respond([]);
}

/** `/filters`: view and configure the chat filters (moderators), with a dry run. */
export const filtersCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({
    view,
    enable: toggle(true),
    disable: toggle(false),
    configure,
    'word-add': wordAdd,
    'word-remove': wordRemove,
    'link-allow': linkAllow,
    'link-remove': linkRemove,
    modlog,
    escalation,
    test,
  }),
  autocomplete,
};
