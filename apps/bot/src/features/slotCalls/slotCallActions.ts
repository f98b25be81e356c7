import { formatPointsAmount } from '@kickcord/core';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { auditAction, defineGuildAction, type GuildActionCall } from '../../guildActions/GuildAction.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { pickSlotCall, removeSlotCalls, setSlotCallsOpen } from './slotCallService.ts';

/** A viewer whose call was picked, as the slash command's reply and the dashboard show them. */
export type SlotCallerData = { kickUserId: number; username: string };

/** What `slotcalls.pick` answers besides its sentence. */
export type SlotPickData = { slotName: string; callers: SlotCallerData[]; random: boolean };

/** Opens or closes slot calls and records the change (a repeated open or close changes nothing and records nothing). */
async function setOpen(ctx: BotContext, call: GuildActionCall, open: boolean, cost: number | null) {
  const before = await ctx.prisma.guildSettings.findUnique({ where: { guildId: call.guildId }, select: { slotCallsOpen: true, slotCallCost: true } });
  const s = await setSlotCallsOpen(ctx, { guildId: call.guildId, open, cost });
  const was = { open: before?.slotCallsOpen ?? false, cost: before?.slotCallCost ?? 0 };
  if (was.open !== s.open || was.cost !== s.cost) {
    await auditAction(ctx, call, open ? 'slotcalls.open' : 'slotcalls.close', { open: { from: was.open, to: s.open }, cost: { from: was.cost, to: s.cost } });
  }
  return {
    message: s.open ? `Slot calls are open${s.cost > 0 ? ` (${formatPointsAmount(s.cost)} per call)` : ''}: viewers type \`!call <slot>\`.` : 'Slot calls are closed; the queue stays until you pick or clear it.',
    data: { open: s.open, cost: s.cost },
  };
}

/** `/slotcalls open`, and the dashboard's "Open slot calls" (optionally setting the cost of a call). */
export const openSlotCallsAction = defineGuildAction({
  name: 'slotcalls.open',
  input: z.object({
    cost: z.preprocess(
      (value) => (typeof value === 'string' ? (value.trim() === '' ? null : Number(value.trim())) : (value ?? null)),
      z.number({ error: 'The cost must be a whole number.' }).int({ error: 'The cost must be a whole number.' }).nullable(),
    )
      .optional()
      .transform((value) => value ?? null),
  }),
  run: (ctx, call, input) => setOpen(ctx, call, true, input.cost),
});

/** `/slotcalls close`, and the dashboard's "Close slot calls" (the queue stays). */
export const closeSlotCallsAction = defineGuildAction({
  name: 'slotcalls.close',
  input: z.object({}),
  run: (ctx, call) => setOpen(ctx, call, false, null),
});

/** `/slotcalls pick`, and the dashboard's "Pick next" / "Pick at random": announced in Kick chat. */
export const pickSlotCallAction = defineGuildAction({
  name: 'slotcalls.pick',
  input: z.object({ random: z.preprocess((v) => v === 'true' || v === 'on' || v === true, z.boolean()) }),
  async run(ctx, call, input) {
    const picked = await pickSlotCall(ctx, { guildId: call.guildId, random: input.random });
    if (!picked) throw new UserFacingError('The queue is empty.');
    await auditAction(ctx, call, 'slotcalls.pick', { slot: picked.slotName, callers: picked.callers, random: input.random });
    const data: SlotPickData = { slotName: picked.slotName, callers: picked.callerViewers.map((v) => ({ kickUserId: v.kickUserId, username: v.username })), random: input.random };
    return { message: `🎰 Next slot: **${picked.slotName}** (called by ${picked.callers.join(', ')})`, data };
  },
});

/** `/slotcalls remove`: one viewer's open call or every call of a slot, refunding what they paid. */
export const removeSlotCallsAction = defineGuildAction({
  name: 'slotcalls.remove',
  input: z.object({
    viewer: z.string().max(64, 'A Kick username is at most 64 characters.').nullish().transform((v) => (v?.trim() ? v.trim() : null)),
    slot: z.string().max(100, 'A slot name is at most 100 characters.').nullish().transform((v) => (v?.trim() ? v : null)),
  }),
  async run(ctx, call, input) {
    const out = await removeSlotCalls(ctx, { guildId: call.guildId, actorDiscordId: call.actor.id, username: input.viewer, slot: input.slot });
    if (out.removed.length === 0) throw new UserFacingError('No open call matches. See `/slotcalls list`.');
    await auditAction(ctx, call, 'slotcalls.remove', { viewer: input.viewer, slot: input.slot, removed: out.removed.length, refundedPoints: out.refundedPoints });
    return { message: removedMessage(out.removed.length, out.refundedPoints), data: { removed: out.removed.length, refundedPoints: out.refundedPoints } };
  },
});

/** `/slotcalls clear`: every open call removed, refunding what they paid. */
export const clearSlotCallsAction = defineGuildAction({
  name: 'slotcalls.clear',
  input: z.object({}),
  async run(ctx, call) {
    const out = await removeSlotCalls(ctx, { guildId: call.guildId, actorDiscordId: call.actor.id, all: true });
    if (out.removed.length > 0) await auditAction(ctx, call, 'slotcalls.clear', { removed: out.removed.length, refundedPoints: out.refundedPoints });
    return { message: removedMessage(out.removed.length, out.refundedPoints), data: { removed: out.removed.length, refundedPoints: out.refundedPoints } };
  },
});

function removedMessage(count: number, refundedPoints: number): string {
  return `Removed ${count} ${count === 1 ? 'call' : 'calls'}${refundedPoints > 0 ? ` and refunded ${formatPointsAmount(refundedPoints)}` : ''}.`;
}

/** Every slot-call action. */
export const slotCallActions = [openSlotCallsAction, closeSlotCallsAction, pickSlotCallAction, removeSlotCallsAction, clearSlotCallsAction] as const;
