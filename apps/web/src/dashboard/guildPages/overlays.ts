import type { GuildPage } from '../guildPageKit.ts';

/** Overlays: not built yet (the tab is listed so the navigation is complete). */
export const overlaysGuildPage: GuildPage = {
  key: 'overlays',
  label: 'Overlays',
  path: 'overlays',
  register() {},
};
