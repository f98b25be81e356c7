/**
 * The service-level stack for games tests: the shared {@link startServiceStack} (kick-sim, a fresh test
 * database, Redis with its own prefix, a real BotContext, webhooks processed by the real `processKickEvent`)
 * with only the games' event and chat handlers registered.
 */
import { createChatHandler } from '../../src/chat/chatHandler.ts';
import { gameChatHandlers } from '../../src/games/gameChatHandlers.ts';
import { giftedSubTicketsHandler } from '../../src/games/giftedSubTicketsHandler.ts';
import type { KickEventHandler } from '../../src/kickEvents/KickEventHandler.ts';
import { startServiceStack, type ServiceStack } from './serviceStack.ts';

export { createTestClock, type TestClock } from './serviceStack.ts';
export type GamesStack = ServiceStack;

export function startGamesStack(options: { start?: Date; handlers?: KickEventHandler[] } = {}): Promise<GamesStack> {
  return startServiceStack({ ...options, handlers: options.handlers ?? [giftedSubTicketsHandler, createChatHandler(gameChatHandlers)] });
}
