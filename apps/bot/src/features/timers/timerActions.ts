import { compileTemplate, renderTemplate, TIMER_LIMITS, TIMER_VARIABLES, validateTimer } from '@kickcord/core';
import { auditChanges, type Timer } from '@kickcord/db';
import { z } from 'zod';
import { auditAction, defineGuildAction, type GuildActionCall } from '../../guildActions/GuildAction.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { addTimer, editTimer, removeTimer, type TimerTarget } from './timerService.ts';

/** What a timer does, in words: "posts every 15 min while live, after at least 10 chat messages". */
export function describeTimerRule(timer: Pick<Timer, 'intervalMinutes' | 'minChatLines'>): string {
  return `posts every ${timer.intervalMinutes} min while live${timer.minChatLines > 0 ? `, after at least ${timer.minChatLines} chat messages` : ''}`;
}

const INTERVAL_TEXT = `Interval must be a whole number of minutes from ${TIMER_LIMITS.minIntervalMinutes} to ${TIMER_LIMITS.maxIntervalMinutes}.`;
const LINES_TEXT = `Minimum chat lines must be a whole number from ${TIMER_LIMITS.minChatLines} to ${TIMER_LIMITS.maxChatLines}.`;
// The ranges are checked by validateTimer (with the slash command's texts); the schema only asks for numbers.
const intervalSchema = z.number({ error: INTERVAL_TEXT });
const linesSchema = z.number({ error: LINES_TEXT });
const messageSchema = z.string({ error: 'Write the message the timer posts.' }).max(2_000, `Timer message is too long — the limit is ${TIMER_LIMITS.maxMessageLength}.`);

/** Which timer: `id` (the dashboard) or `name` (the slash command). */
const targetSchema = {
  id: z.uuid({ error: 'That is not a timer id.' }).optional(),
  name: z.string().max(64, 'Timer names are at most 32 characters.').optional(),
};
function hasTarget(input: { id?: string | undefined; name?: string | undefined }): boolean {
  return input.id !== undefined || input.name !== undefined;
}
const TARGET_MISSING = { error: 'Say which timer: its name.' };

function target(call: GuildActionCall, input: { id?: string | undefined; name?: string | undefined }): TimerTarget {
  return input.id !== undefined ? { guildId: call.guildId, id: input.id } : { guildId: call.guildId, name: input.name ?? '' };
}

/** `/timer add`, and the dashboard's "Add timer". */
export const addTimerAction = defineGuildAction({
  name: 'timers.add',
  input: z.object({ name: z.string().max(64, 'Timer names are at most 32 characters.').nullish(), message: messageSchema, intervalMinutes: intervalSchema, minChatLines: linesSchema.nullish() }),
  async run(ctx, call, input) {
    const timer = await addTimer(ctx, { guildId: call.guildId, message: input.message, intervalMinutes: input.intervalMinutes, minChatLines: input.minChatLines ?? null, name: input.name ?? null });
    await auditAction(ctx, call, 'timers.add', { name: timer.name, message: timer.message, intervalMinutes: timer.intervalMinutes, minChatLines: timer.minChatLines });
    return { message: `⏱️ Timer **${timer.name}** ${describeTimerRule(timer)}.`, data: { id: timer.id, name: timer.name } };
  },
});

/** `/timer edit`, and the dashboard's edit form and On / Off: changes only what is given. */
export const editTimerAction = defineGuildAction({
  name: 'timers.edit',
  input: z
    .object({ ...targetSchema, message: messageSchema.optional(), intervalMinutes: intervalSchema.optional(), minChatLines: linesSchema.optional(), enabled: z.boolean().optional() })
    .refine(hasTarget, TARGET_MISSING),
  async run(ctx, call, input) {
    const { before, after } = await editTimer(ctx, target(call, input), { message: input.message, intervalMinutes: input.intervalMinutes, minChatLines: input.minChatLines, enabled: input.enabled });
    const fields = (t: Timer) => ({ message: t.message, intervalMinutes: t.intervalMinutes, minChatLines: t.minChatLines, enabled: t.enabled });
    const changes = auditChanges(fields(before), fields(after));
    if (Object.keys(changes).length === 0) return { message: `Nothing changed: timer **${after.name}** was already like this.`, data: { id: after.id, name: after.name } };
    await auditAction(ctx, call, 'timers.edit', { name: after.name, ...changes });
    const state = after.enabled ? describeTimerRule(after) : 'is off (it posts nothing until it is switched on)';
    return { message: `✏️ Timer **${after.name}** ${state}.`, data: { id: after.id, name: after.name } };
  },
});

/** `/timer remove`, and the dashboard's Delete. */
export const removeTimerAction = defineGuildAction({
  name: 'timers.remove',
  input: z.object(targetSchema).refine(hasTarget, TARGET_MISSING),
  async run(ctx, call, input) {
    const timer = await removeTimer(ctx, target(call, input));
    await auditAction(ctx, call, 'timers.remove', { name: timer.name, message: timer.message, intervalMinutes: timer.intervalMinutes, minChatLines: timer.minChatLines });
    return { message: `Timer **${timer.name}** removed.`, data: { name: timer.name } };
  },
});

/** Stream values a timer preview is rendered with. */
export const TIMER_PREVIEW_SAMPLE = { uptime: '1h 23m', title: 'Sample stream title', category: 'Just Chatting' } as const;

/** The dashboard's live preview: a timer message checked and rendered with sample stream values (nothing is saved). */
export const previewTimer = defineGuildAction({
  name: 'timers.preview',
  input: z.object({ message: messageSchema }),
  async run(_ctx, _call, input) {
    const valid = validateTimer({ message: input.message, intervalMinutes: TIMER_LIMITS.minIntervalMinutes, minChatLines: 0 });
    if (!valid.ok) throw new UserFacingError(valid.errors.join('\n'));
    const compiled = compileTemplate(input.message, { allowed: TIMER_VARIABLES });
    if (!compiled.ok) throw new UserFacingError('That message has a problem.');
    return { message: renderTemplate(compiled.template, TIMER_PREVIEW_SAMPLE, Math.random).trim() };
  },
});

/** Every timer action. */
export const timerActions = [addTimerAction, editTimerAction, removeTimerAction, previewTimer] as const;
