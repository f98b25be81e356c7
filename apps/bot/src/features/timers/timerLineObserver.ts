import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { countChatLine } from './timerService.ts';

/** Counts every chat line for the timers' minimum-chat-lines rule (once per Kick message id). */
export const timerLineObserver: ChatCommand = {
  name: 'timer-lines',
  async observe(chat, ctx) {
    await countChatLine(ctx, chat.guildId, chat.messageId);
  },
};
