import type { BotFeature } from '../BotFeature.ts';
import { overlayActions } from './overlayActions.ts';
import { overlayAlertHandler } from './overlayAlerts.ts';
import { overlayChatObserver } from './overlayChat.ts';
import { overlayCommand } from './overlayCommand.ts';

/**
 * OBS overlays, the bot's side: follows, subs, gifts, Kicks and redemptions become alerts on the guild's overlay
 * stream, and chat lines feed the chat box (only for guilds with a live overlay key); `/overlay` and the dashboard
 * make the key, rotate it, and set each alert, the goal bar and test alerts. The web app serves the overlays.
 */
export const overlaysFeature: BotFeature = {
  name: 'overlays',
  slashCommands: [overlayCommand],
  kickEventHandlers: [overlayAlertHandler],
  chatCommands: [overlayChatObserver],
  guildActions: overlayActions,
};
