import type { GuildPage } from '../guildPageKit.ts';

/** Public pages: not built yet (the tab is listed so the navigation is complete). */
export const publicPagesGuildPage: GuildPage = {
  key: 'public',
  label: 'Public pages',
  path: 'public',
  register() {},
};
