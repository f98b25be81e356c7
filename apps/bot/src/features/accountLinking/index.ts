import type { BotFeature } from '../BotFeature.ts';
import { linkChatCommand } from './linkChatCommand.ts';
import { linkCommand } from './linkCommand.ts';
import { unlinkCommand } from './unlinkCommand.ts';

/**
 * Kick ↔ Discord account linking: `/link start` (a one-time code for `!link CODE` in Kick chat, or a "Link with Kick"
 * sign-in on the web app), `/link status`, `/unlink`, moderators' `/link lookup`. One Kick account per Discord user,
 * the same in every guild (`AccountLink`, through `@kickcord/connections`); other features show linked viewers'
 * mentions with `linkedMentions`.
 */
export const accountLinkingFeature: BotFeature = {
  name: 'account-linking',
  slashCommands: [linkCommand, unlinkCommand],
  chatCommands: [linkChatCommand],
};
