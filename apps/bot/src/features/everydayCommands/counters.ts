/**
 * Chat counters: the built-in `!deaths` and counters moderators add with `/counters add`, each answering to
 * its own chat command. A change from chat is recorded with its Kick message id in the same transaction, so
 * a message delivered any number of times changes a counter once.
 */
import { validateCommandName, builtinAnsweringTo } from '@kickcord/core';
import type { ChatCounter } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { isUniqueViolation } from '../../database/isUniqueViolation.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** The built-in counter's name (its row is created on first use). */
export const DEATHS_COUNTER = 'deaths';
/** Counters one guild may have (the built-in one included). */
export const MAX_COUNTERS = 50;
/** Largest value a counter holds (PostgreSQL integer). */
export const MAX_COUNTER_VALUE = 2_147_483_647;

type Db = Pick<BotContext, 'prisma'>;

/** A counter of a guild by name. */
export async function findCounter(ctx: Db, guildId: string, name: string): Promise<ChatCounter | null> {
  return ctx.prisma.chatCounter.findUnique({ where: { guildId_name: { guildId, name } } });
}

/** Input of {@link changeCounter}. */
export interface CounterChange {
  guildId: string;
  name: string;
  /** +1 or -1 (a counter never goes below 0). */
  delta: number;
  /** The Kick message that asked for the change. */
  messageId: string;
  /** Create the counter at 0 when it does not exist (the built-in one); otherwise a missing counter gives null. */
  create: boolean;
}

/**
 * Changes a counter once per Kick message and returns its value after that message's change (the same
 * value for every delivery of the message). Null when the counter does not exist and `create` is false.
 */
export async function changeCounter(ctx: Db, input: CounterChange): Promise<number | null> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.prisma.$transaction(async (tx) => {
        const counter = input.create
          ? await tx.chatCounter.upsert({ where: { guildId_name: { guildId: input.guildId, name: input.name } }, create: { guildId: input.guildId, name: input.name }, update: {} })
          : await tx.chatCounter.findUnique({ where: { guildId_name: { guildId: input.guildId, name: input.name } } });
        if (!counter) return null;
        const seen = await tx.chatCounterChange.findUnique({ where: { counterId_messageId: { counterId: counter.id, messageId: input.messageId } } });
        if (seen) return seen.valueAfter;
        const [row] = await tx.$queryRaw<{ value: number }[]>`
          UPDATE "ChatCounter" SET value = LEAST(${MAX_COUNTER_VALUE}::bigint, GREATEST(0, value::bigint + ${input.delta}::bigint))::int, "updatedAt" = now()
           WHERE id = ${counter.id} RETURNING value`;
        const value = row?.value ?? counter.value;
        // Another delivery of the same message inserting this row first makes this transaction roll back (no double count).
        await tx.chatCounterChange.create({ data: { counterId: counter.id, messageId: input.messageId, delta: input.delta, valueAfter: value } });
        return value;
      });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

/** Checks a new counter's name: a valid command name that no built-in, custom command or counter uses. */
async function checkedNewName(ctx: Db, guildId: string, input: string): Promise<string> {
  const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId }, select: { commandPrefix: true, builtinCommands: true } });
  const result = validateCommandName(input, { prefix: settings?.commandPrefix ?? '!' });
  if (!result.ok) throw new UserFacingError(result.error);
  const name = result.name;
  const builtin = builtinAnsweringTo(settings?.builtinCommands ?? {}, name);
  if (builtin) throw new UserFacingError(`"${name}" is the name of the built-in !${builtin.builtin} here — pick another name.`);
  const command = await ctx.prisma.chatCommand.findFirst({ where: { guildId, OR: [{ name }, { aliases: { has: name } }] }, select: { name: true } });
  if (command) throw new UserFacingError(`"${name}" is already used by the custom command "${command.name}" — pick another name.`);
  return name;
}

/** Adds a counter at `value` (moderators). */
export async function addCounter(ctx: Db, input: { guildId: string; name: string; value: number; createdByDiscordId: string }): Promise<ChatCounter> {
  const name = await checkedNewName(ctx, input.guildId, input.name);
  if ((await ctx.prisma.chatCounter.count({ where: { guildId: input.guildId } })) >= MAX_COUNTERS) {
    throw new UserFacingError(`This server already has ${MAX_COUNTERS} counters — remove one first.`);
  }
  try {
    return await ctx.prisma.chatCounter.create({ data: { guildId: input.guildId, name, value: input.value, createdByDiscordId: input.createdByDiscordId } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserFacingError(`A counter named "${name}" already exists — use /counters set.`);
    throw error;
  }
}

/** The stored name a moderator means (any case, optional prefix). */
export function counterName(input: string): string {
  return input.trim().replace(/^[^a-z0-9_]+/i, '').toLowerCase();
}

/** Sets a counter's value (moderators). `deaths` is created if it was never used. */
export async function setCounter(ctx: Db, input: { guildId: string; name: string; value: number }): Promise<ChatCounter> {
  const name = counterName(input.name);
  if (name === DEATHS_COUNTER) {
    return ctx.prisma.chatCounter.upsert({ where: { guildId_name: { guildId: input.guildId, name } }, create: { guildId: input.guildId, name, value: input.value }, update: { value: input.value } });
  }
  const { count } = await ctx.prisma.chatCounter.updateMany({ where: { guildId: input.guildId, name }, data: { value: input.value } });
  if (count === 0) throw new UserFacingError(`There is no counter named "${name}" — add it with /counters add.`);
  return (await findCounter(ctx, input.guildId, name)) as ChatCounter;
}

/** Removes a counter (moderators). Removing `deaths` resets it; the built-in stays (turn it off with /commands builtin). */
export async function removeCounter(ctx: Db, guildId: string, input: string): Promise<ChatCounter> {
  const name = counterName(input);
  const counter = await findCounter(ctx, guildId, name);
  if (!counter) throw new UserFacingError(`There is no counter named "${name}".`);
  await ctx.prisma.chatCounter.deleteMany({ where: { id: counter.id } });
  return counter;
}

/** A guild's counters by name. */
export async function listCounters(ctx: Db, guildId: string): Promise<ChatCounter[]> {
  return ctx.prisma.chatCounter.findMany({ where: { guildId }, orderBy: { name: 'asc' } });
}
