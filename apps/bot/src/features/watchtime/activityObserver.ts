/**
 * Watchtime in Kick chat: every message marks its sender active (Redis only) and makes the viewer known
 * to the guild and to kickcord.
 */
import type { BotContext } from '../../context.ts';
import type { ChatCommand, ChatMessageContext } from '../../kickChat/ChatCommand.ts';
import { recordChatActivity } from './activity.ts';

/** Marks every chat sender active for watchtime (Redis only; the broadcaster never earns). */
export const chatActivityObserver: ChatCommand = {
  name: 'watchtime-activity',
  async observe(chat, ctx) {
    if (chat.sender.userId === chat.broadcasterUserId) return;
    const sent = new Date(chat.payload.created_at);
    const now = ctx.now();
    const at = Number.isFinite(sent.getTime()) && sent <= now ? sent : now;
    await recordChatActivity(ctx, {
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
  const first = await ctx.redis.set(ctx.keys.seenViewer(chat.guildId, chat.sender.userId), '1', 'EX', SEEN_TTL_SECONDS, 'NX');
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
