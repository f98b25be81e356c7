import type { GuildPage } from '../guildPageKit.ts';

/** Commands & timers: not built yet (the tab is listed so the navigation is complete). */
export const commandsGuildPage: GuildPage = {
  key: 'commands',
  label: 'Commands & timers',
  path: 'commands',
  register() {},
};
