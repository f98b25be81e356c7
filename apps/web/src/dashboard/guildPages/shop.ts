import type { GuildPage } from '../guildPageKit.ts';

/** Shop: not built yet (the tab is listed so the navigation is complete). */
export const shopGuildPage: GuildPage = {
  key: 'shop',
  label: 'Shop',
  path: 'shop',
  register() {},
};
