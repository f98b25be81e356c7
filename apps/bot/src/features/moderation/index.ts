import type { BotFeature } from '../BotFeature.ts';
import { moderationGuildActions } from './modActions.ts';
import { modCommand } from './modCommand.ts';

/**
 * Moderation of the connected Kick channel from Discord and the dashboard: `/mod ban|timeout|unban` for a Kick user
 * by name, every action recorded (ModerationAction) and posted to the guild's mod log with Undo, Timeout 10 min, Ban
 * and Mark false positive buttons (the dashboard's mod log offers Undo and Mark false positive). The chat filters act
 * through the same path.
 */
export const moderationFeature: BotFeature = {
  name: 'moderation',
  slashCommands: [modCommand],
  settings: { modLogChannelId: null },
  guildActions: moderationGuildActions,
};
