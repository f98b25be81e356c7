/**
 * The per-guild switches of the built-in chat commands (`builtinCommands` guild setting): on/off and the
 * name each answers to. Written atomically per built-in; every write drops the chat path's cached settings.
 */
import { BUILTIN_CHAT_COMMANDS, builtinAnsweringTo, resolveBuiltinCommands, validateCommandName, type BuiltinChatCommandName, type ResolvedBuiltinCommand } from '@kickcord/core';
import type { BotContext } from '../../context.ts';
import { forgetGuildSettings, guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';

type Ctx = Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'localCopies'>;

/** The built-in a moderator means (default name, any case, optional prefix). */
export function checkedBuiltin(input: string): BuiltinChatCommandName {
  const name = input.trim().replace(/^[^a-z0-9_]+/i, '').toLowerCase();
  const builtin = BUILTIN_CHAT_COMMANDS.find((b) => b === name);
  if (!builtin) throw new UserFacingError(`"${name}" is not a built-in chat command — they are: ${BUILTIN_CHAT_COMMANDS.join(', ')}.`);
  return builtin;
}

/** Merges `patch` into one built-in's entry (`null` removes a field) in one statement, then drops the cached settings. */
async function patchBuiltin(ctx: Ctx, guildId: string, builtin: BuiltinChatCommandName, patch: { enabled?: boolean | null; name?: string | null }): Promise<ResolvedBuiltinCommand> {
  await guildSettings(ctx.prisma, guildId);
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null));
  const drop = Object.entries(patch)
    .filter(([, v]) => v === null)
    .map(([k]) => k);
  await ctx.prisma.$executeRaw`
    UPDATE "GuildSettings"
       SET "builtinCommands" = jsonb_set(
             CASE WHEN jsonb_typeof("builtinCommands") = 'object' THEN "builtinCommands" ELSE '{}'::jsonb END,
             ARRAY[${builtin}::text],
             ((CASE WHEN jsonb_typeof("builtinCommands" -> ${builtin}::text) = 'object' THEN "builtinCommands" -> ${builtin}::text ELSE '{}'::jsonb END) - ${drop}::text[]) || ${JSON.stringify(set)}::jsonb),
           "updatedAt" = now()
     WHERE "guildId" = ${guildId}`;
  await forgetGuildSettings(ctx, guildId);
  return (await listBuiltins(ctx, guildId)).find((b) => b.builtin === builtin) as ResolvedBuiltinCommand;
}

/** Every built-in as the guild has it. */
export async function listBuiltins(ctx: Pick<BotContext, 'prisma'>, guildId: string): Promise<ResolvedBuiltinCommand[]> {
  const row = await ctx.prisma.guildSettings.findUnique({ where: { guildId }, select: { builtinCommands: true } });
  return resolveBuiltinCommands(row?.builtinCommands ?? {});
}

/** Turns a built-in on or off. */
export async function setBuiltinEnabled(ctx: Ctx, guildId: string, builtin: BuiltinChatCommandName, enabled: boolean): Promise<ResolvedBuiltinCommand> {
  return patchBuiltin(ctx, guildId, builtin, { enabled: enabled ? null : false });
}

/**
 * Renames a built-in (its default name puts it back). The new name must be a valid command name that no
 * other built-in, custom command or counter of the guild uses.
 */
export async function renameBuiltin(ctx: Ctx, guildId: string, builtin: BuiltinChatCommandName, input: string): Promise<ResolvedBuiltinCommand> {
  const settings = await guildSettings(ctx.prisma, guildId);
  let typed = input.trim().toLowerCase();
  if (typed.startsWith(settings.commandPrefix)) typed = typed.slice(settings.commandPrefix.length);
  if (typed === builtin) return patchBuiltin(ctx, guildId, builtin, { name: null });
  const result = validateCommandName(input, { prefix: settings.commandPrefix });
  if (!result.ok) throw new UserFacingError(result.error);
  const name = result.name;
  const other = builtinAnsweringTo(settings.builtinCommands, name);
  if (other && other.builtin !== builtin) throw new UserFacingError(`"${name}" is already the name of the built-in !${other.builtin} — rename that one first.`);
  const command = await ctx.prisma.chatCommand.findFirst({ where: { guildId, OR: [{ name }, { aliases: { has: name } }] }, select: { name: true } });
  if (command) throw new UserFacingError(`"${name}" is used by the custom command "${command.name}" — pick another name, or remove that command.`);
  const counter = await ctx.prisma.chatCounter.findUnique({ where: { guildId_name: { guildId, name } }, select: { id: true } });
  if (counter) throw new UserFacingError(`"${name}" is the name of a counter — pick another name, or remove that counter.`);
  return patchBuiltin(ctx, guildId, builtin, { name });
}
