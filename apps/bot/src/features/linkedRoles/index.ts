import type { BotFeature } from '../BotFeature.ts';
import { linkedRolesSyncTask } from './linkedRolesSyncTask.ts';

/**
 * Discord Linked Roles: keeps each verified user's role connection (Kick subscriber, watch hours, points, linked
 * since) up to date. Users verify on the web app (`/linked-roles`); `pnpm discord:register` registers the metadata.
 */
export const linkedRolesFeature: BotFeature = {
  name: 'linked-roles',
  maintenanceTasks: [linkedRolesSyncTask],
};
