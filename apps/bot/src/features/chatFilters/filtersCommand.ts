import {
  BANNED_TERM_LIMITS,
  CHAT_FILTER_DESCRIPTIONS,
  CHAT_FILTER_KINDS,
  EXEMPT_LEVELS,
  compileChatFilters,
  defangLinks,
  formatLadder,
  isChatFilterKind,
  normalizeDomain,
  parseLadder,
  prepareBannedTerm,
  stepForOffence,
  type BannedTermMode,
  type ChatFilterKind,
} from '@kickcord/core';
import { ChannelType, EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type AutocompleteInteraction, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { forgetGuildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { ACTION_SCOPES } from '../moderation/moderationActions.ts';
import { forgetFilterRules, loadFilterRules, updateFilterConfig } from './filterRules.ts';

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
  const value = interaction.options.getString('filter', true);
  if (!isChatFilterKind(value)) throw new UserFacingError(`Unknown filter ${value}.`);
  return value;
}

async function reply(interaction: ChatInputCommandInteraction<'cached'>, content: string): Promise<void> {
  await interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
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
  const missing = connection ? [...new Set(Object.values(ACTION_SCOPES))].filter((s) => !connection.scopes.includes(s)) : [];
  embed.addFields({
    name: 'Everything else',
    value: [
      `Mod log: ${settings?.modLogChannelId ? `<#${settings.modLogChannelId}>` : 'none — `/filters modlog`'}`,
      `Offences count up a ladder for ${config.escalationWindowMinutes} minutes`,
      `False positives marked in the mod log: ${rules.falsePositives}`,
      connection ? (missing.length ? `⚠️ The Kick connection lacks ${missing.map((s) => `\`${s}\``).join(', ')}: filters cannot act until the streamer reconnects (\`/kick connect\`).` : 'Kick permissions: ok') : '⚠️ No Kick channel is connected (`/kick connect`).',
    ].join('\n'),
  });
  await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

function toggle(enabled: boolean) {
  return async (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => {
    const kind = filterOption(interaction);
    await updateFilterConfig(ctx, interaction.guildId, (c) => {
      c.rules[kind].enabled = enabled;
    });
    const extra = enabled && kind === 'words' ? ' Add terms with `/filters word-add`.' : '';
    await reply(interaction, `${enabled ? '✅' : '⬜'} The **${kind}** filter is ${enabled ? 'on' : 'off'}.${extra}`);
  };
}

async function configure(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const kind = filterOption(interaction);
  const o = interaction.options;
  const ladderText = o.getString('ladder');
  const ladder = ladderText === null ? null : parseLadder(ladderText);
  if (ladder && !ladder.ok) throw new UserFacingError(ladder.problem);
  const changes: string[] = [];
  const config = await updateFilterConfig(ctx, interaction.guildId, (c) => {
    const rule = c.rules[kind];
    if (ladder?.ok) {
      rule.ladder = ladder.ladder;
      changes.push(`ladder ${formatLadder(ladder.ladder)}`);
    }
    const limit = o.getInteger('limit');
    if (limit !== null) {
      if ((kind === 'caps' || kind === 'symbols') && limit > 100) throw new UserFacingError(`The ${kind} limit is a percentage (1–100).`);
      rule.limit = limit;
      changes.push(`limit ${limit}`);
    }
    const minLength = o.getInteger('min-length');
    if (minLength !== null) {
      rule.minLength = minLength;
      changes.push(`min length ${minLength}`);
    }
    const window = o.getInteger('window');
    if (window !== null) {
      rule.windowSeconds = window;
      changes.push(`window ${window}s`);
    }
    const warn = o.getBoolean('warn');
    if (warn !== null) {
      rule.warn = warn;
      changes.push(warn ? 'warns in chat' : 'no warning');
    }
    const exempt = o.getString('exempt');
    if (exempt !== null) {
      rule.exemptLevel = exempt as typeof rule.exemptLevel;
      changes.push(`exempts ${exempt} and above`);
    }
    if (o.getBoolean('clear-roles')) {
      rule.exemptRoleIds = [];
      changes.push('no exempt roles');
    }
    const role = o.getRole('exempt-role');
    if (role) {
      if (!rule.exemptRoleIds.includes(role.id)) rule.exemptRoleIds = [...rule.exemptRoleIds, role.id].slice(-25);
      changes.push(`exempts linked members with <@&${role.id}>`);
    }
  });
  if (changes.length === 0) throw new UserFacingError('Nothing to change: give at least one option.');
  await reply(interaction, `**${kind}** (${config.rules[kind].enabled ? 'on' : 'off'}): ${changes.join(', ')}.`);
}

async function wordAdd(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const mode = (interaction.options.getString('mode') ?? 'word') as BannedTermMode;
  const prepared = prepareBannedTerm(interaction.options.getString('term', true), mode);
  if (!prepared.ok) throw new UserFacingError(prepared.problem);
  const guildId = interaction.guildId;
  const counts = await ctx.prisma.chatFilterTerm.groupBy({ by: ['mode'], where: { guildId }, _count: { _all: true } });
  const total = counts.reduce((a, c) => a + c._count._all, 0);
  if (total >= BANNED_TERM_LIMITS.maxTerms) throw new UserFacingError(`A server has at most ${BANNED_TERM_LIMITS.maxTerms} terms; remove some first.`);
  if (mode === 'regex' && (counts.find((c) => c.mode === 'regex')?._count._all ?? 0) >= BANNED_TERM_LIMITS.maxRegexTerms) {
    throw new UserFacingError(`A server has at most ${BANNED_TERM_LIMITS.maxRegexTerms} regular expressions.`);
  }
  const created = await ctx.prisma.chatFilterTerm.createMany({ data: [{ guildId, pattern: prepared.term.pattern, mode, createdByDiscordId: interaction.user.id }], skipDuplicates: true });
  await forgetFilterRules(ctx, guildId);
  const enabled = (await loadFilterRules(ctx, guildId)).config.rules.words.enabled;
  const stored = `\`${prepared.term.pattern.replace(/`/g, "'")}\``;
  await reply(interaction, `${created.count ? 'Banned' : 'Already banned:'} ${stored} (${mode}).${enabled ? '' : ' The words filter is off: `/filters enable words`.'}`);
}

async function wordRemove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const term = interaction.options.getString('term', true).trim();
  const removed = await ctx.prisma.chatFilterTerm.deleteMany({ where: { guildId: interaction.guildId, OR: [{ pattern: term }, { pattern: term.toLowerCase() }] } });
  if (removed.count === 0) throw new UserFacingError('That term is not banned here (pick one from the list).');
  await forgetFilterRules(ctx, interaction.guildId);
  await reply(interaction, `Removed \`${term.replace(/`/g, "'")}\`.`);
}

async function linkAllow(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const domain = normalizeDomain(interaction.options.getString('domain', true));
  if (!domain) throw new UserFacingError('That is not a domain: give one like `youtube.com`.');
  await updateFilterConfig(ctx, interaction.guildId, (c) => {
    if (c.allowedDomains.includes(domain)) return;
    if (c.allowedDomains.length >= 100) throw new UserFacingError('At most 100 domains can be allowed.');
    c.allowedDomains = [...c.allowedDomains, domain];
  });
  await reply(interaction, `Links to **${domain}** (and its subdomains) are allowed.`);
}

async function linkRemove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const domain = normalizeDomain(interaction.options.getString('domain', true)) ?? interaction.options.getString('domain', true);
  let found = false;
  await updateFilterConfig(ctx, interaction.guildId, (c) => {
    found = c.allowedDomains.includes(domain);
    c.allowedDomains = c.allowedDomains.filter((d) => d !== domain);
  });
  if (!found) throw new UserFacingError(`${domain} was not on the allowed list.`);
  await reply(interaction, `Links to **${domain}** are no longer allowed.`);
}

async function modlog(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const channel = interaction.options.getChannel('channel');
  const guildId = interaction.guildId;
  await ctx.prisma.guildSettings.upsert({ where: { guildId }, create: { guildId, modLogChannelId: channel?.id ?? null }, update: { modLogChannelId: channel?.id ?? null } });
  await forgetGuildSettings(ctx, guildId);
  await reply(interaction, channel ? `Moderation actions (and kickcord notices) are posted in <#${channel.id}>.` : 'Moderation actions are no longer posted.');
}

async function escalation(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const minutes = interaction.options.getInteger('minutes', true);
  await updateFilterConfig(ctx, interaction.guildId, (c) => {
    c.escalationWindowMinutes = minutes;
  });
  await reply(interaction, `A viewer's offences count up a filter's ladder for ${minutes} minutes.`);
}

async function test(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const text = interaction.options.getString('text', true);
  const { config, terms } = await loadFilterRules(ctx, interaction.guildId);
  const filters = compileChatFilters(config, terms);
  const hits = filters.check({ content: text, senderLevel: 'everyone' });
  const safe = defangLinks(text).replace(/`/g, "'").slice(0, 300);
  if (hits.length === 0) {
    await reply(interaction, `✅ No filter would act on \`${safe}\` from a plain viewer.${filters.applies('repeats', 'everyone') ? ` (Repeats: acted on from the ${config.rules.repeats.limit}${config.rules.repeats.limit === 1 ? 'st' : 'th'} identical message in a row.)` : ''}`);
    return;
  }
  const lines = hits.map((h, i) => `${i === 0 ? '→' : '·'} **${h.filter}**: ${h.reason}${h.detail ? ` (${defangLinks(h.detail)})` : ''}${i === 0 ? ` — first offence: ${formatLadder([stepForOffence(filters.rule(h.filter), 1)])}` : ''}`);
  await reply(interaction, `Dry run for \`${safe}\` from a plain viewer (nothing was done):\n${lines.join('\n')}\nThe first one acts; a \`!permit\` or an exempt linked role would let it through.`);
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
