export { freePort, MANAGE_GUILD, responseText, startTestStack } from './harness.ts';
export type { TestStack, TestStackOptions } from './harness.ts';
