/**
 * The service-level stack for games tests: the shared {@link startServiceStack} (kick-sim, a fresh test
 * database, Redis with its own prefix, a real BotContext, webhooks processed by the real `processKickEvent`)
 * with only the games' features (raffles, guess-the-balance, slot calls, timers) assembled.
 */
import { kickEventHandlersOf } from '../../src/features/assemble.ts';
import { guessTheBalanceFeature } from '../../src/features/guessTheBalance/index.ts';
import { rafflesFeature } from '../../src/features/raffles/index.ts';
import { slotCallsFeature } from '../../src/features/slotCalls/index.ts';
import { timersFeature } from '../../src/features/timers/index.ts';
import type { KickEventHandler } from '../../src/kickEvents/KickEventHandler.ts';
import { startServiceStack, type ServiceStack } from './serviceStack.ts';

export { createTestClock, type TestClock } from './serviceStack.ts';
export type GamesStack = ServiceStack;

export function startGamesStack(options: { start?: Date; handlers?: KickEventHandler[] } = {}): Promise<GamesStack> {
  return startServiceStack({ ...options, handlers: options.handlers ?? kickEventHandlersOf([rafflesFeature, guessTheBalanceFeature, slotCallsFeature, timersFeature]) });
}
