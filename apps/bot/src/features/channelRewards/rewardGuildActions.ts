/**
 * The channel rewards' actions, shared by `/rewards`, the redemption buttons and the dashboard's Channel rewards
 * page: list (read from Kick), create, edit, pause and delete a reward on Kick as the streamer, what kickcord does when
 * one is redeemed, where redemptions wait, the reward queue, and Accept / Reject of a waiting redemption. Kick's
 * refusals are passed on in words; every change is recorded in the audit log.
 */
import { auditChanges, type AuditDetailValue, type ChannelRewardAction, type ChannelRewardRedemption } from '@kickcord/db';
import type { KickReward, KickRewardChanges } from '@kickcord/kick';
import { z } from 'zod';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { requireGuildRole, requireGuildTextChannel } from '../../guildActions/guildDirectory.ts';
import { forgetGuildSettings } from '../../guildSettings.ts';
import { diagnoseRoles } from '../../discord/memberRoles.ts';
import { missingScopesMessage } from '../../requireScopes.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { callKick, REWARDS_READ_SCOPE, REWARDS_WRITE_SCOPE, rewardsClient } from './kickRewards.ts';
import { describeReward, parseColour, pickReward } from './manageRewards.ts';
import { decideRedemption, syncRedemptionMessage } from './redemptions.ts';
import { DEFAULT_POST_MESSAGE, describeActions, NO_ACTIONS, POST_VARIABLES, unknownPostVariables } from './rewardActions.ts';

/** Most points one redemption may pay. */
export const MAX_REWARD_POINTS = 1_000_000;
/** Kick's limits on a reward ⚠ (as Kick's clients document them). */
export const REWARD_TITLE_MAX = 50;
export const REWARD_DESCRIPTION_MAX = 200;
/** What the dashboard calls the changes that need the write scope (in the missing-scope sentence). */
export const REWARDS_WRITE_WHAT = 'Creating, changing, pausing and deleting rewards, and accepting or rejecting redemptions,';

const snowflake = z.string().regex(/^\d{15,21}$/, 'must be a Discord id');
const rewardRef = z.string().trim().min(1, 'Choose a reward.').max(100, 'A reward is named by its id or title (at most 100 characters).');
const costMessage = 'The cost is a whole number of channel points, at least 1.';
const pointsMessage = `Points are a whole number from 0 to ${MAX_REWARD_POINTS.toLocaleString('en-US')}.`;

/** The reward fields a moderator may give (absent ones are left as they are). */
const rewardFields = {
  title: z.string().trim().min(1, 'Give the reward a title.').max(REWARD_TITLE_MAX, `A title has at most ${REWARD_TITLE_MAX} characters.`),
  cost: z.number({ error: costMessage }).int(costMessage).min(1, costMessage),
  description: z.string().trim().max(REWARD_DESCRIPTION_MAX, `A description has at most ${REWARD_DESCRIPTION_MAX} characters.`),
  colour: z.string().max(20, 'A colour is six hex digits, e.g. #00e701.'),
  userInput: z.boolean(),
  skipQueue: z.boolean(),
  enabled: z.boolean(),
};

/** Kick's field names for the fields given. */
function rewardChanges(input: { title?: string | undefined; cost?: number | undefined; description?: string | undefined; colour?: string | undefined; userInput?: boolean | undefined; skipQueue?: boolean | undefined; enabled?: boolean | undefined }): KickRewardChanges {
  const changes: KickRewardChanges = {};
  if (input.title !== undefined) changes.title = input.title;
  if (input.cost !== undefined) changes.cost = input.cost;
  if (input.description !== undefined) changes.description = input.description;
  if (input.colour !== undefined && input.colour.trim() !== '') changes.backgroundColor = parseColour(input.colour);
  if (input.userInput !== undefined) changes.isUserInputRequired = input.userInput;
  if (input.skipQueue !== undefined) changes.shouldRedemptionsSkipRequestQueue = input.skipQueue;
  if (input.enabled !== undefined) changes.isEnabled = input.enabled;
  return changes;
}

/** A reward as the dashboard shows it (everything Kick says about it). */
function rewardData(r: KickReward): { [key: string]: string | number | boolean | null } {
  return {
    id: r.id,
    title: r.title,
    cost: r.cost,
    description: r.description,
    backgroundColor: r.backgroundColor,
    isEnabled: r.isEnabled,
    isPaused: r.isPaused,
    isUserInputRequired: r.isUserInputRequired,
    skipQueue: r.shouldRedemptionsSkipRequestQueue,
  };
}

/** `/rewards list`, and the dashboard's rewards table: every reward on Kick (read now, as the streamer) with its kickcord actions. */
export const listRewards = defineGuildAction({
  name: 'rewards.list',
  input: z.object({}),
  async run(ctx, call) {
    const { client } = await rewardsClient(ctx, call.guildId, REWARDS_READ_SCOPE, '`/rewards list`');
    const rewards = await callKick('listing the rewards', () => client.listRewards());
    const [actions, connection] = await Promise.all([
      ctx.prisma.channelRewardAction.findMany({ where: { guildId: call.guildId } }),
      ctx.prisma.kickConnection.findUnique({ where: { guildId: call.guildId }, select: { scopes: true } }),
    ]);
    const byReward = new Map(actions.map((a) => [a.rewardId, a]));
    const lines = rewards.map((r) => {
      const action = byReward.get(r.id);
      return `${describeReward(r)}\n  ↳ ${action ? describeActions(action) : NO_ACTIONS}`;
    });
    const canWrite = connection?.scopes.includes(REWARDS_WRITE_SCOPE) ?? false;
    return {
      message: lines.length > 0 ? lines.join('\n') : 'The channel has no rewards yet: `/rewards create`.',
      data: { rewards: rewards.map(rewardData), writeProblem: canWrite ? null : missingScopesMessage([REWARDS_WRITE_SCOPE], REWARDS_WRITE_WHAT) },
    };
  },
});

/** `/rewards create`: a new reward on Kick (kickcord's app owns it, so kickcord may accept or reject its redemptions). */
export const createReward = defineGuildAction({
  name: 'rewards.create',
  input: z.object({
    title: rewardFields.title,
    cost: rewardFields.cost,
    description: rewardFields.description.optional(),
    colour: rewardFields.colour.optional(),
    userInput: rewardFields.userInput.optional(),
    skipQueue: rewardFields.skipQueue.optional(),
    enabled: rewardFields.enabled.optional(),
  }),
  async run(ctx, call, input) {
    const changes = rewardChanges(input);
    const { client } = await rewardsClient(ctx, call.guildId, REWARDS_WRITE_SCOPE, '`/rewards create`');
    const reward = await callKick('the new reward', () => client.createReward({ ...changes, title: input.title, cost: input.cost }));
    await ctx.prisma.channelRewardAction.upsert({
      where: { guildId_rewardId: { guildId: call.guildId, rewardId: reward.id } },
      create: { guildId: call.guildId, rewardId: reward.id, title: reward.title, updatedByDiscordId: call.actor.id },
      update: { title: reward.title },
    });
    await auditAction(ctx, call, 'rewards.create', { reward: reward.title, rewardId: reward.id, cost: reward.cost });
    return { message: `Created on Kick: ${describeReward(reward)}\nChoose what kickcord does when it is redeemed with \`/rewards actions\`.`, data: { rewardId: reward.id } };
  },
});

/** `/rewards edit`, and a reward's Save on the dashboard: the fields given change on Kick. */
export const editReward = defineGuildAction({
  name: 'rewards.edit',
  input: z.object({
    reward: rewardRef,
    title: rewardFields.title.optional(),
    cost: rewardFields.cost.optional(),
    description: rewardFields.description.optional(),
    colour: rewardFields.colour.optional(),
    userInput: rewardFields.userInput.optional(),
    skipQueue: rewardFields.skipQueue.optional(),
    enabled: rewardFields.enabled.optional(),
  }),
  async run(ctx, call, input) {
    const changes = rewardChanges(input);
    if (Object.keys(changes).length === 0) throw new UserFacingError('Give at least one thing to change (title, cost, description, colour, user-input, skip-queue or enabled).');
    const { client } = await rewardsClient(ctx, call.guildId, REWARDS_WRITE_SCOPE, '`/rewards edit`');
    const target = pickReward(await callKick('listing the rewards', () => client.listRewards()), input.reward);
    const reward = await callKick(`the change to "${target.title}"`, () => client.updateReward(target.id, changes));
    await ctx.prisma.channelRewardAction.updateMany({ where: { guildId: call.guildId, rewardId: reward.id }, data: { title: reward.title } });
    const changed = auditChanges(rewardData(target), rewardData(reward));
    if (Object.keys(changed).length > 0) await auditAction(ctx, call, 'rewards.edit', { reward: reward.title, rewardId: reward.id, ...changed });
    return { message: `Changed on Kick: ${describeReward(reward)}` };
  },
});

/** `/rewards delete`: the reward goes from Kick, with kickcord's actions for it. */
export const deleteReward = defineGuildAction({
  name: 'rewards.delete',
  input: z.object({ reward: rewardRef }),
  async run(ctx, call, input) {
    const { client } = await rewardsClient(ctx, call.guildId, REWARDS_WRITE_SCOPE, '`/rewards delete`');
    const target = pickReward(await callKick('listing the rewards', () => client.listRewards()), input.reward);
    await callKick(`deleting "${target.title}"`, () => client.deleteReward(target.id));
    await ctx.prisma.channelRewardAction.deleteMany({ where: { guildId: call.guildId, rewardId: target.id } });
    await auditAction(ctx, call, 'rewards.delete', { reward: target.title, rewardId: target.id });
    return { message: `Deleted **${target.title}** on Kick, with its kickcord actions. Redemptions already made keep their messages.` };
  },
});

/** `/rewards pause`: pause a reward on Kick (viewers see it but cannot redeem it), or resume it. */
export const pauseReward = defineGuildAction({
  name: 'rewards.pause',
  input: z.object({ reward: rewardRef, paused: z.boolean().default(true) }),
  async run(ctx, call, input) {
    const { client } = await rewardsClient(ctx, call.guildId, REWARDS_WRITE_SCOPE, '`/rewards pause`');
    const target = pickReward(await callKick('listing the rewards', () => client.listRewards()), input.reward);
    const reward = await callKick(`${input.paused ? 'pausing' : 'resuming'} "${target.title}"`, () => client.updateReward(target.id, { isPaused: input.paused }));
    if (target.isPaused !== reward.isPaused) await auditAction(ctx, call, input.paused ? 'rewards.pause' : 'rewards.resume', { reward: reward.title, rewardId: reward.id });
    return { message: `${input.paused ? '⏸️ Paused' : '▶️ Resumed'} on Kick: ${describeReward(reward)}` };
  },
});

/** The kickcord actions of a reward, as the audit log compares them. */
function actionValues(a: ChannelRewardAction | null): Record<string, AuditDetailValue> {
  return {
    points: a?.points ?? 0,
    roleId: a?.roleId ?? null,
    postChannelId: a?.postChannelId ?? null,
    postMessage: a?.postMessage ?? null,
    addToQueue: a?.addToQueue ?? false,
    autoAccept: a?.autoAccept ?? false,
    autoReject: a?.autoReject ?? false,
  };
}

/**
 * `/rewards actions`, and a reward's kickcord actions on the dashboard: what kickcord does when the reward is
 * redeemed. Absent fields stay; `roleId` / `postChannelId` null remove that action; no fields at all only shows them.
 */
export const setRewardActions = defineGuildAction({
  name: 'rewards.actions',
  input: z.object({
    reward: rewardRef,
    clear: z.boolean().optional(),
    points: z.number({ error: pointsMessage }).int(pointsMessage).min(0, pointsMessage).max(MAX_REWARD_POINTS, pointsMessage).optional(),
    roleId: snowflake.nullable().optional(),
    postChannelId: snowflake.nullable().optional(),
    /** The post; "-", empty or null = the default line. */
    postMessage: z.string().max(500, 'A post message has at most 500 characters.').nullable().optional(),
    queue: z.boolean().optional(),
    autoAccept: z.boolean().optional(),
    autoReject: z.boolean().optional(),
  }),
  async run(ctx, call, input) {
    const guildId = call.guildId;
    const { client } = await rewardsClient(ctx, guildId, REWARDS_READ_SCOPE, '`/rewards actions`');
    const reward = pickReward(await callKick('listing the rewards', () => client.listRewards()), input.reward);

    const data: Partial<Omit<ChannelRewardAction, 'guildId' | 'rewardId' | 'updatedAt'>> = {};
    if (input.clear) Object.assign(data, { points: 0, roleId: null, postChannelId: null, postMessage: null, addToQueue: false, autoAccept: false, autoReject: false });
    if (input.points !== undefined) data.points = input.points;
    if (input.roleId !== undefined) {
      if (input.roleId !== null) {
        await requireGuildRole(ctx, guildId, input.roleId);
        const problem = (await diagnoseRoles(ctx.discordRest, guildId, [input.roleId])).get(input.roleId);
        if (problem) throw new UserFacingError(problem.text);
      }
      data.roleId = input.roleId;
    }
    if (input.postChannelId !== undefined) data.postChannelId = input.postChannelId === null ? null : (await requireGuildTextChannel(ctx, guildId, input.postChannelId)).id;
    if (input.postMessage !== undefined) {
      const message = (input.postMessage ?? '').trim();
      const unknown = unknownPostVariables(message);
      if (unknown.length > 0) throw new UserFacingError(`The post message uses ${unknown.map((n) => `{${n}}`).join(', ')}; it may use ${POST_VARIABLES.map((n) => `{${n}}`).join(' ')}.`);
      data.postMessage = message === '-' || message === '' ? null : message;
    }
    if (input.queue !== undefined) data.addToQueue = input.queue;
    if (input.autoAccept !== undefined) data.autoAccept = input.autoAccept;
    if (input.autoReject !== undefined) data.autoReject = input.autoReject;

    const where = { guildId_rewardId: { guildId, rewardId: reward.id } };
    const before = await ctx.prisma.channelRewardAction.findUnique({ where });
    const saved =
      Object.keys(data).length === 0
        ? before
        : await ctx.prisma.channelRewardAction.upsert({
            where,
            create: { guildId, rewardId: reward.id, title: reward.title, updatedByDiscordId: call.actor.id, ...data },
            update: { title: reward.title, updatedByDiscordId: call.actor.id, ...data },
          });
    const changed = auditChanges(actionValues(before), actionValues(saved));
    if (Object.keys(changed).length > 0) await auditAction(ctx, call, 'rewards.actions', { reward: reward.title, rewardId: reward.id, ...changed });
    const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId }, select: { rewardsChannelId: true } });
    const notes = [
      saved?.postChannelId && !saved.postMessage ? `Posts read: \`${DEFAULT_POST_MESSAGE}\` (change it with post-message).` : null,
      settings?.rewardsChannelId ? null : 'Redemptions are not shown in Discord yet: choose a channel with `/rewards channel`.',
      saved?.autoAccept || saved?.autoReject ? 'Kick lets an app accept or reject only the rewards it created: make rewards with `/rewards create` for auto decisions.' : null,
    ].filter(Boolean);
    return { message: [`**${reward.title}**: ${saved ? describeActions(saved) : 'no actions yet — pass points, role, post-channel, queue, auto-accept or auto-reject'}`, ...notes].join('\n') };
  },
});

/** `/rewards channel`: where redemptions wait for a moderator, with Accept and Reject. */
export const setRewardsChannel = defineGuildAction({
  name: 'rewards.channel',
  input: z.object({ channelId: snowflake }),
  async run(ctx, call, input) {
    const channel = await requireGuildTextChannel(ctx, call.guildId, input.channelId);
    const before = await ctx.prisma.guildSettings.findUnique({ where: { guildId: call.guildId }, select: { rewardsChannelId: true } });
    await ctx.prisma.guildSettings.upsert({ where: { guildId: call.guildId }, create: { guildId: call.guildId, rewardsChannelId: channel.id }, update: { rewardsChannelId: channel.id } });
    await forgetGuildSettings(ctx, call.guildId);
    if (before?.rewardsChannelId !== channel.id) await auditAction(ctx, call, 'rewards.channel', { channel: { from: before?.rewardsChannelId ?? null, to: channel.id } });
    return { message: `Kick reward redemptions will appear in <#${channel.id}> with Accept and Reject buttons.` };
  },
});

/** `/rewards queue done:<#>` (by position) and the dashboard's Done (by redemption): an entry of the reward queue is done. */
export const finishQueueEntry = defineGuildAction({
  name: 'rewards.queue_done',
  input: z
    .object({ position: z.number().int().min(1).optional(), redemptionId: z.string().min(1).max(100).optional() })
    .refine((v) => (v.position === undefined) !== (v.redemptionId === undefined), { message: 'Give the queue position or the redemption.' }),
  async run(ctx, call, input) {
    const guildId = call.guildId;
    const waiting = { guildId, queuedAt: { not: null }, queueDoneAt: null } as const;
    const order = [{ queuedAt: 'asc' as const }, { redeemedAt: 'asc' as const }];
    let position: number;
    let entry: ChannelRewardRedemption | null;
    if (input.position !== undefined) {
      position = input.position;
      entry = await ctx.prisma.channelRewardRedemption.findFirst({ where: waiting, orderBy: order, skip: position - 1 });
      if (!entry) throw new UserFacingError(`The reward queue has no entry #${position}. See \`/rewards queue\`.`);
    } else {
      const queue = await ctx.prisma.channelRewardRedemption.findMany({ where: waiting, orderBy: order });
      position = queue.findIndex((q) => q.redemptionId === input.redemptionId) + 1;
      entry = queue[position - 1] ?? null;
      if (!entry) throw new UserFacingError('That redemption is not waiting in the reward queue (it may be done already).');
    }
    const done = await ctx.prisma.channelRewardRedemption.updateMany({ where: { guildId, redemptionId: entry.redemptionId, queueDoneAt: null }, data: { queueDoneAt: ctx.now() } });
    if (done.count) await auditAction(ctx, call, 'rewards.queue_done', { reward: entry.rewardTitle, viewer: entry.username, redemptionId: entry.redemptionId });
    return { message: `Done: #${position} **${entry.rewardTitle}** for **${entry.username}**.` };
  },
});

/**
 * Accept or Reject of a waiting redemption (the button in Discord, or the dashboard): decided at Kick as the
 * streamer, recorded with who decided. Kick's refusal, or a redemption decided already, is a refusal in words.
 */
export const decideRedemptionAction = defineGuildAction({
  name: 'rewards.decide',
  input: z.object({ redemptionId: z.string().trim().min(1, 'Choose a redemption.').max(100, 'That is not a redemption id.'), decision: z.enum(['accept', 'reject'], { error: () => 'Choose accept or reject.' }) }),
  async run(ctx, call, input) {
    const result = await decideRedemption(ctx, { guildId: call.guildId, redemptionId: input.redemptionId, status: input.decision === 'accept' ? 'accepted' : 'rejected', actorDiscordId: call.actor.id, via: call.source });
    const r = result.redemption;
    // The button edits its own message; a decision from the dashboard updates the message in Discord here.
    if (call.source === 'dashboard' && result.outcome !== 'already') await syncRedemptionMessage(ctx, r);
    if (result.outcome === 'already') {
      const who = r.decidedByDiscordId ? ` by <@${r.decidedByDiscordId}>` : r.decidedVia === 'auto' ? ' automatically' : ' on Kick';
      throw new UserFacingError(`This redemption was already ${r.status}${who}.`);
    }
    if (result.outcome === 'refused') {
      throw new UserFacingError(`Kick did not ${input.decision} it: ${result.reason}. (Kick lets an app decide only rewards it created — use \`/rewards create\`; otherwise decide on kick.com.)`);
    }
    await auditAction(ctx, call, `rewards.${input.decision}`, { reward: r.rewardTitle, viewer: r.username, redemptionId: r.redemptionId });
    return { message: `${r.status === 'accepted' ? '✅ Accepted' : '❌ Rejected'} on Kick: **${r.rewardTitle}** for **${r.username}**.` };
  },
});

/** Every channel reward action. */
export const channelRewardActions = [listRewards, createReward, editReward, deleteReward, pauseReward, setRewardActions, setRewardsChannel, finishQueueEntry, decideRedemptionAction] as const;
