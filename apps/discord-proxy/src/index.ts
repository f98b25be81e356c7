export { createDiscordProxy } from './createDiscordProxy.ts';
export type { DiscordProxy, DiscordProxyOptions } from './createDiscordProxy.ts';
export { parseProxyEnv, proxyEnvSchema } from './env.ts';
export type { ProxyEnv } from './env.ts';
