import type { GuildPage } from '../guildPageKit.ts';

/** Moderation: not built yet (the tab is listed so the navigation is complete). */
export const moderationGuildPage: GuildPage = {
  key: 'moderation',
  label: 'Moderation',
  path: 'moderation',
  register() {},
};
