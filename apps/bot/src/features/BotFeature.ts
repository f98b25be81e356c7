import type { GuildSettings } from '@kickcord/db';
import type { SlashCommand } from '../discord/SlashCommand.ts';
import type { GuildAction } from '../guildActions/GuildAction.ts';
import type { ChatCommand } from '../kickChat/ChatCommand.ts';
import type { KickEventHandler } from '../kickEvents/KickEventHandler.ts';
import type { MaintenanceTask } from '../maintenance/MaintenanceTask.ts';

/** A column of a guild's settings row that a feature can own (all but the key and the bookkeeping). */
export type GuildSettingKey = Exclude<keyof GuildSettings, 'guildId' | 'updatedAt'>;

/** Guild settings a feature owns, each with the value a new guild gets (the column default in the schema). */
export type FeatureSettings = { readonly [K in GuildSettingKey]?: Readonly<GuildSettings[K]> };

/**
 * One bot feature and everything it contributes. The bot assembles features from the list in
 * `features/index.ts`; adding a feature means adding its folder and one line there.
 *
 * What runs where: `slashCommands` are served by the process holding the Discord gateway;
 * `kickEventHandlers`, `chatCommands` (dispatched from Kick's `chat.message.sent`) and
 * `maintenanceTasks` run in the process consuming the queues.
 */
export interface BotFeature {
  /** Short, unique, kebab-case name (logs and tests). */
  name: string;
  /** Discord slash commands (one file each). */
  slashCommands?: readonly SlashCommand[];
  /** Kick chat commands and observers in an owner guild's chat, in priority order. */
  chatCommands?: readonly ChatCommand[];
  /** Reactions to Kick events, in the order they run for one delivery. */
  kickEventHandlers?: readonly KickEventHandler[];
  /** Scheduled jobs (once per interval across all workers). */
  maintenanceTasks?: readonly MaintenanceTask[];
  /**
   * Changes both a slash command and the web dashboard make (the dashboard's go through the `guild-actions`
   * queue and run in a worker). Names are unique across features.
   */
  guildActions?: readonly GuildAction[];
  /** The guild settings this feature owns, with their defaults. */
  settings?: FeatureSettings;
}
