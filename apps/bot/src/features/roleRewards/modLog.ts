/**
 * What moderators see of role rewards at use: each grant and removal in the mod-log channel, and every problem
 * (a role kickcord may not give, a deleted role) there too — at most once an hour per problem — and in
 * `/role-rewards list`. Nothing fails silently: without a mod-log channel a problem is still logged and listed.
 */
import { createHash } from 'node:crypto';
import type { BotContext } from '../../context.ts';
import { sendChannelMessage } from '../announcements/postAnnouncement.ts';
import type { RoleRewardConfig } from './desiredRoles.ts';
import type { RoleProblem } from '../../discord/memberRoles.ts';

/** How long the last problem stays in `/role-rewards list`. */
export const PROBLEM_TTL_SECONDS = 7 * 86_400;
/** The same problem is posted to the mod-log at most once per this many seconds. */
export const PROBLEM_NOTICE_EVERY_SECONDS = 3_600;

/** A guild's last role rewards problem at use. */
export interface StoredProblem {
  at: string;
  text: string;
}

type Deps = Pick<BotContext, 'discordRest' | 'redis' | 'keys' | 'logger' | 'now'>;

const DISCORD_MESSAGE_LIMIT = 2_000;

/** Lines packed into as few messages as fit Discord's 2,000 characters. */
export function packLines(lines: readonly string[], limit = DISCORD_MESSAGE_LIMIT): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = raw.length > limit ? `${raw.slice(0, limit - 1)}…` : raw;
    if (current && current.length + 1 + line.length > limit) {
      out.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(current);
  return out;
}

async function post(ctx: Deps, guildId: string, channelId: string, content: string): Promise<boolean> {
  const nonce = createHash('sha256').update(`${guildId}:${ctx.now().getTime()}:${content}`).digest('hex').slice(0, 25);
  try {
    await sendChannelMessage(ctx.discordRest, channelId, { content, roleId: null, nonce });
    return true;
  } catch (error) {
    ctx.logger.warn({ err: error, guildId, channelId }, 'role rewards: the mod-log channel could not be posted in');
    return false;
  }
}

/** Posts grant and removal lines to the guild's mod-log channel (nothing when none is set). Mentions never ping. */
export async function logRoleChanges(ctx: Deps, config: RoleRewardConfig, lines: readonly string[]): Promise<void> {
  if (!config.modLogChannelId || lines.length === 0) return;
  for (const content of packLines(lines)) {
    if (!(await post(ctx, config.guildId, config.modLogChannelId, content))) {
      await keepProblem(ctx, config.guildId, `the mod-log channel <#${config.modLogChannelId}> cannot be posted in: give kickcord View Channel and Send Messages there, or choose another with \`/role-rewards modlog\``);
      return;
    }
  }
}

async function keepProblem(ctx: Deps, guildId: string, text: string): Promise<void> {
  const stored: StoredProblem = { at: ctx.now().toISOString(), text };
  await ctx.redis.set(ctx.keys.roleRewardProblem(guildId), JSON.stringify(stored), 'EX', PROBLEM_TTL_SECONDS);
}

/**
 * Records a problem met at use: logged, kept for `/role-rewards list`, and posted to the mod-log channel once an
 * hour per problem (a Redis mark shared by every worker).
 */
export async function reportRoleProblem(ctx: Deps, config: RoleRewardConfig, problem: RoleProblem): Promise<void> {
  const text = `⚠️ Role rewards: ${problem.text}.`;
  ctx.logger.warn({ guildId: config.guildId, roleId: problem.roleId, kind: problem.kind }, `role rewards: ${problem.text}`);
  await keepProblem(ctx, config.guildId, problem.text);
  if (!config.modLogChannelId) return;
  const mark = ctx.keys.noticeSent(config.guildId, `rr:${createHash('sha256').update(problem.text).digest('hex').slice(0, 16)}`);
  if ((await ctx.redis.set(mark, '1', 'EX', PROBLEM_NOTICE_EVERY_SECONDS, 'NX')) !== 'OK') return;
  if (!(await post(ctx, config.guildId, config.modLogChannelId, text))) await ctx.redis.del(mark);
}

/** The guild's last problem at use within {@link PROBLEM_TTL_SECONDS}, or null. */
export async function lastRoleProblem(ctx: Pick<BotContext, 'redis' | 'keys'>, guildId: string): Promise<StoredProblem | null> {
  const raw = await ctx.redis.get(ctx.keys.roleRewardProblem(guildId));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as StoredProblem;
  } catch {
    return null;
  }
}

/** Forgets the last problem (after a moderator changed the configuration). */
export async function clearRoleProblem(ctx: Pick<BotContext, 'redis' | 'keys'>, guildId: string): Promise<void> {
  await ctx.redis.del(ctx.keys.roleRewardProblem(guildId));
}
