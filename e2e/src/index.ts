export { freePort, MANAGE_GUILD, responseText, startTestStack } from './harness.ts';
export type { TestStack, TestStackOptions } from './harness.ts';
export { SANDBOX_PORTS, startSandbox } from './sandbox.ts';
export type { Sandbox, SandboxOptions } from './sandbox.ts';
export { BOT_CHILD_ENTRY, botEnvStrings, startBotProcess } from './botProcess.ts';
export type { BotProcess, BotProcessOptions } from './botProcess.ts';
export { deliveryRequestBytes, httpRequestBytes, kickMessageId, rawHttp, signDelivery, startTestRedisServer } from './resilience.ts';
export type { RawHttpResponse, SignedDelivery, TestRedisServer } from './resilience.ts';
