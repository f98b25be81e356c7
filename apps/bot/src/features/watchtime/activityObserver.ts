/**
 * Watchtime in Kick chat: every message marks its sender active and queues a first-time viewer to be made
 * known to the guild and to kickcord (Redis only; see newViewers.ts).
 */
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { recordChatActivity } from './activity.ts';
import { noteViewer } from '../../viewers/newViewers.ts';

/** Marks every chat sender active for watchtime (Redis only; the broadcaster never earns). */
export const chatActivityObserver: ChatCommand = {
  name: 'watchtime-activity',
  async observe(chat, ctx) {
    if (chat.sender.userId === chat.broadcasterUserId) return;
    const sent = new Date(chat.payload.created_at);
    const now = ctx.now();
    const at = Number.isFinite(sent.getTime()) && sent <= now ? sent : now;
    await Promise.all([
      recordChatActivity(ctx, {
        guildId: chat.guildId,
        broadcasterUserId: chat.broadcasterUserId,
        userId: chat.sender.userId,
        username: chat.sender.username,
        isSubscriber: chat.sender.isSubscriber,
        at,
      }),
      noteViewer(ctx, { guildId: chat.guildId, userId: chat.sender.userId, username: chat.sender.username }),
    ]);
  },
};
