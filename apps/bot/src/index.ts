export { registerCommands, startBot } from './bot.ts';
export type { BotHandle, StartBotOptions } from './bot.ts';
export { botEnvSchema, parseBotEnv } from './env.ts';
export type { BotEnv } from './env.ts';
export type { BotContext } from './context.ts';
export { BOT_INVITE_PERMISSIONS } from './discord/permissions.ts';
export { commands, kickEventHandlers, maintenanceTasks } from './registry.ts';
export { processKickEvent, KickEventHandlersFailedError } from './kickEvents/processKickEvent.ts';
export type { KickEventHandler, KickEventInput, LinkedGuild } from './kickEvents/KickEventHandler.ts';
