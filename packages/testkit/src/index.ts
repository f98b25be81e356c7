/**
 * @kickcord/testkit — what the end-to-end tests, the sandbox and the bench share to run kickcord against
 * kick-sim and discord-sim: the simulator environment, the real bot in a child process, free ports.
 * Development only: apps/web and apps/bot never depend on it.
 */
export { freePort } from './freePort.ts';
export { BOT_CHILD_ENTRY, botEnvStrings, startBotProcess } from './botProcess.ts';
export type { BotProcess, BotProcessInfo, BotProcessOptions } from './botProcess.ts';
export { MANAGE_GUILD, newSimKickApp, registerSimKickApp, SIM_BOT_USERNAME, simulatorBotEnv, simulatorDashboardEnv, simulatorDiscordOAuthEnv, simulatorEnv } from './simulatorEnv.ts';
export type { SimKickApp } from './simulatorEnv.ts';
