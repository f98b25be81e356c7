import type { BotFeature } from '../BotFeature.ts';
import { slotCallActions } from './slotCallActions.ts';
import { slotCallChatCommand } from './slotCallChatCommand.ts';
import { slotcallsCommand } from './slotcallsCommand.ts';

/** Slot calls: viewers queue slots with `!call <slot>`; `/slotcalls` and the dashboard's Games page (the same actions) list, pick, remove, open and close. */
export const slotCallsFeature: BotFeature = {
  name: 'slot-calls',
  slashCommands: [slotcallsCommand],
  chatCommands: [slotCallChatCommand],
  guildActions: slotCallActions,
  settings: { slotCallsOpen: false, slotCallCost: 0 },
};
