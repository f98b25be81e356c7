import { compileTemplate, formatUptime, renderTemplate, TIMER_VARIABLES, timerIsDue, validateTimer } from '@kickcord/core';
import type { Timer } from '@kickcord/db';
import { runScript } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';
import { isUniqueViolation } from '../../database/isUniqueViolation.ts';
import { announceInKickChat } from '../../kickChat/announceInKickChat.ts';
import { tallyScript } from '../../kickChat/chatTally.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { isChannelLive, openSessionOf } from '../streams/streamSessions.ts';

/** Most timers a guild may have. */
export const MAX_TIMERS_PER_GUILD = 25;
/** The timers task runs every minute; a timer within this much of its interval counts as due (scheduler jitter). */
export const TIMER_TICK_SLACK_MS = 10_000;
/**
 * How long a chat message id is remembered so a retried job does not count its line twice: a job's retries end
 * within minutes (8 attempts, backoff from 1 s), and the web app never queues a Kick message id twice. One key per
 * chat message lives this long, so it is kept short (at 100 messages/s an hour is 360,000 small keys).
 */
const LINE_SEEN_TTL_SECONDS = 3600;

/**
 * Counts one chat line unless this message was counted (a chat tally fragment): K the message's "counted" flag and
 * the guild's line counter; A the flag's ttl. Returns the counter.
 */
export const COUNT_LINE_LUA = `if redis.call('SET', K[1], '1', 'NX', 'EX', A[1]) then
  return redis.call('INCR', K[2])
end
return tonumber(redis.call('GET', K[2]) or '0')`;
const COUNT_LINE_SCRIPT = tallyScript(COUNT_LINE_LUA);

/** The keys and arguments of {@link COUNT_LINE_LUA} for one message of a guild. */
export function countLineInput(ctx: Pick<BotContext, 'keys'>, guildId: string, messageId: string): { keys: string[]; args: number[] } {
  const keys = ctx.keys.timers(guildId);
  return { keys: [keys.lineSeen(messageId), keys.lines], args: [LINE_SEEN_TTL_SECONDS] };
}

/**
 * Counts one chat line of a guild (for timers' minimum-chat-lines rule): a monotonic counter in Redis, incremented
 * once per Kick message id. Each timer remembers the counter value at its last post ("mark"). On the chat path the
 * same fragment runs in the message's chat tally.
 */
export async function countChatLine(ctx: BotContext, guildId: string, messageId: string): Promise<number> {
  const input = countLineInput(ctx, guildId, messageId);
  return Number(await runScript(ctx.redis, COUNT_LINE_SCRIPT, input.keys, input.args));
}

async function currentLines(ctx: BotContext, guildId: string): Promise<number> {
  return Number((await ctx.redis.get(ctx.keys.timers(guildId).lines)) ?? 0);
}

/** Chat lines since the timer last posted (or was created). */
export async function linesSinceLastPost(ctx: BotContext, guildId: string, timerId: string): Promise<number> {
  const [lines, mark] = await Promise.all([currentLines(ctx, guildId), ctx.redis.hget(ctx.keys.timers(guildId).marks, timerId)]);
  return Math.max(0, lines - Number(mark ?? 0));
}

/** How long the "timer not posted" warning is remembered per timer (it is logged once in this time). */
const SKIPPED_TIMER_NOTICE_SECONDS = 30 * 24 * 3600;

/**
 * Why a stored timer is not posted, or null when it can be: a message saved before variables were checked may use
 * variables a timer cannot fill (`{user}`, `{points}`, …). Such a timer is skipped — never posted with `{user}`
 * literally — and `/timer list` shows this text so a moderator can replace it.
 */
export function timerMessageProblem(message: string): string | null {
  const compiled = compileTemplate(message, { allowed: TIMER_VARIABLES, maxLength: Number.MAX_SAFE_INTEGER });
  if (compiled.ok) return null;
  const unknown = [...new Set([...message.matchAll(/\{([^{}]*)\}/gu)].map((m) => `{${m[1] ?? ''}}`).filter((v) => !compileTemplate(v, { allowed: TIMER_VARIABLES }).ok))];
  const named = unknown.length > 0 ? unknown.join(', ') : 'a broken variable';
  return `not posted: it uses ${named}, which a timer cannot fill (it answers no viewer). Timers can use ${TIMER_VARIABLES.map((v) => (v === 'random' ? '{random:a|b}' : `{${v}}`)).join(', ')} — change its message (/timer edit, or the dashboard) to use only those.`;
}

/**
 * A timer's text as posted: its message rendered with the channel's stream values (`{uptime}`, `{title}`,
 * `{category}`, `{random:…}`; empty while unknown — an empty result is not posted). A message with variables a timer
 * cannot fill (stored before they were checked) renders as nothing, so it is never posted literally.
 */
export async function renderTimerMessage(ctx: BotContext, input: { timerId: string; message: string; broadcasterUserId: number; rng?: () => number }): Promise<string> {
  const compiled = compileTemplate(input.message, { allowed: TIMER_VARIABLES, maxLength: Number.MAX_SAFE_INTEGER });
  if (!compiled.ok) return '';
  const needsSession = compiled.template.variables.length > 0;
  const session = needsSession ? await openSessionOf(ctx.prisma, input.broadcasterUserId) : null;
  const values = {
    ...(session ? { uptime: formatUptime(session.startedAt, ctx.now()) } : {}),
    ...(session?.title ? { title: session.title } : {}),
    ...(session?.categoryName ? { category: session.categoryName } : {}),
  };
  return renderTemplate(compiled.template, values, input.rng ?? Math.random).trim();
}

/** Logs (once per timer in {@link SKIPPED_TIMER_NOTICE_SECONDS}) that a timer is skipped and why. */
async function warnSkippedTimer(ctx: BotContext, timer: Timer, problem: string): Promise<void> {
  const first = await ctx.redis.set(ctx.keys.noticeSent(timer.guildId, `timer-skipped:${timer.id}`), '1', 'EX', SKIPPED_TIMER_NOTICE_SECONDS, 'NX');
  if (first === 'OK') ctx.logger.warn({ guildId: timer.guildId, timerId: timer.id, timer: timer.name }, `timer "${timer.name}" is ${problem}`);
}

/**
 * Adds a timer. Without a name it gets the first free `timer-N`. A message with variables a timer cannot fill
 * (`{user}`, `{points}`, …) is refused with the list of those it can.
 */
export async function addTimer(ctx: BotContext, input: { guildId: string; message: string; intervalMinutes: number; minChatLines?: number | null; name?: string | null }): Promise<Timer> {
  const minChatLines = input.minChatLines ?? 0;
  const name = input.name?.trim().toLowerCase() || undefined;
  const valid = validateTimer({ message: input.message, intervalMinutes: input.intervalMinutes, minChatLines, ...(name ? { name } : {}) });
  if (!valid.ok) throw new UserFacingError(valid.errors.join('\n'));
  const existing = await ctx.prisma.timer.findMany({ where: { guildId: input.guildId }, select: { name: true } });
  if (existing.length >= MAX_TIMERS_PER_GUILD) throw new UserFacingError(`This server already has ${MAX_TIMERS_PER_GUILD} timers — remove one with \`/timer remove\` first.`);
  let finalName = name;
  if (!finalName) {
    const taken = new Set(existing.map((t) => t.name));
    let n = 1;
    while (taken.has(`timer-${n}`)) n += 1;
    finalName = `timer-${n}`;
  }
  let timer: Timer;
  try {
    timer = await ctx.prisma.timer.create({ data: { guildId: input.guildId, name: finalName, message: input.message.trim(), intervalMinutes: input.intervalMinutes, minChatLines, createdAt: ctx.now() } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserFacingError(`A timer named "${finalName}" already exists. Pick another name or remove it first.`);
    throw error;
  }
  await ctx.redis.hset(ctx.keys.timers(input.guildId).marks, timer.id, await currentLines(ctx, input.guildId));
  return timer;
}

/** Which timer: by `id` (the dashboard) or by `name` (the slash command); either way only one of `guildId`. */
export type TimerTarget = { guildId: string; id: string; name?: undefined } | { guildId: string; name: string; id?: undefined };

/** The guild's timer `target` names, or the slash command's "no timer named" refusal. */
export async function findTimer(ctx: Pick<BotContext, 'prisma'>, target: TimerTarget): Promise<Timer> {
  if (target.id !== undefined) {
    const timer = await ctx.prisma.timer.findFirst({ where: { id: target.id, guildId: target.guildId } });
    if (!timer) throw new UserFacingError('That timer is not in this server any more — it may have just been removed. Reload the page.');
    return timer;
  }
  const timer = await ctx.prisma.timer.findUnique({ where: { guildId_name: { guildId: target.guildId, name: target.name.trim().toLowerCase() } } });
  if (!timer) throw new UserFacingError(`There is no timer named "${target.name}". See \`/timer list\`.`);
  return timer;
}

/** Removes a timer (by name or id). */
export async function removeTimer(ctx: BotContext, input: TimerTarget): Promise<Timer> {
  const timer = await findTimer(ctx, input);
  const { count } = await ctx.prisma.timer.deleteMany({ where: { id: timer.id, guildId: input.guildId } });
  if (!count) throw new UserFacingError(`There is no timer named "${timer.name}". See \`/timer list\`.`);
  await ctx.redis.hdel(ctx.keys.timers(input.guildId).marks, timer.id);
  return timer;
}

/** What {@link editTimer} may change; what is left out stays. */
export interface TimerChanges {
  message?: string | undefined;
  intervalMinutes?: number | undefined;
  minChatLines?: number | undefined;
  enabled?: boolean | undefined;
}

/**
 * Changes a timer (by name or id): its message, interval, minimum chat lines, or whether it is on. The result is
 * checked as a whole, like a new timer (so a message a timer cannot fill is refused with the variables it can);
 * only switching it on or off is not checked.
 * Returns the timer before and after.
 */
export async function editTimer(ctx: BotContext, target: TimerTarget, changes: TimerChanges): Promise<{ before: Timer; after: Timer }> {
  const before = await findTimer(ctx, target);
  if (changes.message === undefined && changes.intervalMinutes === undefined && changes.minChatLines === undefined && changes.enabled === undefined) {
    throw new UserFacingError('Nothing to change — pass at least one option (message, interval-minutes, min-chat-lines, enabled).');
  }
  const message = changes.message ?? before.message;
  const intervalMinutes = changes.intervalMinutes ?? before.intervalMinutes;
  const minChatLines = changes.minChatLines ?? before.minChatLines;
  // Switching a timer on or off alone is always allowed (even one saved before its variables were checked).
  const onlySwitch = changes.message === undefined && changes.intervalMinutes === undefined && changes.minChatLines === undefined;
  if (!onlySwitch) {
    const valid = validateTimer({ message, intervalMinutes, minChatLines });
    if (!valid.ok) throw new UserFacingError(valid.errors.join('\n'));
  }
  const enabled = changes.enabled ?? before.enabled;
  const { count } = await ctx.prisma.timer.updateMany({ where: { id: before.id, guildId: target.guildId }, data: { message: message.trim(), intervalMinutes, minChatLines, enabled } });
  if (!count) throw new UserFacingError(`There is no timer named "${before.name}". See \`/timer list\`.`);
  // Switched back on: chat lines are counted from now, as for a new timer.
  if (enabled && !before.enabled) await ctx.redis.hset(ctx.keys.timers(target.guildId).marks, before.id, await currentLines(ctx, target.guildId));
  return { before, after: { ...before, message: message.trim(), intervalMinutes, minChatLines, enabled } };
}

/** The guild's timers, by name. */
export function listTimers(ctx: BotContext, guildId: string): Promise<Timer[]> {
  return ctx.prisma.timer.findMany({ where: { guildId }, orderBy: { name: 'asc' } });
}

/**
 * Posts every due timer in Kick chat: only while the guild's channel is live, at most once per interval, and only
 * after enough chat lines. A timer whose message has variables a timer cannot fill is skipped (see
 * {@link timerMessageProblem}) and logged once. Each post is claimed with `UPDATE … WHERE "lastPostedAt" IS NOT DISTINCT FROM <old>
 * RETURNING`, so two workers ticking at once post it once. Returns the ids of the timers posted.
 */
export async function runDueTimers(ctx: BotContext): Promise<string[]> {
  const timers = await ctx.prisma.timer.findMany({
    where: { enabled: true, guild: { active: true, connection: { status: 'active' } } },
    include: { guild: { select: { connection: { select: { broadcasterUserId: true } } } } },
  });
  const now = ctx.now();
  const liveCache = new Map<number, boolean>();
  const posted: string[] = [];
  for (const timer of timers) {
    const broadcasterUserId = timer.guild.connection?.broadcasterUserId;
    if (broadcasterUserId === undefined) continue;
    let isLive = liveCache.get(broadcasterUserId);
    if (isLive === undefined) {
      isLive = await isChannelLive(ctx, broadcasterUserId);
      liveCache.set(broadcasterUserId, isLive);
    }
    if (!isLive) continue;
    const problem = timerMessageProblem(timer.message);
    if (problem) {
      await warnSkippedTimer(ctx, timer, problem);
      continue;
    }
    const lines = await currentLines(ctx, timer.guildId);
    const mark = Number((await ctx.redis.hget(ctx.keys.timers(timer.guildId).marks, timer.id)) ?? 0);
    const due = timerIsDue({
      now: now.getTime() + TIMER_TICK_SLACK_MS,
      lastPostedAt: timer.lastPostedAt?.getTime() ?? null,
      intervalMinutes: timer.intervalMinutes,
      linesSinceLastPost: Math.max(0, lines - mark),
      minChatLines: timer.minChatLines,
      isLive,
    });
    if (!due) continue;
    const claimed = await ctx.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "Timer" SET "lastPostedAt" = ${now}
      WHERE id = ${timer.id} AND enabled AND "lastPostedAt" IS NOT DISTINCT FROM ${timer.lastPostedAt}::timestamp
      RETURNING id`;
    if (claimed.length === 0) continue; // another worker posted it
    await ctx.redis.hset(ctx.keys.timers(timer.guildId).marks, timer.id, lines);
    const content = await renderTimerMessage(ctx, { timerId: timer.id, message: timer.message, broadcasterUserId });
    if (!content) continue;
    await announceInKickChat(ctx, { guildId: timer.guildId, broadcasterUserId, dedupeKey: `timer:${timer.id}:${now.getTime()}`, content });
    posted.push(timer.id);
  }
  return posted;
}
