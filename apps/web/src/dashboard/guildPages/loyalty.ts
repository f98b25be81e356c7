import type { GuildPage } from '../guildPageKit.ts';

/** Loyalty: not built yet (the tab is listed so the navigation is complete). */
export const loyaltyGuildPage: GuildPage = {
  key: 'loyalty',
  label: 'Loyalty',
  path: 'loyalty',
  register() {},
};
