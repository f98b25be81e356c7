import type { BotFeature } from '../BotFeature.ts';
import { loyaltyBonusHandler } from './bonusHandler.ts';
import { loyaltyCommand } from './loyaltyCommand.ts';
import { pointsChatCommand } from './pointsChatCommand.ts';
import { pointsCommand } from './pointsCommand.ts';

/**
 * Loyalty points: balances from the append-only ledger, event bonuses (follow, sub, renewal, gifts, Kicks),
 * `/points show|give|take|set|export|import`, `!points`, and `/loyalty settings` (watchtime rates, bonuses,
 * chat prefix).
 */
export const loyaltyFeature: BotFeature = {
  name: 'loyalty',
  slashCommands: [pointsCommand, loyaltyCommand],
  chatCommands: [pointsChatCommand],
  kickEventHandlers: [loyaltyBonusHandler],
  settings: { followBonus: 0, subBonus: 0, renewalBonus: 0, giftBonusPerSub: 0, kicksBonusPerUnit: 0 },
};
