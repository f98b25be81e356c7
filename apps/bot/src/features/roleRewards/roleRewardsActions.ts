/**
 * Role rewards' changes as guild actions: `/role-rewards` and the web dashboard's role rewards page both run these,
 * so they check the same things (a role of this server that anyone can give), answer with the same words (with
 * what stops kickcord from giving a role, asked of Discord over REST so any worker can), and leave the same audit
 * entries. After a change the guild is reconciled at the next sync run.
 */
import type { APIRole } from 'discord.js';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { diagnoseRoles, type RoleProblem } from '../../discord/memberRoles.ts';
import { auditAction, defineGuildAction, type GuildActionCall } from '../../guildActions/GuildAction.ts';
import { requireGuildRole, requireGuildTextChannel } from '../../guildActions/guildDirectory.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { describeTier, REWARD_BADGES, rewardRoleIds, type TierReward } from './desiredRoles.ts';
import { clearRoleProblem, lastRoleProblem } from './modLog.ts';
import { addTier, loadRoleRewardConfig, removeTier, setBadgeRole, setRoleRewardModLog, setSubscriberRole, setTierMode } from './roleRewardsConfig.ts';
import { queueGuildReconcile, reconcileCandidates, reconcileGuild } from './roleRewardsTasks.ts';

/** Most hours a watchtime tier may ask for (about 11 years of streams). */
export const MAX_TIER_HOURS = 100_000;
/** Most points a points tier may ask for. */
export const MAX_TIER_POINTS = 2_147_483_647;
/** "Sync now" runs at once for up to this many linked viewers; a bigger server is reconciled at the next sync run. */
export const SYNC_NOW_MAX_VIEWERS = 150;
/** One "sync now" per server per this many seconds. */
export const SYNC_NOW_EVERY_SECONDS = 30;

const snowflake = z.string().regex(/^\d{15,21}$/, 'must be a Discord id');
const tierKind = z.enum(['watchtime', 'points'], { error: () => 'Choose what the tier counts: watchtime or points.' });
const threshold = z
  .number({ error: 'The threshold must be a whole number.' })
  .int('The threshold must be a whole number.')
  .min(1, 'The threshold is at least 1.')
  .max(MAX_TIER_POINTS, `The threshold is at most ${MAX_TIER_POINTS.toLocaleString('en-US')}.`);

/** Refuses roles nobody can give (@everyone, integration roles) and roles of another server. */
async function requireGivableRole(ctx: BotContext, guildId: string, roleId: string): Promise<APIRole> {
  if (roleId === guildId) throw new UserFacingError('Everyone already has @everyone: choose another role.');
  const role = await requireGuildRole(ctx, guildId, roleId);
  if (role.managed) throw new UserFacingError(`@${role.name} belongs to an integration (a bot or Server Boost), which nobody can give by hand: choose another role.`);
  return role;
}

/** A tier as typed (hours of watchtime, or points) in the unit it is stored in (minutes, or points). */
export function tierFromInput(kind: TierReward['kind'], value: number): { kind: TierReward['kind']; threshold: number } {
  if (kind === 'watchtime' && value > MAX_TIER_HOURS) throw new UserFacingError(`A watchtime tier can ask for at most ${MAX_TIER_HOURS.toLocaleString('en-US')} hours.`);
  return { kind, threshold: kind === 'watchtime' ? value * 60 : value };
}

/** The problems kickcord finds with giving `roleIds` right now, asked of Discord as at use. */
export async function roleProblems(ctx: BotContext, guildId: string, roleIds: readonly string[]): Promise<{ problems: RoleProblem[]; unchecked: boolean }> {
  if (roleIds.length === 0) return { problems: [], unchecked: false };
  try {
    const judged = await diagnoseRoles(ctx.discordRest, guildId, roleIds);
    const problems = [...judged.values()].filter((p): p is RoleProblem => p !== null);
    return { problems: [...new Map(problems.map((p) => [p.text, p])).values()], unchecked: false };
  } catch (error) {
    ctx.logger.warn({ err: error, guildId }, 'role rewards: roles could not be checked');
    return { problems: [], unchecked: true };
  }
}

/** "⚠️ …" lines for the roles kickcord cannot give right now. */
export async function problemLines(ctx: BotContext, guildId: string, roleIds: readonly string[]): Promise<string[]> {
  const { problems, unchecked } = await roleProblems(ctx, guildId, roleIds);
  if (unchecked) return ['⚠️ kickcord could not check its role permissions just now; `/role-rewards list` checks again.'];
  return problems.map((p) => `⚠️ Not working yet: ${p.text}.`);
}

/** A line when the server has no connected Kick channel (role rewards need its events and viewers). */
export async function connectionLine(ctx: BotContext, guildId: string): Promise<string[]> {
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { kickUsername: true } });
  return connection ? [] : ['⚠️ This server has no connected Kick channel yet: role rewards start once a moderator runs `/kick connect`.'];
}

/** After a change: forget the last problem, reconcile the guild at the next sync run, and answer with any problem. */
async function afterChange(ctx: BotContext, call: GuildActionCall, done: string, roleIds: readonly string[]): Promise<{ message: string }> {
  await Promise.all([clearRoleProblem(ctx, call.guildId), queueGuildReconcile(ctx, call.guildId)]);
  const lines = [done, ...(await connectionLine(ctx, call.guildId)), ...(await problemLines(ctx, call.guildId, roleIds))];
  return { message: lines.join('\n').slice(0, 2_000) };
}

/** `/role-rewards subscriber`, and the dashboard's subscriber role: the role linked Kick subscribers get (null = off). */
export const setSubscriberRoleAction = defineGuildAction({
  name: 'roleRewards.subscriber',
  input: z.object({ roleId: snowflake.nullable() }),
  async run(ctx, call, input) {
    if (input.roleId) await requireGivableRole(ctx, call.guildId, input.roleId);
    const before = await ctx.prisma.roleRewardSettings.findUnique({ where: { guildId: call.guildId }, select: { subscriberRoleId: true } });
    await setSubscriberRole(ctx, call.guildId, input.roleId);
    if ((before?.subscriberRoleId ?? null) !== input.roleId) await auditAction(ctx, call, 'roleRewards.subscriber', { role: { from: before?.subscriberRoleId ?? null, to: input.roleId } });
    if (!input.roleId) return afterChange(ctx, call, 'The subscriber role is off. kickcord takes it back from the viewers it gave it to.', []);
    return afterChange(
      ctx,
      call,
      `✅ Linked viewers with an active Kick subscription get <@&${input.roleId}>; it goes when a subscription ends without renewal. Current subscribers get it within a minute.`,
      [input.roleId],
    );
  },
});

/** `/role-rewards tier-add`, and the dashboard's "Add tier": a role at a watchtime (hours) or points threshold. */
export const addTierAction = defineGuildAction({
  name: 'roleRewards.tier.add',
  input: z.object({ kind: tierKind, threshold, roleId: snowflake }),
  async run(ctx, call, input) {
    const tier = { ...tierFromInput(input.kind, input.threshold), roleId: input.roleId };
    await requireGivableRole(ctx, call.guildId, input.roleId);
    const before = await ctx.prisma.roleRewardTier.findUnique({ where: { guildId_kind_threshold: { guildId: call.guildId, kind: tier.kind, threshold: tier.threshold } }, select: { roleId: true } });
    await addTier(ctx, call.guildId, tier);
    if (before?.roleId !== tier.roleId) await auditAction(ctx, call, 'roleRewards.tier.add', { tier: describeTier(tier), role: { from: before?.roleId ?? null, to: tier.roleId } });
    const config = await loadRoleRewardConfig(ctx.prisma, call.guildId);
    return afterChange(ctx, call, `✅ Linked viewers with ${describeTier(tier)} get <@&${tier.roleId}> (tiers: ${config.tierMode === 'stack' ? 'every tier reached' : 'only the highest of each ladder'}).`, [tier.roleId]);
  },
});

/** `/role-rewards tier-remove`, and the dashboard's Remove: kickcord takes the tier's role back. */
export const removeTierAction = defineGuildAction({
  name: 'roleRewards.tier.remove',
  input: z.object({ kind: tierKind, threshold }),
  async run(ctx, call, input) {
    const tier = tierFromInput(input.kind, input.threshold);
    const roleId = await removeTier(ctx, call.guildId, tier.kind, tier.threshold);
    if (!roleId) throw new UserFacingError(`There is no ${tier.kind} tier at ${describeTier(tier)}. \`/role-rewards list\` shows them.`);
    await auditAction(ctx, call, 'roleRewards.tier.remove', { tier: describeTier(tier), role: { from: roleId, to: null } });
    return afterChange(ctx, call, `Removed the tier at ${describeTier(tier)}. kickcord takes <@&${roleId}> back from the viewers it gave it to.`, []);
  },
});

/** `/role-rewards badge`, and the dashboard's badge roles: the role for a Kick chat badge (null = none). */
export const setBadgeRoleAction = defineGuildAction({
  name: 'roleRewards.badge',
  input: z.object({ badge: z.string().max(64), roleId: snowflake.nullable() }),
  async run(ctx, call, input) {
    const type = input.badge;
    if (!(REWARD_BADGES as readonly string[]).includes(type)) throw new UserFacingError(`Unknown badge ${type}: choose one of ${REWARD_BADGES.join(', ')}.`);
    if (input.roleId) await requireGivableRole(ctx, call.guildId, input.roleId);
    const before = await ctx.prisma.roleRewardBadge.findUnique({ where: { guildId_badge: { guildId: call.guildId, badge: type } }, select: { roleId: true } });
    await setBadgeRole(ctx, call.guildId, type, input.roleId);
    if ((before?.roleId ?? null) !== input.roleId) await auditAction(ctx, call, 'roleRewards.badge', { badge: type, role: { from: before?.roleId ?? null, to: input.roleId } });
    if (!input.roleId) return afterChange(ctx, call, `The ${type} badge gives no role any more. kickcord takes it back from the viewers it gave it to.`, []);
    return afterChange(ctx, call, `✅ Linked viewers whose Kick chat messages carry the ${type} badge get <@&${input.roleId}> (checked on each message; it goes when the badge does).`, [input.roleId]);
  },
});

/** `/role-rewards mode`, and the dashboard's tier mode: every tier reached, or only the highest of each ladder. */
export const setTierModeAction = defineGuildAction({
  name: 'roleRewards.mode',
  input: z.object({ mode: z.enum(['highest', 'stack'], { error: () => 'Choose how tiers add up: highest or stack.' }) }),
  async run(ctx, call, input) {
    const before = await ctx.prisma.roleRewardSettings.findUnique({ where: { guildId: call.guildId }, select: { tierMode: true } });
    await setTierMode(ctx, call.guildId, input.mode);
    if ((before?.tierMode ?? 'highest') !== input.mode) await auditAction(ctx, call, 'roleRewards.mode', { mode: { from: before?.tierMode ?? 'highest', to: input.mode } });
    return afterChange(ctx, call, input.mode === 'stack' ? '✅ Tiers stack: viewers keep every tier they reached.' : '✅ Only the highest tier of each ladder (watchtime, points) is kept; lower ones are taken back.', []);
  },
});

/** `/role-rewards modlog`, and the dashboard's mod-log channel: where each grant and removal is logged (null = none). */
export const setModLogAction = defineGuildAction({
  name: 'roleRewards.modlog',
  input: z.object({ channelId: snowflake.nullable() }),
  async run(ctx, call, input) {
    const channel = input.channelId ? await requireGuildTextChannel(ctx, call.guildId, input.channelId) : null;
    const before = await ctx.prisma.roleRewardSettings.findUnique({ where: { guildId: call.guildId }, select: { modLogChannelId: true } });
    await setRoleRewardModLog(ctx, call.guildId, channel?.id ?? null);
    if ((before?.modLogChannelId ?? null) !== (channel?.id ?? null)) await auditAction(ctx, call, 'roleRewards.modlog', { channel: { from: before?.modLogChannelId ?? null, to: channel?.id ?? null } });
    return {
      message: channel ? `✅ Each role reward given or taken is logged in <#${channel.id}>, with any problem.` : "Role rewards are no longer logged to a channel of their own (the server's mod-log channel, if any, is used).",
    };
  },
});

/**
 * `/role-rewards sync`, and the dashboard's "Sync now": compares linked viewers' Discord roles with what they earned
 * and repairs the difference at once (a big server: at the next sync run, within 15 seconds). Once per server per
 * {@link SYNC_NOW_EVERY_SECONDS}.
 */
export const syncNowAction = defineGuildAction({
  name: 'roleRewards.sync',
  input: z.object({}),
  async run(ctx, call) {
    const mark = ctx.keys.lock(`role-rewards-sync-now:${call.guildId}`);
    if ((await ctx.redis.set(mark, call.requestId, 'EX', SYNC_NOW_EVERY_SECONDS, 'NX')) !== 'OK') {
      throw new UserFacingError(`Role rewards of this server were synced less than ${SYNC_NOW_EVERY_SECONDS} seconds ago: try again in a moment.`);
    }
    const config = await loadRoleRewardConfig(ctx.prisma, call.guildId);
    const viewers = await reconcileCandidates(ctx, call.guildId);
    const problems = await problemLines(ctx, call.guildId, [...rewardRoleIds(config)]);
    if (viewers.length > SYNC_NOW_MAX_VIEWERS) {
      await queueGuildReconcile(ctx, call.guildId);
      await auditAction(ctx, call, 'roleRewards.sync', { viewers: viewers.length, queued: true });
      return { message: [`🔄 kickcord checks the roles of ${viewers.length.toLocaleString('en-US')} linked viewers at its next sync run (within 15 seconds); each change is logged in the mod-log.`, ...problems].join('\n') };
    }
    const summary = await reconcileGuild(ctx, call.guildId, viewers);
    await auditAction(ctx, call, 'roleRewards.sync', { viewers: viewers.length, added: summary.added, removed: summary.removed, refused: summary.refused });
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const lines = [
      `🔄 Checked ${plural(summary.checked, 'linked viewer', 'linked viewers')} in this server: ${plural(summary.added, 'role', 'roles')} given, ${summary.removed} taken back${summary.refused > 0 ? `, ${summary.refused} refused by Discord` : ''}.`,
      ...(await connectionLine(ctx, call.guildId)),
      ...problems,
    ];
    return { message: lines.join('\n').slice(0, 2_000), data: { checked: summary.checked, added: summary.added, removed: summary.removed, refused: summary.refused } };
  },
});

/**
 * What stops role rewards right now, for the dashboard (nothing is changed): the roles kickcord cannot give (asked
 * of Discord), a missing Kick connection, and the last problem met at use.
 */
export const roleRewardsStatusAction = defineGuildAction({
  name: 'roleRewards.status',
  input: z.object({}),
  async run(ctx, call) {
    const config = await loadRoleRewardConfig(ctx.prisma, call.guildId);
    const [found, connection, last, members] = await Promise.all([
      roleProblems(ctx, call.guildId, [...rewardRoleIds(config)]),
      connectionLine(ctx, call.guildId),
      lastRoleProblem(ctx, call.guildId),
      ctx.prisma.roleRewardMember.count({ where: { guildId: call.guildId, NOT: { roleIds: { isEmpty: true } } } }),
    ]);
    const problems = [
      ...connection,
      ...(found.unchecked ? ['⚠️ kickcord could not check its role permissions just now; reload to check again.'] : []),
      ...found.problems.map((p) => `⚠️ Not working yet: ${p.text}.`),
    ];
    return {
      message: problems.length === 0 ? 'kickcord can give every reward role.' : problems.join('\n'),
      data: { problems, problemRoles: found.problems.map((p) => ({ roleId: p.roleId, kind: p.kind })), lastProblem: last ? { at: last.at, text: last.text } : null, members },
    };
  },
});

/** Every role rewards action. */
export const roleRewardsActions = [setSubscriberRoleAction, addTierAction, removeTierAction, setBadgeRoleAction, setTierModeAction, setModLogAction, syncNowAction, roleRewardsStatusAction] as const;
