import type { BotFeature } from '../BotFeature.ts';
import { announceCommand } from './announceCommand.ts';
import { announcementActions } from './announcementActions.ts';
import { announcementHandler } from './announcementHandler.ts';

/** Announcements: Kick events (go live, follows, subs, gifts, Kicks, redemptions, bans) posted in Discord; `/announce` and the dashboard configure them. */
export const announcementsFeature: BotFeature = {
  name: 'announcements',
  slashCommands: [announceCommand],
  kickEventHandlers: [announcementHandler],
  guildActions: announcementActions,
};
