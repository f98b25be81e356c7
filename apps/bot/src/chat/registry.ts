import { customCommandHandler, loyaltyChatHandlers } from '../loyalty/chatHandlers.ts';
import { gameChatHandlers } from '../games/gameChatHandlers.ts';
import type { ChatCommandHandler } from './ChatCommandHandler.ts';

/**
 * Chat handlers in priority order. Observers (activity, timer line counts) see every message;
 * the first command handler whose `matches` is true handles it. Built-ins and games come before
 * custom commands so a custom command can never shadow them.
 */
export const chatHandlers: ChatCommandHandler[] = [
  ...loyaltyChatHandlers,
  ...gameChatHandlers, // timer line counter, raffle keyword, !gtb, !call
  customCommandHandler, // keep last: custom commands never shadow built-ins or games
];
