import type { GuildPage } from '../guildPageKit.ts';

/** Viewers: not built yet (the tab is listed so the navigation is complete). */
export const viewersGuildPage: GuildPage = {
  key: 'viewers',
  label: 'Viewers',
  path: 'viewers',
  register() {},
};
