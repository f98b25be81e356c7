import type { ChatCommandHandler } from '../chat/ChatCommandHandler.ts';
import { chatActivityObserver, loyaltyBuiltinsHandler } from './chat/builtinCommands.ts';

/** Loyalty's chat handlers that go FIRST in the chat registry: the activity observer and the built-ins. */
export const loyaltyChatHandlers: ChatCommandHandler[] = [chatActivityObserver, loyaltyBuiltinsHandler];

export { customCommandHandler, createCustomCommandHandler } from './chat/customCommands.ts';
