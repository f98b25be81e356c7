import { announcementHandler } from './announcements/announcementHandler.ts';
import { announceCommand } from './commands/announce.ts';
import { createChatHandler } from './chat/chatHandler.ts';
import { chatHandlers } from './chat/registry.ts';
import { kickCommand } from './commands/kick.ts';
import { gameMaintenanceTasks } from './games/gameTasks.ts';
import { giftedSubTicketsHandler } from './games/giftedSubTicketsHandler.ts';
import { gtbCommand } from './commands/gtb.ts';
import { raffleCommand } from './commands/raffle.ts';
import { slotcallsCommand } from './commands/slotcalls.ts';
import { timerCommand } from './commands/timer.ts';
import type { SlashCommand } from './commands/SlashCommand.ts';
import { chatCommandCommand } from './commands/command.ts';
import { leaderboardCommand } from './commands/leaderboard.ts';
import { loyaltyCommand } from './commands/loyalty.ts';
import { pointsCommand } from './commands/points.ts';
import { watchtimeCommand } from './commands/watchtime.ts';
import type { KickEventHandler } from './kickEvents/KickEventHandler.ts';
import { loyaltyKickEventHandlers } from './loyalty/kickEventHandlers.ts';
import { loyaltyMaintenanceTasks } from './loyalty/tasks.ts';
import { coreMaintenanceTasks } from './maintenance/coreTasks.ts';
import type { MaintenanceTask } from './maintenance/MaintenanceProcessor.ts';

/** Every slash command. Adding a command = adding its file and one line here. */
export const commands: SlashCommand[] = [kickCommand, announceCommand, raffleCommand, gtbCommand, slotcallsCommand, timerCommand, pointsCommand, leaderboardCommand, watchtimeCommand, loyaltyCommand, chatCommandCommand];

/** Kick event handlers, in the order they run for each delivery. */
export const kickEventHandlers: KickEventHandler[] = [...loyaltyKickEventHandlers, announcementHandler, giftedSubTicketsHandler, createChatHandler(chatHandlers)];

/** Scheduled maintenance tasks. */
export const maintenanceTasks: MaintenanceTask[] = [...coreMaintenanceTasks, ...loyaltyMaintenanceTasks, ...gameMaintenanceTasks];
