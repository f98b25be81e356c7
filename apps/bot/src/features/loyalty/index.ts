import type { BotFeature } from '../BotFeature.ts';
import { loyaltyBonusHandler } from './bonusHandler.ts';
import { loyaltyActions } from './loyaltyActions.ts';
import { loyaltyCommand } from './loyaltyCommand.ts';
import { pointsChatCommand } from './pointsChatCommand.ts';
import { pointsCommand } from './pointsCommand.ts';
import { pointsTransferActions } from './pointsTransferActions.ts';

/**
 * Loyalty points: balances from the append-only ledger, event bonuses (follow, sub, renewal, gifts, Kicks),
 * `/points show|give|take|set|export|import`, `!points`, and `/loyalty settings` (watchtime rates, bonuses,
 * chat prefix). The dashboard's Loyalty and Viewers pages change settings and balances through the same actions.
 */
export const loyaltyFeature: BotFeature = {
  name: 'loyalty',
  slashCommands: [pointsCommand, loyaltyCommand],
  chatCommands: [pointsChatCommand],
  kickEventHandlers: [loyaltyBonusHandler],
  guildActions: [...loyaltyActions, ...pointsTransferActions],
  settings: { followBonus: 0, subBonus: 0, renewalBonus: 0, giftBonusPerSub: 0, kicksBonusPerUnit: 0 },
};
