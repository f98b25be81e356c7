import type { SlashCommand } from '../discord/SlashCommand.ts';
import type { GuildAction } from '../guildActions/GuildAction.ts';
import type { ChatCommand } from '../kickChat/ChatCommand.ts';
import { createChatCommandDispatcher } from '../kickChat/chatCommandDispatcher.ts';
import type { KickEventHandler } from '../kickEvents/KickEventHandler.ts';
import type { MaintenanceTask } from '../maintenance/MaintenanceTask.ts';
import type { BotFeature } from './BotFeature.ts';
import { features } from './index.ts';

/** The slash commands of `list` (what the Discord gateway serves and registers). */
export function slashCommandsOf(list: readonly BotFeature[]): SlashCommand[] {
  return list.flatMap((f) => f.slashCommands ?? []);
}

/** The chat commands of `list`, in feature order (the dispatcher asks `fallback` ones last). */
export function chatCommandsOf(list: readonly BotFeature[]): ChatCommand[] {
  return list.flatMap((f) => f.chatCommands ?? []);
}

/** The Kick event handlers of `list`, in feature order, then the chat command dispatcher. */
export function kickEventHandlersOf(list: readonly BotFeature[]): KickEventHandler[] {
  return [...list.flatMap((f) => f.kickEventHandlers ?? []), createChatCommandDispatcher(chatCommandsOf(list))];
}

/** The scheduled maintenance tasks of `list`. */
export function maintenanceTasksOf(list: readonly BotFeature[]): MaintenanceTask[] {
  return list.flatMap((f) => f.maintenanceTasks ?? []);
}

/** The guild actions of `list` (what the `guild-actions` worker runs for the dashboard). */
export function guildActionsOf(list: readonly BotFeature[]): GuildAction[] {
  return list.flatMap((f) => f.guildActions ?? []);
}

/** Every slash command. */
export const commands: SlashCommand[] = slashCommandsOf(features);

/** Kick event handlers, in the order they run for each delivery (chat commands last, through the dispatcher). */
export const kickEventHandlers: KickEventHandler[] = kickEventHandlersOf(features);

/** Scheduled maintenance tasks. */
export const maintenanceTasks: MaintenanceTask[] = maintenanceTasksOf(features);

/** Every guild action. */
export const guildActions: GuildAction[] = guildActionsOf(features);
