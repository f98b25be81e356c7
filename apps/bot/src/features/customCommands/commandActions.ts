import { buildChatCommandValues, CHAT_COMMAND_VARIABLES, compileTemplate, MAX_TEMPLATE_LENGTH, renderTemplate, USER_LEVELS, validateCommandName, type UserLevel } from '@kickcord/core';
import { auditChanges, Prisma, type AuditDetailValue, type ChatCommand } from '@kickcord/db';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { auditAction, defineGuildAction, type GuildActionCall } from '../../guildActions/GuildAction.ts';
import { guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Custom commands per guild. */
export const MAX_CUSTOM_COMMANDS = 200;
/** Aliases per command. */
export const MAX_ALIASES = 10;
/** Longest cooldown, in seconds (a day). */
export const MAX_COOLDOWN_SEC = 86_400;
/** Highest point cost of one use. */
export const MAX_COMMAND_COST = 1_000_000;
/** Longest aliases text (the slash command option's limit). */
export const MAX_ALIASES_TEXT = 400;

/** The variables a response may use, as a moderator writes them. */
export const CHAT_COMMAND_VARIABLES_TEXT = CHAT_COMMAND_VARIABLES.map((v) => (v === 'random' ? '{random:a|b|c}' : `{${v}}`)).join(' ');

/** A command's stored name, checked: lower case, without the prefix, not a built-in (the slash command's texts). */
export function checkedName(input: string, prefix: string, what: 'Command name' | 'Alias' = 'Command name'): string {
  const r = validateCommandName(input, { prefix });
  if (!r.ok) throw new UserFacingError(what === 'Command name' ? r.error : `Alias "${input}": ${r.error}`);
  return r.name;
}

/** A response that compiles with the chat command variables, or the explanation of every problem in it. */
export function checkedResponse(source: string): string {
  if (source.trim().length === 0) throw new UserFacingError('The response is empty — write what the bot should answer in chat.');
  const compiled = compileTemplate(source, { allowed: CHAT_COMMAND_VARIABLES });
  if (!compiled.ok) {
    throw new UserFacingError(`That response has a problem:\n${compiled.errors.map((e) => `• ${e.message}`).join('\n')}\nVariables: ${CHAT_COMMAND_VARIABLES_TEXT}`);
  }
  return source;
}

/**
 * Aliases as typed (comma or space separated; "none" or nothing clears them): checked like names, without
 * duplicates or the command's own name, at most {@link MAX_ALIASES}.
 */
export function checkedAliases(raw: string, prefix: string, name: string): string[] {
  if (raw.trim().toLowerCase() === 'none') return [];
  const list = [...new Set(raw.split(/[,\s]+/).filter((a) => a.length > 0).map((a) => checkedName(a, prefix, 'Alias')))].filter((a) => a !== name);
  if (list.length > MAX_ALIASES) throw new UserFacingError(`At most ${MAX_ALIASES} aliases per command (got ${list.length}).`);
  return list;
}

/** Throws if a name or alias is already taken by ANOTHER command of this guild. */
async function checkConflicts(ctx: Pick<BotContext, 'prisma'>, guildId: string, names: string[], exceptId: string | null): Promise<void> {
  const clash = await ctx.prisma.chatCommand.findFirst({
    where: { guildId, ...(exceptId ? { id: { not: exceptId } } : {}), OR: [{ name: { in: names } }, { aliases: { hasSome: names } }] },
  });
  if (clash) {
    const taken = names.find((n) => clash.name === n || clash.aliases.includes(n)) ?? names[0];
    throw new UserFacingError(`"${taken}" is already used by the command "${clash.name}" — pick another name, or edit that command.`);
  }
}

/** One command as `/command list` and the replies describe it: its response, then its rules and uses. */
export function describeCommand(c: ChatCommand, prefix: string): string {
  const bits = [
    c.aliases.length ? `aliases ${c.aliases.map((a) => prefix + a).join(', ')}` : '',
    c.minLevel !== 'everyone' ? `${c.minLevel}+` : '',
    c.globalCooldownSec ? `cooldown ${c.globalCooldownSec}s` : '',
    c.userCooldownSec ? `per-user ${c.userCooldownSec}s` : '',
    c.cost ? `costs ${c.cost}` : '',
    c.liveOnly ? 'live only' : '',
    c.enabled ? '' : 'disabled',
    c.publicListed ? '' : 'not on the public list',
    `used ${c.useCount}×`,
  ].filter(Boolean);
  return `\`${c.response.slice(0, 180)}\`\n${bits.join(' · ')}`;
}

const seconds = (what: string) =>
  z
    .number({ error: `${what} must be a whole number of seconds from 0 to ${MAX_COOLDOWN_SEC} (0 = none).` })
    .int(`${what} must be a whole number of seconds from 0 to ${MAX_COOLDOWN_SEC} (0 = none).`)
    .min(0, `${what} must be a whole number of seconds from 0 to ${MAX_COOLDOWN_SEC} (0 = none).`)
    .max(MAX_COOLDOWN_SEC, `${what} must be a whole number of seconds from 0 to ${MAX_COOLDOWN_SEC} (0 = none).`);
const costSchema = z
  .number({ error: `Cost must be a whole number of points from 0 to ${MAX_COMMAND_COST} (0 = free).` })
  .int(`Cost must be a whole number of points from 0 to ${MAX_COMMAND_COST} (0 = free).`)
  .min(0, `Cost must be a whole number of points from 0 to ${MAX_COMMAND_COST} (0 = free).`)
  .max(MAX_COMMAND_COST, `Cost must be a whole number of points from 0 to ${MAX_COMMAND_COST} (0 = free).`);
const levelSchema = z.enum(USER_LEVELS as unknown as [UserLevel, ...UserLevel[]], { error: () => `Level must be one of: ${USER_LEVELS.join(', ')}.` });
const nameSchema = z.string({ error: 'Give the command a name.' }).max(64, 'Command names are at most 32 characters.');
const responseSchema = z.string({ error: 'Write the response.' }).max(MAX_TEMPLATE_LENGTH, `A response is at most ${MAX_TEMPLATE_LENGTH} characters.`);
const aliasesSchema = z.string().max(MAX_ALIASES_TEXT, `The aliases are at most ${MAX_ALIASES_TEXT} characters in all.`);

/**
 * Which command a change is about: `id` (the dashboard's forms) or `name` (the slash command, by name or with its
 * prefix). Either way it must be a command of the guild the change is made in.
 */
const targetSchema = {
  id: z.uuid({ error: 'That is not a command id.' }).optional(),
  name: nameSchema.optional(),
};
function hasTarget(input: { id?: string | undefined; name?: string | undefined }): boolean {
  return input.id !== undefined || input.name !== undefined;
}
const TARGET_MISSING = { error: 'Say which command: its name.' };

/** The guild's command named by `target`, or the slash command's "no command named" refusal. */
async function findTarget(ctx: Pick<BotContext, 'prisma'>, call: GuildActionCall, target: { id?: string | undefined; name?: string | undefined }, prefix: string, missing: (name: string) => string): Promise<ChatCommand> {
  if (target.id !== undefined) {
    const found = await ctx.prisma.chatCommand.findFirst({ where: { id: target.id, guildId: call.guildId } });
    if (!found) throw new UserFacingError('That command is not in this server any more — it may have just been removed. Reload the page.');
    return found;
  }
  const name = checkedName(target.name ?? '', prefix);
  const found = await ctx.prisma.chatCommand.findUnique({ where: { guildId_name: { guildId: call.guildId, name } } });
  if (!found) throw new UserFacingError(missing(name));
  return found;
}

/** The settings of a command the audit log records (what a moderator can change). */
function auditedFields(c: ChatCommand): Record<string, AuditDetailValue> {
  return {
    response: c.response,
    aliases: c.aliases,
    globalCooldownSec: c.globalCooldownSec,
    userCooldownSec: c.userCooldownSec,
    minLevel: c.minLevel,
    cost: c.cost,
    liveOnly: c.liveOnly,
    enabled: c.enabled,
    publicListed: c.publicListed,
  };
}

function isRecordMissing(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}

/** `/command add`, and the dashboard's "Add command". */
export const addCommand = defineGuildAction({
  name: 'commands.add',
  input: z.object({
    name: nameSchema,
    response: responseSchema,
    aliases: aliasesSchema.optional(),
    cooldown: seconds('Cooldown').optional(),
    userCooldown: seconds('Per-viewer cooldown').optional(),
    level: levelSchema.optional(),
    cost: costSchema.optional(),
    liveOnly: z.boolean().optional(),
    listed: z.boolean().optional(),
  }),
  async run(ctx, call, input) {
    const { commandPrefix: prefix } = await guildSettings(ctx.prisma, call.guildId);
    const name = checkedName(input.name, prefix);
    const response = checkedResponse(input.response);
    const aliases = input.aliases === undefined ? [] : checkedAliases(input.aliases, prefix, name);
    await checkConflicts(ctx, call.guildId, [name, ...aliases], null);
    if ((await ctx.prisma.chatCommand.count({ where: { guildId: call.guildId } })) >= MAX_CUSTOM_COMMANDS) {
      throw new UserFacingError(`This server has ${MAX_CUSTOM_COMMANDS} chat commands, the maximum — remove one first.`);
    }
    let created: ChatCommand;
    try {
      created = await ctx.prisma.chatCommand.create({
        data: {
          guildId: call.guildId,
          name,
          response,
          aliases,
          globalCooldownSec: input.cooldown ?? 0,
          userCooldownSec: input.userCooldown ?? 0,
          minLevel: input.level ?? 'everyone',
          cost: input.cost ?? 0,
          liveOnly: input.liveOnly ?? false,
          publicListed: input.listed ?? true,
          createdByDiscordId: call.actor.id,
        },
      });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new UserFacingError(`A command named "${name}" already exists — use /command edit.`);
      throw error;
    }
    const settings = auditedFields(created);
    delete settings.enabled;
    await auditAction(ctx, call, 'commands.add', { name, ...settings });
    return { message: `✅ Added **${prefix}${name}**.\n${describeCommand(created, prefix)}`, data: { id: created.id, name } };
  },
});

/** `/command edit`, and the dashboard's edit form: changes only what is given. */
export const editCommand = defineGuildAction({
  name: 'commands.edit',
  input: z
    .object({
      ...targetSchema,
      response: responseSchema.optional(),
      aliases: aliasesSchema.optional(),
      cooldown: seconds('Cooldown').optional(),
      userCooldown: seconds('Per-viewer cooldown').optional(),
      level: levelSchema.optional(),
      cost: costSchema.optional(),
      liveOnly: z.boolean().optional(),
      enabled: z.boolean().optional(),
      listed: z.boolean().optional(),
    })
    .refine(hasTarget, TARGET_MISSING),
  async run(ctx, call, input) {
    const { commandPrefix: prefix } = await guildSettings(ctx.prisma, call.guildId);
    const existing = await findTarget(ctx, call, input, prefix, (name) => `There is no command named "${name}" — see /command list, or create it with /command add.`);
    const aliases = input.aliases === undefined ? undefined : checkedAliases(input.aliases, prefix, existing.name);
    if (aliases?.length) await checkConflicts(ctx, call.guildId, aliases, existing.id);
    const data: Prisma.ChatCommandUpdateInput = {};
    if (input.response !== undefined) data.response = checkedResponse(input.response);
    if (aliases !== undefined) data.aliases = aliases;
    if (input.cooldown !== undefined) data.globalCooldownSec = input.cooldown;
    if (input.userCooldown !== undefined) data.userCooldownSec = input.userCooldown;
    if (input.level !== undefined) data.minLevel = input.level;
    if (input.cost !== undefined) data.cost = input.cost;
    if (input.liveOnly !== undefined) data.liveOnly = input.liveOnly;
    if (input.enabled !== undefined) data.enabled = input.enabled;
    if (input.listed !== undefined) data.publicListed = input.listed;
    if (Object.keys(data).length === 0) throw new UserFacingError('Nothing to change — pass at least one option (response, aliases, cooldown, level, cost, live_only, listed, enabled).');
    let updated: ChatCommand;
    try {
      updated = await ctx.prisma.chatCommand.update({ where: { id: existing.id }, data });
    } catch (error) {
      if (isRecordMissing(error)) throw new UserFacingError(`There is no command named "${existing.name}" any more — it was just removed.`);
      throw error;
    }
    const changes = auditChanges(auditedFields(existing), auditedFields(updated));
    if (Object.keys(changes).length === 0) return { message: `Nothing changed: **${prefix}${existing.name}** was already like this.\n${describeCommand(updated, prefix)}`, data: { id: updated.id, name: updated.name } };
    await auditAction(ctx, call, 'commands.edit', { name: existing.name, ...changes });
    return { message: `✏️ Updated **${prefix}${existing.name}**.\n${describeCommand(updated, prefix)}`, data: { id: updated.id, name: updated.name } };
  },
});

/** `/command remove`, and the dashboard's Delete. */
export const removeCommand = defineGuildAction({
  name: 'commands.remove',
  input: z.object(targetSchema).refine(hasTarget, TARGET_MISSING),
  async run(ctx, call, input) {
    const { commandPrefix: prefix } = await guildSettings(ctx.prisma, call.guildId);
    const existing = await findTarget(ctx, call, input, prefix, (name) => `There is no command named "${name}" — see /command list.`);
    const { count } = await ctx.prisma.chatCommand.deleteMany({ where: { id: existing.id, guildId: call.guildId } });
    if (!count) throw new UserFacingError(`There is no command named "${existing.name}" — see /command list.`);
    await auditAction(ctx, call, 'commands.remove', { name: existing.name, ...auditedFields(existing) });
    return { message: `🗑️ Removed **${prefix}${existing.name}**.`, data: { name: existing.name } };
  },
});

/** `/command listing`, and the dashboard's "Show / Hide on the public list": whether the public command list shows a command. */
export const setCommandListing = defineGuildAction({
  name: 'commands.listing',
  input: z.object({ ...targetSchema, listed: z.boolean({ error: 'Say whether the command is listed: true or false.' }) }).refine(hasTarget, TARGET_MISSING),
  async run(ctx, call, input) {
    const { commandPrefix: prefix } = await guildSettings(ctx.prisma, call.guildId);
    const existing = await findTarget(ctx, call, input, prefix, (name) => `There is no command named "${name}" — see /command list.`);
    const { count } = await ctx.prisma.chatCommand.updateMany({ where: { id: existing.id, guildId: call.guildId, publicListed: !input.listed }, data: { publicListed: input.listed } });
    if (count) await auditAction(ctx, call, 'commands.listing', { name: existing.name, publicListed: { from: !input.listed, to: input.listed } });
    const shown = `**${prefix}${existing.name}**`;
    if (!count) return { message: input.listed ? `${shown} was already on the public command list.` : `${shown} was already hidden from the public command list.` };
    return { message: input.listed ? `👁️ ${shown} is on the public command list again.` : `🙈 ${shown} is hidden from the public command list (it still works in chat).` };
  },
});

/** Sample values a response preview is rendered with. */
export const PREVIEW_SAMPLE = { user: 'viewer_name', args: ['@friend'], rawArgs: '@friend', points: 1250, watchtimeMinutes: 754, count: 42, uptime: '1h 23m', title: 'Sample stream title', category: 'Just Chatting' } as const;

/** The dashboard's live preview: a response checked and answered to a sample viewer (nothing is saved). */
export const previewCommand = defineGuildAction({
  name: 'commands.preview',
  input: z.object({ name: z.string().max(64).optional(), response: responseSchema }),
  async run(ctx, call, input) {
    const { commandPrefix: prefix } = await guildSettings(ctx.prisma, call.guildId);
    checkedResponse(input.response);
    const compiled = compileTemplate(input.response, { allowed: CHAT_COMMAND_VARIABLES });
    if (!compiled.ok) throw new UserFacingError('That response has a problem.');
    const values = buildChatCommandValues(PREVIEW_SAMPLE);
    const text = renderTemplate(compiled.template, values, Math.random).trim();
    const name = input.name ? validateCommandName(input.name, { prefix }) : null;
    const asked = `${prefix}${name?.ok ? name.name : 'command'} ${PREVIEW_SAMPLE.rawArgs}`;
    return { message: text, data: { asked, user: PREVIEW_SAMPLE.user } };
  },
});

/** Every custom command action. */
export const commandActions = [addCommand, editCommand, removeCommand, setCommandListing, previewCommand] as const;
