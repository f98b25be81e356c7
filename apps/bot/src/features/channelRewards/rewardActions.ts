/**
 * The actions a guild configured for one of its Kick channel rewards, run for one redemption: kickcord points,
 * a Discord role for a linked viewer, a post in a channel, a place in the reward queue. Each action is idempotent
 * on the redemption id (ledger key, role PUT, Discord nonce, queue timestamp), so a job retried after a crash
 * that repeats one changes nothing twice; each reports one line of what it did or why it could not.
 */
import { createHash } from 'node:crypto';
import { findLinkByKick } from '@kickcord/connections';
import { formatPointsAmount } from '@kickcord/core';
import { appendLedgerEntries, type ChannelRewardAction, type ChannelRewardRedemption } from '@kickcord/db';
import { Routes } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { changeMemberRole } from '../../discord/memberRoles.ts';

/** What one action did. */
export interface ActionResult {
  ok: boolean;
  line: string;
}

/** Variables a post message may use. */
export const POST_VARIABLES = ['user', 'reward', 'input', 'cost'] as const;
/** The post when the reward's actions give no message of their own. */
export const DEFAULT_POST_MESSAGE = '🎁 **{user}** redeemed **{reward}** {input}';

/** `{name}` placeholders of `template` that are not post variables (so `/rewards actions` can refuse them). */
export function unknownPostVariables(template: string): string[] {
  const names = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((n) => !(POST_VARIABLES as readonly string[]).includes(n)))];
}

/** Fills a post message; the viewer's input is quoted and cut, and nothing in it can ping (mentions are off). */
export function renderPost(template: string, redemption: Pick<ChannelRewardRedemption, 'username' | 'rewardTitle' | 'userInput' | 'cost'>): string {
  const values: Record<(typeof POST_VARIABLES)[number], string> = {
    user: redemption.username,
    reward: redemption.rewardTitle,
    input: redemption.userInput ? `“${redemption.userInput.slice(0, 500)}”` : '',
    cost: String(redemption.cost),
  };
  return template.replace(/\{(user|reward|input|cost)\}/g, (_, name: keyof typeof values) => values[name]).trim().slice(0, 2000);
}

/** Discord's nonce (≤ 25 chars) for one post, so a retried post is answered with the message already made. */
export function discordNonce(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 25);
}

/** The ledger key of the points paid for one redemption. */
export function redemptionLedgerKey(redemptionId: string): string {
  return `reward-redemption:${redemptionId}`;
}

async function awardPoints(ctx: BotContext, action: ChannelRewardAction, r: ChannelRewardRedemption): Promise<ActionResult> {
  const result = await appendLedgerEntries(ctx.prisma, [
    { guildId: r.guildId, kickUserId: r.kickUserId, username: r.username, kind: 'redemption', points: action.points, idempotencyKey: redemptionLedgerKey(r.redemptionId), reason: `Kick reward: ${r.rewardTitle}`.slice(0, 200) },
  ]);
  return { ok: true, line: `💰 ${formatPointsAmount(action.points)}${result.inserted === 0 ? ' (already paid)' : ''}` };
}

async function giveRole(ctx: BotContext, roleId: string, r: ChannelRewardRedemption): Promise<ActionResult> {
  const link = await findLinkByKick(ctx.prisma, r.kickUserId);
  if (!link) return { ok: false, line: `🎭 <@&${roleId}> not given: ${r.username} has not linked a Discord account (\`/link start\`)` };
  const outcome = await changeMemberRole(ctx.discordRest, { guildId: r.guildId, userId: link.discordUserId, roleId, add: true, reason: `Kick channel reward "${r.rewardTitle}" redeemed by ${r.username}` });
  if (outcome.ok) return { ok: true, line: `🎭 <@&${roleId}> given to <@${link.discordUserId}>` };
  if ('gone' in outcome) return { ok: false, line: `🎭 <@&${roleId}> not given: <@${link.discordUserId}> is not in this server` };
  return { ok: false, line: `🎭 <@&${roleId}> not given: ${outcome.problem.text}` };
}

async function post(ctx: BotContext, action: ChannelRewardAction, channelId: string, r: ChannelRewardRedemption): Promise<ActionResult> {
  try {
    await ctx.discordRest.post(Routes.channelMessages(channelId), {
      body: { content: renderPost(action.postMessage ?? DEFAULT_POST_MESSAGE, r), allowed_mentions: { parse: [] }, nonce: discordNonce(`reward-post:${r.guildId}:${r.redemptionId}`), enforce_nonce: true },
    });
    return { ok: true, line: `📣 posted in <#${channelId}>` };
  } catch (error) {
    ctx.logger.warn({ err: error, guildId: r.guildId, channelId }, 'could not post a channel reward redemption');
    return { ok: false, line: `📣 not posted in <#${channelId}>: kickcord may not send messages there` };
  }
}

async function enqueue(ctx: BotContext, r: ChannelRewardRedemption): Promise<ActionResult> {
  await ctx.prisma.channelRewardRedemption.updateMany({ where: { guildId: r.guildId, redemptionId: r.redemptionId, queuedAt: null }, data: { queuedAt: ctx.now() } });
  const ahead = await ctx.prisma.channelRewardRedemption.count({ where: { guildId: r.guildId, queuedAt: { not: null }, queueDoneAt: null } });
  return { ok: true, line: `📋 in the reward queue (${ahead} waiting, \`/rewards queue\`)` };
}

/** Runs every configured action for one redemption, in order; a failing action does not stop the others. */
export async function runRewardActions(ctx: BotContext, action: ChannelRewardAction, redemption: ChannelRewardRedemption): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  if (action.points > 0) results.push(await awardPoints(ctx, action, redemption));
  if (action.roleId) results.push(await giveRole(ctx, action.roleId, redemption));
  if (action.postChannelId) results.push(await post(ctx, action, action.postChannelId, redemption));
  if (action.addToQueue) results.push(await enqueue(ctx, redemption));
  return results;
}

/** What a reward without actions shows. */
export const NO_ACTIONS = 'no kickcord actions (`/rewards actions`)';

/** A reward's actions in words. */
export function describeActions(a: ChannelRewardAction): string {
  const parts = [
    a.points > 0 ? formatPointsAmount(a.points) : null,
    a.roleId ? `role <@&${a.roleId}> (linked viewers)` : null,
    a.postChannelId ? `post in <#${a.postChannelId}>` : null,
    a.addToQueue ? 'reward queue' : null,
  ].filter((p): p is string => p !== null);
  const auto = [a.autoAccept ? 'auto-accept on success' : null, a.autoReject ? 'auto-reject on failure' : null].filter(Boolean).join(', ');
  return `${parts.length > 0 ? parts.join(' · ') : NO_ACTIONS}${auto ? ` · ${auto}` : ''}`;
}
