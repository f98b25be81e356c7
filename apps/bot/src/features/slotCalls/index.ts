import type { BotFeature } from '../BotFeature.ts';
import { slotCallChatCommand } from './slotCallChatCommand.ts';
import { slotcallsCommand } from './slotcallsCommand.ts';

/** Slot calls: viewers queue slots with `!call <slot>`; `/slotcalls` lists, picks, removes, opens and closes. */
export const slotCallsFeature: BotFeature = {
  name: 'slot-calls',
  slashCommands: [slotcallsCommand],
  chatCommands: [slotCallChatCommand],
  settings: { slotCallsOpen: false, slotCallCost: 0 },
};
