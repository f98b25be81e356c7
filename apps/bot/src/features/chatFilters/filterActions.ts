/**
 * The chat filters' changes, shared by `/filters` and the web dashboard: each runs the same checks, writes the rules
 * document or the banned terms, drops every cached copy of the compiled filters, and records an audit entry when
 * something changed.
 */
import { auditChanges, type AuditDetailValue } from '@kickcord/db';
import {
  BANNED_TERM_LIMITS,
  CHAT_FILTER_KINDS,
  EXEMPT_LEVELS,
  compileChatFilters,
  defangLinks,
  formatLadder,
  normalizeDomain,
  parseLadder,
  prepareBannedTerm,
  stepForOffence,
  type ChatFilterKind,
  type FilterRule,
} from '@kickcord/core';
import { z } from 'zod';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { requireGuildRole, requireGuildTextChannel } from '../../guildActions/guildDirectory.ts';
import { forgetGuildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { ACTION_SCOPES } from '../moderation/moderationActions.ts';
import { forgetFilterRules, loadFilterRules, updateFilterConfig } from './filterRules.ts';

/** Most allowed link domains a guild may keep. */
export const MAX_ALLOWED_DOMAINS = 100;
/** Most exempt roles one filter may have. */
export const MAX_EXEMPT_ROLES = 25;

const filterSchema = z.enum(CHAT_FILTER_KINDS, { error: () => `Unknown filter. Choose one of: ${CHAT_FILTER_KINDS.join(', ')}.` });
const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id');
const modeSchema = z.enum(['word', 'substring', 'regex'], { error: () => 'How a term matches is one of: word, substring, regex.' });
const exemptLevelSchema = z.enum(EXEMPT_LEVELS as [FilterRule['exemptLevel'], ...FilterRule['exemptLevel'][]], { error: () => `Exempt one of these levels and above: ${EXEMPT_LEVELS.join(', ')}.` });

/** A whole number from `min` to `max`, refused with one sentence naming the setting. */
function wholeNumber(what: string, min: number, max: number) {
  const message = `${what} is a whole number from ${min} to ${max}.`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

/**
 * The line `/filters view` and the dashboard show about the Kick connection: what stops the filters and `/mod` from
 * acting (no connection, or scopes the streamer did not grant), or that the permissions are fine.
 */
export function moderationConnectionLine(connection: { scopes: readonly string[] } | null): { ok: boolean; text: string } {
  if (!connection) return { ok: false, text: '⚠️ No Kick channel is connected (`/kick connect`).' };
  const missing = [...new Set(Object.values(ACTION_SCOPES))].filter((s) => !connection.scopes.includes(s));
  if (missing.length === 0) return { ok: true, text: 'Kick permissions: ok' };
  return { ok: false, text: `⚠️ The Kick connection lacks ${missing.map((s) => `\`${s}\``).join(', ')}: filters cannot act until the streamer reconnects (\`/kick connect\`).` };
}

/** The status the dashboard shows above the filters: the connection line (same words as `/filters view`). Changes nothing. */
export const filtersStatus = defineGuildAction({
  name: 'filters.status',
  input: z.object({}),
  async run(ctx, call) {
    const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId: call.guildId }, select: { scopes: true } });
    const line = moderationConnectionLine(connection);
    return { message: line.text, data: { ok: line.ok } };
  },
});

/** `/filters enable|disable`: turn one filter on or off. */
export const toggleFilter = defineGuildAction({
  name: 'filters.toggle',
  input: z.object({ filter: filterSchema, enabled: z.boolean() }),
  async run(ctx, call, input) {
    let before = input.enabled;
    await updateFilterConfig(ctx, call.guildId, (c) => {
      before = c.rules[input.filter].enabled;
      c.rules[input.filter].enabled = input.enabled;
    });
    if (before !== input.enabled) await auditAction(ctx, call, 'filters.toggle', { filter: input.filter, enabled: { from: before, to: input.enabled } });
    const extra = input.enabled && input.filter === 'words' ? ' Add terms with `/filters word-add`.' : '';
    return { message: `${input.enabled ? '✅' : '⬜'} The **${input.filter}** filter is ${input.enabled ? 'on' : 'off'}.${extra}` };
  },
});

/** `/filters configure`, and a filter's Save on the dashboard: only the settings given change. */
export const configureFilter = defineGuildAction({
  name: 'filters.configure',
  input: z.object({
    filter: filterSchema,
    enabled: z.boolean().optional(),
    ladder: z.string().max(100, 'A ladder is at most 100 characters.').optional(),
    limit: wholeNumber('The limit', 1, 10_000).optional(),
    minLength: wholeNumber('The minimum length', 1, 500).optional(),
    windowSeconds: wholeNumber('The window in seconds', 5, 3_600).optional(),
    warn: z.boolean().optional(),
    exemptLevel: exemptLevelSchema.optional(),
    /** Every exempt role (replaces the list). */
    exemptRoleIds: z.array(snowflake).max(MAX_EXEMPT_ROLES, `At most ${MAX_EXEMPT_ROLES} roles can be exempt.`).optional(),
    /** One more exempt role (the slash command's `exempt-role`). */
    addExemptRoleId: snowflake.optional(),
    clearRoles: z.boolean().optional(),
  }),
  async run(ctx, call, input) {
    const kind = input.filter;
    const ladder = input.ladder === undefined ? null : parseLadder(input.ladder);
    if (ladder && !ladder.ok) throw new UserFacingError(ladder.problem);
    if (input.limit !== undefined && (kind === 'caps' || kind === 'symbols') && input.limit > 100) throw new UserFacingError(`The ${kind} limit is a percentage (1–100).`);
    const current = (await loadFilterRules(ctx, call.guildId)).config.rules[kind];
    // Roles are checked against this server before anything is written (a form can send any id).
    const newRoles = [...(input.exemptRoleIds ?? []), ...(input.addExemptRoleId ? [input.addExemptRoleId] : [])].filter((id) => !current.exemptRoleIds.includes(id));
    for (const roleId of new Set(newRoles)) await requireGuildRole(ctx, call.guildId, roleId);

    const changes: string[] = [];
    let before: FilterRule | undefined;
    const config = await updateFilterConfig(ctx, call.guildId, (c) => {
      const rule = c.rules[kind];
      before = structuredClone(rule);
      if (input.enabled !== undefined) {
        rule.enabled = input.enabled;
        changes.push(input.enabled ? 'on' : 'off');
      }
      if (ladder?.ok) {
        rule.ladder = ladder.ladder;
        changes.push(`ladder ${formatLadder(ladder.ladder)}`);
      }
      if (input.limit !== undefined) {
        rule.limit = input.limit;
        changes.push(`limit ${input.limit}`);
      }
      if (input.minLength !== undefined) {
        rule.minLength = input.minLength;
        changes.push(`min length ${input.minLength}`);
      }
      if (input.windowSeconds !== undefined) {
        rule.windowSeconds = input.windowSeconds;
        changes.push(`window ${input.windowSeconds}s`);
      }
      if (input.warn !== undefined) {
        rule.warn = input.warn;
        changes.push(input.warn ? 'warns in chat' : 'no warning');
      }
      if (input.exemptLevel !== undefined) {
        rule.exemptLevel = input.exemptLevel;
        changes.push(`exempts ${input.exemptLevel} and above`);
      }
      if (input.clearRoles) {
        rule.exemptRoleIds = [];
        changes.push('no exempt roles');
      }
      if (input.exemptRoleIds !== undefined) {
        rule.exemptRoleIds = [...new Set(input.exemptRoleIds)];
        changes.push(rule.exemptRoleIds.length ? `exempts linked members with ${rule.exemptRoleIds.map((r) => `<@&${r}>`).join(' ')}` : 'no exempt roles');
      }
      if (input.addExemptRoleId) {
        if (!rule.exemptRoleIds.includes(input.addExemptRoleId)) rule.exemptRoleIds = [...rule.exemptRoleIds, input.addExemptRoleId].slice(-MAX_EXEMPT_ROLES);
        changes.push(`exempts linked members with <@&${input.addExemptRoleId}>`);
      }
      if (changes.length === 0) throw new UserFacingError('Nothing to change: give at least one option.');
    });
    const changed = before ? auditChanges(before as unknown as Record<string, AuditDetailValue>, config.rules[kind] as unknown as Record<string, AuditDetailValue>) : {};
    if (Object.keys(changed).length > 0) await auditAction(ctx, call, 'filters.configure', { filter: kind, ...changed });
    return { message: `**${kind}** (${config.rules[kind].enabled ? 'on' : 'off'}): ${changes.join(', ')}.` };
  },
});

/** `/filters word-add`: ban a word, phrase or RE2 pattern. */
export const addBannedTerm = defineGuildAction({
  name: 'filters.word_add',
  input: z.object({ term: z.string().max(BANNED_TERM_LIMITS.maxLength, `A term has at most ${BANNED_TERM_LIMITS.maxLength} characters.`), mode: modeSchema.default('word') }),
  async run(ctx, call, input) {
    const prepared = prepareBannedTerm(input.term, input.mode);
    if (!prepared.ok) throw new UserFacingError(prepared.problem);
    const guildId = call.guildId;
    const counts = await ctx.prisma.chatFilterTerm.groupBy({ by: ['mode'], where: { guildId }, _count: { _all: true } });
    const total = counts.reduce((a, c) => a + c._count._all, 0);
    if (total >= BANNED_TERM_LIMITS.maxTerms) throw new UserFacingError(`A server has at most ${BANNED_TERM_LIMITS.maxTerms} terms; remove some first.`);
    if (input.mode === 'regex' && (counts.find((c) => c.mode === 'regex')?._count._all ?? 0) >= BANNED_TERM_LIMITS.maxRegexTerms) {
      throw new UserFacingError(`A server has at most ${BANNED_TERM_LIMITS.maxRegexTerms} regular expressions.`);
    }
    const created = await ctx.prisma.chatFilterTerm.createMany({ data: [{ guildId, pattern: prepared.term.pattern, mode: input.mode, createdByDiscordId: call.actor.id }], skipDuplicates: true });
    await forgetFilterRules(ctx, guildId);
    if (created.count) await auditAction(ctx, call, 'filters.word_add', { term: prepared.term.pattern, mode: input.mode });
    const enabled = (await loadFilterRules(ctx, guildId)).config.rules.words.enabled;
    const stored = `\`${prepared.term.pattern.replace(/`/g, "'")}\``;
    return { message: `${created.count ? 'Banned' : 'Already banned:'} ${stored} (${input.mode}).${enabled ? '' : ' The words filter is off: `/filters enable words`.'}` };
  },
});

/** `/filters word-remove`: unban a term (as stored, or as typed in lower case). */
export const removeBannedTerm = defineGuildAction({
  name: 'filters.word_remove',
  input: z.object({ term: z.string().max(BANNED_TERM_LIMITS.maxLength, `A term has at most ${BANNED_TERM_LIMITS.maxLength} characters.`) }),
  async run(ctx, call, input) {
    const term = input.term.trim();
    const removed = await ctx.prisma.chatFilterTerm.deleteMany({ where: { guildId: call.guildId, OR: [{ pattern: term }, { pattern: term.toLowerCase() }] } });
    if (removed.count === 0) throw new UserFacingError('That term is not banned here (pick one from the list).');
    await forgetFilterRules(ctx, call.guildId);
    await auditAction(ctx, call, 'filters.word_remove', { term });
    return { message: `Removed \`${term.replace(/`/g, "'")}\`.` };
  },
});

/** `/filters link-allow`: links to a domain (and its subdomains) pass the links filter. */
export const allowLinkDomain = defineGuildAction({
  name: 'filters.link_allow',
  input: z.object({ domain: z.string().max(253, 'A domain has at most 253 characters.') }),
  async run(ctx, call, input) {
    const domain = normalizeDomain(input.domain);
    if (!domain) throw new UserFacingError('That is not a domain: give one like `youtube.com`.');
    let added = false;
    await updateFilterConfig(ctx, call.guildId, (c) => {
      if (c.allowedDomains.includes(domain)) return;
      if (c.allowedDomains.length >= MAX_ALLOWED_DOMAINS) throw new UserFacingError(`At most ${MAX_ALLOWED_DOMAINS} domains can be allowed.`);
      c.allowedDomains = [...c.allowedDomains, domain];
      added = true;
    });
    if (added) await auditAction(ctx, call, 'filters.link_allow', { domain });
    return { message: `Links to **${domain}** (and its subdomains) are allowed.` };
  },
});

/** `/filters link-remove`: stop allowing a domain. */
export const removeLinkDomain = defineGuildAction({
  name: 'filters.link_remove',
  input: z.object({ domain: z.string().max(253, 'A domain has at most 253 characters.') }),
  async run(ctx, call, input) {
    const domain = normalizeDomain(input.domain) ?? input.domain;
    let found = false;
    await updateFilterConfig(ctx, call.guildId, (c) => {
      found = c.allowedDomains.includes(domain);
      c.allowedDomains = c.allowedDomains.filter((d) => d !== domain);
    });
    if (!found) throw new UserFacingError(`${domain} was not on the allowed list.`);
    await auditAction(ctx, call, 'filters.link_remove', { domain });
    return { message: `Links to **${domain}** are no longer allowed.` };
  },
});

/** `/filters modlog`: where every moderation action is posted (null stops posting). */
export const setModLogChannel = defineGuildAction({
  name: 'filters.modlog',
  input: z.object({ channelId: snowflake.nullable() }),
  async run(ctx, call, input) {
    const guildId = call.guildId;
    const channel = input.channelId ? await requireGuildTextChannel(ctx, guildId, input.channelId) : null;
    const before = await ctx.prisma.guildSettings.findUnique({ where: { guildId }, select: { modLogChannelId: true } });
    await ctx.prisma.guildSettings.upsert({ where: { guildId }, create: { guildId, modLogChannelId: channel?.id ?? null }, update: { modLogChannelId: channel?.id ?? null } });
    await forgetGuildSettings(ctx, guildId);
    if ((before?.modLogChannelId ?? null) !== (channel?.id ?? null)) await auditAction(ctx, call, 'filters.modlog', { channel: { from: before?.modLogChannelId ?? null, to: channel?.id ?? null } });
    return { message: channel ? `Moderation actions (and kickcord notices) are posted in <#${channel.id}>.` : 'Moderation actions are no longer posted.' };
  },
});

/** `/filters escalation`: how long a viewer's offences count up a ladder. */
export const setEscalationWindow = defineGuildAction({
  name: 'filters.escalation',
  input: z.object({ minutes: wholeNumber('The escalation window in minutes', 1, 10_080) }),
  async run(ctx, call, input) {
    let before = input.minutes;
    await updateFilterConfig(ctx, call.guildId, (c) => {
      before = c.escalationWindowMinutes;
      c.escalationWindowMinutes = input.minutes;
    });
    if (before !== input.minutes) await auditAction(ctx, call, 'filters.escalation', { minutes: { from: before, to: input.minutes } });
    return { message: `A viewer's offences count up a filter's ladder for ${input.minutes} minutes.` };
  },
});

/** `/filters test`, and the dashboard's "test a message": what the filters would do with a plain viewer's message. Nothing is done. */
export const testFilters = defineGuildAction({
  name: 'filters.test',
  input: z.object({ text: z.string().min(1, 'Type a message to test.').max(500, 'A test message is at most 500 characters.') }),
  async run(ctx, call, input) {
    const { config, terms } = await loadFilterRules(ctx, call.guildId);
    const filters = compileChatFilters(config, terms);
    const hits = filters.check({ content: input.text, senderLevel: 'everyone' });
    const safe = defangLinks(input.text).replace(/`/g, "'").slice(0, 300);
    if (hits.length === 0) {
      const repeats = filters.applies('repeats', 'everyone') ? ` (Repeats: acted on from the ${config.rules.repeats.limit}${config.rules.repeats.limit === 1 ? 'st' : 'th'} identical message in a row.)` : '';
      return { message: `✅ No filter would act on \`${safe}\` from a plain viewer.${repeats}`, data: { filters: [] } };
    }
    const lines = hits.map((h, i) => `${i === 0 ? '→' : '·'} **${h.filter}**: ${h.reason}${h.detail ? ` (${defangLinks(h.detail)})` : ''}${i === 0 ? ` — first offence: ${formatLadder([stepForOffence(filters.rule(h.filter), 1)])}` : ''}`);
    return {
      message: `Dry run for \`${safe}\` from a plain viewer (nothing was done):\n${lines.join('\n')}\nThe first one acts; a \`!permit\` or an exempt linked role would let it through.`,
      data: { filters: hits.map((h) => h.filter) },
    };
  },
});

/** Every chat filter action. */
export const chatFilterActions = [filtersStatus, toggleFilter, configureFilter, addBannedTerm, removeBannedTerm, allowLinkDomain, removeLinkDomain, setModLogChannel, setEscalationWindow, testFilters] as const;

/** The filter named `value`, or a refusal naming the choices. */
export function filterKind(value: string): ChatFilterKind {
  const parsed = filterSchema.safeParse(value);
  if (!parsed.success) throw new UserFacingError(`Unknown filter ${value}.`);
  return parsed.data;
}

