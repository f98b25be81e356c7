/**
 * The counters' guild actions (`/counters add|set|remove` and the dashboard's Chat extras page): a counter is named by
 * its name (the slash command) or its id (the dashboard's forms), and must be a counter of the guild either way.
 */
import type { ChatCounter } from '@kickcord/db';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { auditAction, defineGuildAction, type GuildActionCall } from '../../guildActions/GuildAction.ts';
import { guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { addCounter, counterName, DEATHS_COUNTER, findCounter, MAX_COUNTER_VALUE, removeCounter, setCounter } from './counters.ts';

/** A value as a slash command option gives it (a number), or as a form field sends it (text, checked here). */
const valueInput = z.union([z.number(), z.string().max(40, `A counter's value is a whole number from 0 to ${MAX_COUNTER_VALUE}.`)]);

/** A counter's value from a number or a form's text, or the sentence saying what is wrong with it. */
export function checkedCounterValue(value: number | string): number {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (text === '') throw new UserFacingError('The value is empty: enter a whole number.');
  const n = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > MAX_COUNTER_VALUE) throw new UserFacingError(`A counter's value is a whole number from 0 to ${MAX_COUNTER_VALUE} (got "${text.slice(0, 40)}").`);
  return n;
}

/** Which counter a change is about: `id` (the dashboard) or `name` (the slash command). */
const counterTarget = {
  id: z.uuid({ error: 'That is not a counter id.' }).optional(),
  name: z.string().max(64, 'Counter names are at most 32 characters.').optional(),
};

/** The guild's counter named by `id` (refused when it is not one of the guild's), else its name as stored. */
async function targetName(ctx: Pick<BotContext, 'prisma'>, call: GuildActionCall, target: { id?: string | undefined; name?: string | undefined }): Promise<string> {
  if (target.id !== undefined) {
    const found = await ctx.prisma.chatCounter.findFirst({ where: { id: target.id, guildId: call.guildId }, select: { name: true } });
    if (!found) throw new UserFacingError('That counter is not in this server any more — it may have just been removed. Reload the page.');
    return found.name;
  }
  if (target.name === undefined) throw new UserFacingError('Say which counter: its name.');
  return target.name;
}

/** `/counters add`: a new counter at a value (0 when left out), its name checked against every other command. */
export const addCounterAction = defineGuildAction({
  name: 'counters.add',
  input: z.object({ name: z.string({ error: 'Give the counter a name.' }).max(64, 'Counter names are at most 32 characters.'), value: valueInput.optional() }),
  async run(ctx, call, input) {
    const value = input.value === undefined ? 0 : checkedCounterValue(input.value);
    const counter = await addCounter(ctx, { guildId: call.guildId, name: input.name, value, createdByDiscordId: call.actor.id });
    await auditAction(ctx, call, 'counters.add', { name: counter.name, value: counter.value });
    const prefix = (await guildSettings(ctx.prisma, call.guildId)).commandPrefix;
    return { message: `Counter **${counter.name}** added at ${counter.value}: viewers see it with \`${prefix}${counter.name}\`, moderators count with \`${prefix}${counter.name} +\` or \`-\`.` };
  },
});

/** `/counters set`: a counter's value (audited when it changed; `deaths` is created if it was never used). */
export const setCounterAction = defineGuildAction({
  name: 'counters.set',
  input: z.object({ ...counterTarget, value: valueInput }),
  async run(ctx, call, input) {
    const name = await targetName(ctx, call, input);
    const value = checkedCounterValue(input.value);
    const before: ChatCounter | null = await findCounter(ctx, call.guildId, counterName(name));
    const counter = await setCounter(ctx, { guildId: call.guildId, name, value });
    if (before?.value !== counter.value) await auditAction(ctx, call, 'counters.set', { name: counter.name, value: { from: before?.value ?? null, to: counter.value } });
    return { message: `Counter **${counter.name}** is now ${counter.value}.` };
  },
});

/** `/counters remove`: deletes a counter (removing `deaths` resets it). */
export const removeCounterAction = defineGuildAction({
  name: 'counters.remove',
  input: z.object(counterTarget),
  async run(ctx, call, input) {
    const counter = await removeCounter(ctx, call.guildId, await targetName(ctx, call, input));
    await auditAction(ctx, call, 'counters.remove', { name: counter.name, value: counter.value });
    const note = counter.name === DEATHS_COUNTER ? ' The built-in !deaths starts again at 0 (turn it off with /commands builtin disable).' : '';
    return { message: `Counter **${counter.name}** (at ${counter.value}) removed.${note}` };
  },
});

/** Every counter action. */
export const counterActions = [addCounterAction, setCounterAction, removeCounterAction] as const;
