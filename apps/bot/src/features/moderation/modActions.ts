/**
 * Moderation changes shared by `/mod`, the mod log's buttons in Discord and the dashboard's Moderation page: ban, time
 * out or unban a Kick viewer (by name, or the viewer of a mod-log entry), undo an entry (lift the viewer's standing
 * ban or timeout), and mark a filter's entry a false positive. Kick's refusals are passed on in words; every change
 * that was carried out is recorded in the audit log.
 */
import { TIMEOUT_MINUTES } from '@kickcord/core';
import type { ModerationAction } from '@kickcord/db';
import { Routes, type APIMessage } from 'discord.js';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { auditAction, defineGuildAction, type GuildActionCall } from '../../guildActions/GuildAction.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { markFalsePositive } from './falsePositives.ts';
import { findKickUser } from './kickUsers.ts';
import { modLogMessage, postToModLog, undoOfferedIn } from './modLog.ts';
import { describeAction, takeModerationAction, type ModerationRequest } from './moderationActions.ts';

const entryId = z.string().regex(/^[0-9a-f-]{36}$/, 'must be the id of a mod-log entry');
const minutesMessage = `A timeout lasts ${TIMEOUT_MINUTES.min} to ${TIMEOUT_MINUTES.max} minutes (7 days).`;

/** The connected channel of the guild (moderation acts only there). */
export async function ownedChannel(ctx: Pick<BotContext, 'prisma'>, guildId: string): Promise<number> {
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { broadcasterUserId: true } });
  if (!connection) throw new UserFacingError('This server has no connected Kick channel: run `/kick connect` first.');
  return connection.broadcasterUserId;
}

/**
 * How an action was asked for, as its record keeps it: `/mod` (command), a mod-log button in Discord (button), or
 * the dashboard; the idempotency key is the interaction id or the dashboard form's one-time id, so a repeated
 * request acts once.
 */
export function moderationOrigin(call: Pick<GuildActionCall, 'source' | 'requestId'>, fromModLog: boolean): { source: ModerationRequest['source']; idempotencyKey: string } {
  if (call.source === 'dashboard') return { source: 'dashboard', idempotencyKey: `dash:${call.requestId}` };
  return fromModLog ? { source: 'button', idempotencyKey: `btn:${call.requestId}` } : { source: 'command', idempotencyKey: `cmd:${call.requestId}` };
}

/** A mod-log entry of this guild (an id from another guild is not found). */
async function findEntry(ctx: Pick<BotContext, 'prisma'>, guildId: string, id: string): Promise<ModerationAction> {
  const entry = await ctx.prisma.moderationAction.findFirst({ where: { id, guildId } });
  if (!entry) throw new UserFacingError('This action is no longer on record.');
  return entry;
}

/** The viewer's latest ban, timeout or unban that kickcord carried out in the guild (what Undo would lift). */
export async function standingRestriction(ctx: Pick<BotContext, 'prisma'>, guildId: string, kickUserId: number): Promise<ModerationAction | null> {
  return ctx.prisma.moderationAction.findFirst({ where: { guildId, kickUserId, status: 'done', kind: { in: ['timeout', 'ban', 'unban'] } }, orderBy: { createdAt: 'desc' } });
}

/**
 * Adds a line under a mod-log entry's Discord message (for a change made on the dashboard, which has no button
 * interaction to edit it with). `undoable` overrides whether Undo stays offered. A failure is logged; the change stands.
 */
async function noteOnModLog(ctx: BotContext, entry: ModerationAction, line: string, undoable?: boolean): Promise<void> {
  if (!entry.modLogChannelId || !entry.modLogMessageId) return;
  const route = Routes.channelMessage(entry.modLogChannelId, entry.modLogMessageId);
  try {
    const message = (await ctx.discordRest.get(route)) as APIMessage;
    const previous = message.embeds[0]?.fields?.find((f) => f.name === 'Moderators')?.value.split('\n') ?? [];
    const offered = undoable ?? undoOfferedIn(message.components ?? []);
    await ctx.discordRest.patch(route, { body: { ...modLogMessage(entry, [...previous, line].slice(-10), offered), allowed_mentions: { parse: [] } } });
  } catch (error) {
    ctx.logger.warn({ err: error, guildId: entry.guildId, actionId: entry.id }, 'could not update a mod-log message after a dashboard change');
  }
}

/** What an action on a viewer came to, as `data` for the caller (the mod-log button edits its message with it). */
interface ModerationOutcomeData {
  [key: string]: string | boolean;
  actionId: string;
  created: boolean;
  status: string;
  /** "banned", "timed out for 10 minutes", … */
  done: string;
}

/**
 * Records and reports one action taken: the mod log gets a new entry (an action by name) or a line under the entry
 * it came from (from the dashboard), the audit log an entry when Kick carried it out. A Kick refusal is thrown.
 */
async function settle(ctx: BotContext, call: GuildActionCall, from: ModerationAction | null, result: { action: ModerationAction; created: boolean }, what: string): Promise<{ message: string; data: ModerationOutcomeData }> {
  const { action, created } = result;
  const data: ModerationOutcomeData = { actionId: action.id, created, status: action.status, done: describeAction(action) };
  if (!created) return { message: `This was already done: **${action.kickUsername}** ${describeAction(action)}.`, data };
  if (!from) {
    await postToModLog(ctx, action);
  } else if (call.source === 'dashboard') {
    const line = `<@${call.actor.id}> (dashboard): ${action.status === 'done' ? describeAction(action) : `${action.kind} failed — ${action.error ?? 'Kick refused'}`}`;
    await noteOnModLog(ctx, from, line, action.status === 'done' ? action.kind !== 'unban' : undefined);
  }
  if (action.status === 'failed') throw new UserFacingError(`Could not ${action.kind} **${action.kickUsername}**: ${action.error ?? 'Kick refused'}.`);
  await auditAction(ctx, call, what, {
    viewer: action.kickUsername,
    kickUserId: action.kickUserId,
    ...(action.durationMinutes !== null ? { minutes: action.durationMinutes } : {}),
    ...(action.reason ? { reason: action.reason } : {}),
    ...(from ? { entry: from.id } : {}),
  });
  return { message: `✅ **${action.kickUsername}** ${describeAction(action)}.`, data };
}

/** `/mod ban|timeout|unban`, the mod log's Timeout and Ban buttons, and the dashboard's form: act on a Kick viewer. */
export const moderateViewer = defineGuildAction({
  name: 'mod.act',
  input: z
    .object({
      kind: z.enum(['ban', 'timeout', 'unban'], { error: () => 'Choose ban, timeout or unban.' }),
      /** A Kick username (as `/mod` takes it)… */
      user: z.string().trim().min(1, "Give the viewer's Kick username.").max(25, 'A Kick username has at most 25 characters.').optional(),
      /** …or the mod-log entry whose viewer is meant. */
      actionId: entryId.optional(),
      minutes: z.number({ error: minutesMessage }).int(minutesMessage).min(TIMEOUT_MINUTES.min, minutesMessage).max(TIMEOUT_MINUTES.max, minutesMessage).optional(),
      reason: z.string().trim().max(100, 'A reason is at most 100 characters.').optional(),
    })
    .refine((v) => (v.user === undefined) !== (v.actionId === undefined), { message: 'Give either a Kick username or a mod-log entry.' }),
  async run(ctx, call, input) {
    let from: ModerationAction | null = null;
    let target: { broadcasterUserId: number; kickUserId: number; kickUsername: string };
    if (input.actionId) {
      from = await findEntry(ctx, call.guildId, input.actionId);
      target = { broadcasterUserId: from.broadcasterUserId, kickUserId: from.kickUserId, kickUsername: from.kickUsername };
    } else {
      const broadcasterUserId = await ownedChannel(ctx, call.guildId);
      const name = input.user ?? '';
      const user = await findKickUser(ctx, name);
      if (!user) throw new UserFacingError(`No Kick user named **${name.slice(0, 25)}** was found. Check the spelling (their channel name).`);
      if (user.userId === broadcasterUserId) throw new UserFacingError('That is the streamer: the broadcaster cannot be moderated.');
      target = { broadcasterUserId, kickUserId: user.userId, kickUsername: user.username };
    }
    const origin = moderationOrigin(call, from !== null);
    const reason = input.reason || (from ? `mod log: ${input.kind}` : undefined);
    const result = await takeModerationAction(ctx, {
      guildId: call.guildId,
      ...target,
      kind: input.kind,
      ...(input.kind === 'timeout' ? { durationMinutes: input.minutes ?? 10 } : {}),
      ...(reason ? { reason } : {}),
      source: origin.source,
      discordUserId: call.actor.id,
      idempotencyKey: origin.idempotencyKey,
    });
    return settle(ctx, call, from, result, `mod.${input.kind}`);
  },
});

/** The mod log's Undo (Discord button or dashboard): lifts the standing ban or timeout of the entry's viewer. */
export const undoModeration = defineGuildAction({
  name: 'mod.undo',
  input: z.object({ actionId: entryId }),
  async run(ctx, call, input) {
    const from = await findEntry(ctx, call.guildId, input.actionId);
    const standing = await standingRestriction(ctx, call.guildId, from.kickUserId);
    if (!standing || standing.kind === 'unban') throw new UserFacingError(`**${from.kickUsername}** is not banned or timed out by kickcord, so there is nothing to undo.`);
    const origin = moderationOrigin(call, true);
    const result = await takeModerationAction(ctx, {
      guildId: call.guildId,
      broadcasterUserId: from.broadcasterUserId,
      kickUserId: from.kickUserId,
      kickUsername: from.kickUsername,
      kind: 'unban',
      reason: 'mod log: undo',
      source: origin.source,
      discordUserId: call.actor.id,
      idempotencyKey: origin.idempotencyKey,
    });
    return settle(ctx, call, from, result, 'mod.undo');
  },
});

/** The mod log's Mark false positive: the filter's action no longer counts toward the viewer's next step, once. */
export const markFalsePositiveAction = defineGuildAction({
  name: 'mod.false_positive',
  input: z.object({ actionId: entryId }),
  async run(ctx, call, input) {
    const entry = await findEntry(ctx, call.guildId, input.actionId);
    if (entry.source !== 'filter' || !entry.filter) throw new UserFacingError('Only an action a chat filter took can be marked a false positive.');
    const { action, changed } = await markFalsePositive(ctx, entry, call.actor.id);
    if (!changed) return { message: 'This was already marked a false positive.', data: { changed: false as boolean } };
    await auditAction(ctx, call, 'mod.false_positive', { viewer: action.kickUsername, filter: entry.filter, entry: entry.id });
    if (call.source === 'dashboard') await noteOnModLog(ctx, action, `<@${call.actor.id}> (dashboard) marked this a false positive`);
    return { message: `Marked a false positive: the **${entry.filter}** filter's action on **${action.kickUsername}** no longer counts toward the next step of its ladder.`, data: { changed: true as boolean } };
  },
});

/** Every moderation action. */
export const moderationGuildActions = [moderateViewer, undoModeration, markFalsePositiveAction] as const;
