import type { GuildPage } from '../guildPageKit.ts';

/** Channel rewards: not built yet (the tab is listed so the navigation is complete). */
export const channelRewardsGuildPage: GuildPage = {
  key: 'channel-rewards',
  label: 'Channel rewards',
  path: 'channel-rewards',
  register() {},
};
