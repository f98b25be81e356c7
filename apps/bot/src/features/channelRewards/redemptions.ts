/**
 * Kick channel reward redemptions in a guild. Kick reports each redemption as `channel.reward.redemption.updated`:
 * `pending` when a viewer redeems (or `accepted` at once for a reward that skips the request queue), and again as
 * `accepted` or `rejected` after a decision — in any order, late, or twice. Each redemption is one row; its actions
 * run once, ever (never for a redemption first seen rejected); its message in the rewards channel follows its
 * status. Everything about one redemption happens under a PostgreSQL advisory lock, so two workers, a redelivery
 * and a moderator's button never interleave.
 */
import type { ChannelRewardRedemption, RewardRedemptionStatus } from '@kickcord/db';
import type { KickEventOf } from '@kickcord/kick';
import { Routes, type APIMessage } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { requireConnectionScopes } from '../../requireScopes.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { callKick, REWARDS_WRITE_SCOPE } from './kickRewards.ts';
import { redemptionMessage } from './redemptionMessage.ts';
import { discordNonce, runRewardActions } from './rewardActions.ts';

type RedemptionPayload = KickEventOf<'channel.reward.redemption.updated'>['payload'];

/** Runs `work` while holding the redemption's advisory lock (a transaction that only holds the lock). */
async function withRedemptionLock<T>(ctx: BotContext, guildId: string, redemptionId: string, work: () => Promise<T>): Promise<T> {
  return ctx.prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`channel-reward:${guildId}:${redemptionId}`}, 0))`;
      return work();
    },
    { maxWait: 30_000, timeout: 120_000 },
  );
}

function findRedemption(ctx: BotContext, guildId: string, redemptionId: string): Promise<ChannelRewardRedemption | null> {
  return ctx.prisma.channelRewardRedemption.findUnique({ where: { guildId_redemptionId: { guildId, redemptionId } } });
}

/**
 * Posts the redemption's message in the guild's rewards channel the first time (Discord nonce: a retry gets the
 * same message back), and edits it afterwards. Without a rewards channel, or when Discord refuses, the redemption
 * is kept all the same (the failure is logged).
 */
export async function syncRedemptionMessage(ctx: BotContext, r: ChannelRewardRedemption): Promise<void> {
  const body = { ...redemptionMessage(r), allowed_mentions: { parse: [] } };
  try {
    if (r.messageId && r.messageChannelId) {
      await ctx.discordRest.patch(Routes.channelMessage(r.messageChannelId, r.messageId), { body });
      return;
    }
    const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId: r.guildId }, select: { rewardsChannelId: true } });
    const channelId = settings?.rewardsChannelId;
    if (!channelId) return;
    const message = (await ctx.discordRest.post(Routes.channelMessages(channelId), { body: { ...body, nonce: discordNonce(`reward-redemption:${r.guildId}:${r.redemptionId}`), enforce_nonce: true } })) as APIMessage;
    await ctx.prisma.channelRewardRedemption.updateMany({ where: { guildId: r.guildId, redemptionId: r.redemptionId, messageId: null }, data: { messageChannelId: channelId, messageId: message.id } });
  } catch (error) {
    ctx.logger.warn({ err: error, guildId: r.guildId, redemptionId: r.redemptionId }, 'could not post or edit a channel reward redemption message');
  }
}

/** What asking Kick to decide a redemption came to. */
export type DecisionOutcome =
  | { outcome: 'decided'; redemption: ChannelRewardRedemption }
  | { outcome: 'already'; redemption: ChannelRewardRedemption }
  | { outcome: 'refused'; redemption: ChannelRewardRedemption; reason: string };

/**
 * Accepts or rejects at Kick; the caller holds the redemption's lock. `actorDiscordId` null = automatic; `via` says
 * where a person decided (a Discord button or the dashboard).
 */
async function decideLocked(ctx: BotContext, r: ChannelRewardRedemption, status: 'accepted' | 'rejected', actorDiscordId: string | null, via: 'discord' | 'dashboard' = 'discord'): Promise<DecisionOutcome> {
  if (r.status !== 'pending') return { outcome: 'already', redemption: r };
  const where = { guildId_redemptionId: { guildId: r.guildId, redemptionId: r.redemptionId } };
  let failure: string | null;
  try {
    await requireConnectionScopes(ctx, r.guildId, [REWARDS_WRITE_SCOPE], status === 'accepted' ? 'Accepting a redemption' : 'Rejecting a redemption');
    const client = ctx.connections.apiClient(r.guildId);
    const failed = await callKick(status === 'accepted' ? 'the accept' : 'the reject', () => (status === 'accepted' ? client.acceptRedemptions([r.redemptionId]) : client.rejectRedemptions([r.redemptionId])));
    failure = failed[0]?.reason ?? null;
  } catch (error) {
    // A moderator sees why at once; an automatic decision records it on the message and leaves the buttons.
    if (actorDiscordId !== null) throw error;
    ctx.logger.warn({ err: error, guildId: r.guildId, redemptionId: r.redemptionId }, 'automatic channel reward decision failed');
    failure = error instanceof UserFacingError ? error.message : 'Kick did not answer; decide with the buttons';
  }
  if (failure !== null) {
    const redemption = await ctx.prisma.channelRewardRedemption.update({ where, data: { decisionError: failure.slice(0, 300) } });
    return { outcome: 'refused', redemption, reason: failure };
  }
  const redemption = await ctx.prisma.channelRewardRedemption.update({
    where,
    data: { status, decidedByDiscordId: actorDiscordId, decidedVia: actorDiscordId ? via : 'auto', decidedAt: ctx.now(), decisionError: null, ...(status === 'rejected' ? { queueDoneAt: ctx.now() } : {}) },
  });
  return { outcome: 'decided', redemption };
}

/**
 * A moderator's Accept or Reject (a Discord button, or the dashboard when `via` says so): asks Kick (with the
 * streamer's token; needs `channel:rewards:write`), records who decided, and returns the redemption as it now is.
 * Kick's per-redemption refusal comes back as `refused`.
 */
export async function decideRedemption(ctx: BotContext, input: { guildId: string; redemptionId: string; status: 'accepted' | 'rejected'; actorDiscordId: string; via?: 'discord' | 'dashboard' }): Promise<DecisionOutcome> {
  return withRedemptionLock(ctx, input.guildId, input.redemptionId, async () => {
    const r = await findRedemption(ctx, input.guildId, input.redemptionId);
    if (!r) throw new UserFacingError('kickcord has no record of this redemption.');
    return decideLocked(ctx, r, input.status, input.actorDiscordId, input.via);
  });
}

/**
 * One `channel.reward.redemption.updated` for the owner guild: records the redemption (once), takes Kick's later
 * `accepted`/`rejected` as the decision, runs the reward's actions once when the redemption is not rejected, then
 * decides automatically when the reward says so, and posts or edits the redemption's message.
 */
export async function handleRedemptionEvent(ctx: BotContext, guildId: string, payload: RedemptionPayload): Promise<void> {
  const kickUserId = payload.redeemer.user_id;
  if (kickUserId === null) return;
  const status = payload.status as RewardRedemptionStatus;
  await withRedemptionLock(ctx, guildId, payload.id, async () => {
    const created = await ctx.prisma.channelRewardRedemption.createMany({
      data: [
        {
          guildId,
          redemptionId: payload.id,
          rewardId: payload.reward.id,
          rewardTitle: payload.reward.title,
          cost: payload.reward.cost,
          kickUserId,
          username: payload.redeemer.username ?? String(kickUserId),
          userInput: payload.user_input ?? '',
          status,
          redeemedAt: new Date(payload.redeemed_at),
          ...(status === 'pending' ? {} : { decidedVia: 'kick', decidedAt: ctx.now() }),
        },
      ],
      skipDuplicates: true,
    });
    let changed = created.count === 1;
    let r = await findRedemption(ctx, guildId, payload.id);
    if (!r) return;
    if (!changed && status !== 'pending' && r.status === 'pending') {
      // Decided on kick.com (or Kick reporting our own decision before we recorded it).
      r = await ctx.prisma.channelRewardRedemption.update({ where: { guildId_redemptionId: { guildId, redemptionId: r.redemptionId } }, data: { status, decidedVia: 'kick', decidedAt: ctx.now(), ...(status === 'rejected' ? { queueDoneAt: ctx.now() } : {}) } });
      changed = true;
    }
    if (r.actionsDoneAt === null && r.status !== 'rejected') {
      const action = await ctx.prisma.channelRewardAction.findUnique({ where: { guildId_rewardId: { guildId, rewardId: r.rewardId } } });
      const results = action ? await runRewardActions(ctx, action, r) : [];
      const failed = results.some((x) => !x.ok);
      r = await ctx.prisma.channelRewardRedemption.update({
        where: { guildId_redemptionId: { guildId, redemptionId: r.redemptionId } },
        data: { actionsDoneAt: ctx.now(), actionResults: results.map((x) => x.line), actionsFailed: failed },
      });
      changed = true;
      if (action && r.status === 'pending' && ((!failed && action.autoAccept) || (failed && action.autoReject))) {
        r = (await decideLocked(ctx, r, failed ? 'rejected' : 'accepted', null)).redemption;
      }
    }
    if (changed) await syncRedemptionMessage(ctx, r);
  });
}
