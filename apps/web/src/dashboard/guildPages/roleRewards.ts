import type { GuildPage } from '../guildPageKit.ts';

/** Role rewards: not built yet (the tab is listed so the navigation is complete). */
export const roleRewardsGuildPage: GuildPage = {
  key: 'role-rewards',
  label: 'Role rewards',
  path: 'role-rewards',
  register() {},
};
