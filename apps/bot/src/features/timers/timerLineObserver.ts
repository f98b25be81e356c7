import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { COUNT_LINE_LUA, countLineInput } from './timerService.ts';

/** Counts every chat line for the timers' minimum-chat-lines rule (once per Kick message id; part of the message's chat tally). */
export const timerLineObserver: ChatCommand = {
  name: 'timer-lines',
  tally: {
    lua: COUNT_LINE_LUA,
    input: (chat, ctx) => countLineInput(ctx, chat.guildId, chat.messageId),
  },
};
