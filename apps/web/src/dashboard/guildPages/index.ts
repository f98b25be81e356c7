import type { GuildPage } from '../guildPageKit.ts';
import { announcementsGuildPage } from './announcements.ts';
import { auditGuildPage } from './auditLog.ts';
import { channelRewardsGuildPage } from './channelRewards.ts';
import { chatExtrasGuildPage } from './chatExtras.ts';
import { commandsGuildPage } from './commands.ts';
import { gamesGuildPage } from './games.ts';
import { loyaltyGuildPage } from './loyalty.ts';
import { managerRolesGuildPage } from './managerRoles.ts';
import { moderationGuildPage } from './moderation.ts';
import { overlaysGuildPage } from './overlays.ts';
import { overviewGuildPage } from './overview.ts';
import { pointsTransferGuildPage } from './pointsTransfer.ts';
import { publicPagesGuildPage } from './publicPages.ts';
import { roleRewardsGuildPage } from './roleRewards.ts';
import { shopGuildPage } from './shop.ts';
import { viewersGuildPage } from './viewers.ts';

/** The guild dashboard's pages, in tab order; adding a page = one file here and one line in this list. */
export const guildPages: readonly GuildPage[] = [
  overviewGuildPage,
  announcementsGuildPage,
  loyaltyGuildPage,
  // Before Viewers: its routes under /viewers/ come before the Viewers page's /viewers/:kickUserId.
  pointsTransferGuildPage,
  viewersGuildPage,
  commandsGuildPage,
  chatExtrasGuildPage,
  gamesGuildPage,
  shopGuildPage,
  roleRewardsGuildPage,
  moderationGuildPage,
  channelRewardsGuildPage,
  overlaysGuildPage,
  publicPagesGuildPage,
  managerRolesGuildPage,
  auditGuildPage,
];
