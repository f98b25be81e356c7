/**
 * Loyalty in Kick chat: the activity observer (every message marks its sender active) and the
 * built-ins `!points [user]`, `!watchtime [user]`, `!top [points|watchtime]`, `!commands`, `!uptime`.
 */
import { formatDuration, formatUptime, targetUsername } from '@kickcord/core';
import type { ChatCommandHandler, ChatMessageContext } from '../../chat/ChatCommandHandler.ts';
import type { BotContext } from '../../context.ts';
import { recordChatActivity } from '../activity.ts';
import { claimCooldown } from '../cooldownStore.ts';
import { openSessionOf } from '../streamSessions.ts';
import { findViewerStats, formatPoints, leaderboardPage, viewerRank, viewerStatsById, type LeaderboardKind } from '../viewers.ts';

/** The loyalty built-ins answered in chat. */
export const LOYALTY_BUILTINS = ['points', 'watchtime', 'top', 'commands', 'uptime'] as const;
/** Seconds a viewer waits between two uses of the same built-in (moderators and the broadcaster do not). */
export const BUILTIN_USER_COOLDOWN_SEC = 5;
/** Rows shown by `!top`. */
export const CHAT_TOP_SIZE = 5;

/** Marks every chat sender active for watchtime (Redis only; the broadcaster never earns). */
export const chatActivityObserver: ChatCommandHandler = {
  name: 'loyalty-activity',
  async observe(chat, ctx) {
    if (chat.sender.userId === chat.broadcasterUserId) return;
    const sent = new Date(chat.payload.created_at);
    const now = ctx.now();
    const at = Number.isFinite(sent.getTime()) && sent <= now ? sent : now;
    await recordChatActivity(ctx.redis, {
      guildId: chat.guildId,
      broadcasterUserId: chat.broadcasterUserId,
      userId: chat.sender.userId,
      username: chat.sender.username,
      isSubscriber: chat.sender.isSubscriber,
      at,
    });
    await rememberViewer(chat, ctx);
  },
};

/** How long a viewer counts as "already known" before their stats row is touched again. */
const SEEN_TTL_SECONDS = 24 * 3600;

/**
 * Makes a chatter known the first time we see them: to this guild (a ViewerStats row with 0 points, so
 * moderators can `/points give` to someone who has not been paid a minute yet) and to kickcord as a whole
 * (`KickViewer`, the username directory imports and `/points give` fall back to). A Redis flag keeps this
 * to one Postgres round trip per viewer per guild per day, not one per message (and none in the tick).
 */
async function rememberViewer(chat: ChatMessageContext, ctx: BotContext): Promise<void> {
  const first = await ctx.redis.set(`kc:seen:${chat.guildId}:${chat.sender.userId}`, '1', 'EX', SEEN_TTL_SECONDS, 'NX');
  if (first !== 'OK') return;
  const { userId, username } = chat.sender;
  await ctx.prisma.$executeRaw`
    WITH stats AS (
      INSERT INTO "ViewerStats" ("guildId", "kickUserId", username, "updatedAt") VALUES (${chat.guildId}, ${userId}, ${username}, now())
      ON CONFLICT ("guildId", "kickUserId") DO UPDATE SET username = EXCLUDED.username, "updatedAt" = now()
      RETURNING 1
    )
    INSERT INTO "KickViewer" ("userId", username, "lastSeenAt") VALUES (${userId}, ${username}, now())
    ON CONFLICT ("userId") DO UPDATE SET username = EXCLUDED.username, "lastSeenAt" = EXCLUDED."lastSeenAt"`;
}

async function pointsReply(chat: ChatMessageContext, ctx: BotContext): Promise<string> {
  const target = targetUsername(chat.command?.args[0]);
  const self = !target || target.toLowerCase() === chat.sender.username.toLowerCase();
  const stats = self ? await viewerStatsById(ctx.prisma, chat.guildId, chat.sender.userId) : await findViewerStats(ctx.prisma, chat.guildId, target);
  // A viewer seen in chat but never paid has a zero row: answer as if nothing were there yet.
  if (!stats || (stats.points === 0 && stats.activeMinutes === 0)) return self ? `@${chat.sender.username} you have 0 points — chat while the stream is live to earn some!` : `@${chat.sender.username} ${target} has no points here yet.`;
  const rank = await viewerRank(ctx.prisma, chat.guildId, stats, 'points');
  const amount = `${formatPoints(stats.points)} ${stats.points === 1 ? 'point' : 'points'}`;
  return self ? `@${chat.sender.username} you have ${amount} (rank #${rank}).` : `@${chat.sender.username} ${stats.username} has ${amount} (rank #${rank}).`;
}

async function watchtimeReply(chat: ChatMessageContext, ctx: BotContext): Promise<string> {
  const target = targetUsername(chat.command?.args[0]);
  const self = !target || target.toLowerCase() === chat.sender.username.toLowerCase();
  const stats = self ? await viewerStatsById(ctx.prisma, chat.guildId, chat.sender.userId) : await findViewerStats(ctx.prisma, chat.guildId, target);
  if (!stats || stats.activeMinutes === 0) return self ? `@${chat.sender.username} you have no watchtime yet — it counts minutes you chat while live.` : `@${chat.sender.username} ${target} has no watchtime here yet.`;
  const who = self ? 'you have' : `${stats.username} has`;
  return `@${chat.sender.username} ${who} ${formatDuration(stats.activeMinutes)} of watchtime (active minutes in chat).`;
}

async function topReply(chat: ChatMessageContext, ctx: BotContext): Promise<string> {
  const arg = chat.command?.args[0]?.toLowerCase();
  const by: LeaderboardKind = arg === 'watchtime' || arg === 'time' || arg === 'wt' ? 'watchtime' : 'points';
  const { rows } = await leaderboardPage(ctx.prisma, chat.guildId, by, 0, CHAT_TOP_SIZE);
  if (rows.length === 0) return by === 'points' ? 'Nobody has points yet.' : 'Nobody has watchtime yet.';
  const list = rows.map((r, i) => `${i + 1}. ${r.username} ${by === 'points' ? formatPoints(r.points) : formatDuration(r.activeMinutes)}`).join(' · ');
  return `Top ${by === 'points' ? 'points' : 'watchtime'}: ${list}`;
}

async function commandsReply(chat: ChatMessageContext, ctx: BotContext): Promise<string> {
  const prefix = chat.settings.commandPrefix;
  const custom = await ctx.prisma.chatCommand.findMany({ where: { guildId: chat.guildId, enabled: true }, select: { name: true }, orderBy: { name: 'asc' } });
  const names = [...LOYALTY_BUILTINS, ...custom.map((c) => c.name)].map((n) => `${prefix}${n}`);
  return `Commands: ${names.join(', ')}`;
}

async function uptimeReply(chat: ChatMessageContext, ctx: BotContext): Promise<string> {
  const name = chat.payload.broadcaster.username;
  const session = await openSessionOf(ctx.prisma, chat.broadcasterUserId);
  if (!session) return `${name} is offline.`;
  return `${name} has been live for ${formatUptime(session.startedAt, ctx.now())}.`;
}

const REPLIES: Record<(typeof LOYALTY_BUILTINS)[number], (chat: ChatMessageContext, ctx: BotContext) => Promise<string>> = {
  points: pointsReply,
  watchtime: watchtimeReply,
  top: topReply,
  commands: commandsReply,
  uptime: uptimeReply,
};

function builtinName(chat: ChatMessageContext): (typeof LOYALTY_BUILTINS)[number] | null {
  const name = chat.command?.name;
  return name && (LOYALTY_BUILTINS as readonly string[]).includes(name) ? (name as (typeof LOYALTY_BUILTINS)[number]) : null;
}

/** Answers the loyalty built-ins in chat (a per-viewer cooldown keeps one viewer from flooding replies). */
export const loyaltyBuiltinsHandler: ChatCommandHandler = {
  name: 'loyalty-builtins',
  matches: (chat) => builtinName(chat) !== null,
  async handle(chat, ctx) {
    const name = builtinName(chat);
    if (!name) return;
    const decision = await claimCooldown(ctx.redis, {
      guildId: chat.guildId,
      command: `builtin:${name}`,
      userId: chat.sender.userId,
      userLevel: chat.sender.level,
      globalCooldownSec: 0,
      userCooldownSec: BUILTIN_USER_COOLDOWN_SEC,
      now: ctx.now(),
      claimId: chat.messageId,
    });
    if (!decision.allowed) return;
    await chat.reply(await REPLIES[name](chat, ctx), `builtin-${name}`);
  },
};
