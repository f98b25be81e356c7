/**
 * Watchtime in Kick chat: every message marks its sender active and, the first time a guild sees them, queues them
 * to be made known to the guild and to kickcord (Redis only; see newViewers.ts). Both are chat tallies: they run
 * with every other feature's per-message record in one script (kickChat/chatTally.ts).
 */
import type { ChatCommand, ChatMessageContext } from '../../kickChat/ChatCommand.ts';
import type { BotContext } from '../../context.ts';
import { firstSightTally } from '../../viewers/newViewers.ts';
import { RECORD_ACTIVITY_LUA, recordActivityInput } from './activity.ts';

/** When the message counts as sent: Kick's `created_at`, never later than now. */
function sentAt(chat: ChatMessageContext, ctx: BotContext): Date {
  const sent = new Date(chat.payload.created_at);
  const now = ctx.now();
  return Number.isFinite(sent.getTime()) && sent <= now ? sent : now;
}

/** Marks every chat sender active for watchtime (Redis only; the broadcaster never earns). */
export const chatActivityObserver: ChatCommand = {
  name: 'watchtime-activity',
  tally: {
    lua: RECORD_ACTIVITY_LUA,
    input(chat, ctx) {
      if (chat.sender.userId === chat.broadcasterUserId) return null;
      return recordActivityInput(ctx.keys, {
        guildId: chat.guildId,
        broadcasterUserId: chat.broadcasterUserId,
        userId: chat.sender.userId,
        username: chat.sender.username,
        isSubscriber: chat.sender.isSubscriber,
        at: sentAt(chat, ctx),
      });
    },
  },
};

/** Queues every chat sender the guild has not seen for a day (the broadcaster is never a viewer). */
export const firstSightObserver: ChatCommand = {
  name: 'viewers-first-sight',
  tally: firstSightTally,
};
