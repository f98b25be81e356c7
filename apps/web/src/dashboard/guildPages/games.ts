import type { GuildPage } from '../guildPageKit.ts';

/** Games: not built yet (the tab is listed so the navigation is complete). */
export const gamesGuildPage: GuildPage = {
  key: 'games',
  label: 'Games',
  path: 'games',
  register() {},
};
