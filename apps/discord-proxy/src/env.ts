import { loadEnvOrExit, logEnv, parseEnv } from '@kickcord/config';
import { z } from 'zod';

/** Everything the Discord REST proxy reads from the environment (validated at start). */
export const proxyEnvSchema = z.object({
  ...logEnv,
  DISCORD_API_URL: z.url().default('https://discord.com/api').describe('Discord API base URL ending in /api (default https://discord.com/api; discord-sim prints its own)'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080).describe('port the proxy listens on'),
  HOST: z.string().min(1).default('0.0.0.0').describe('address the proxy listens on'),
  DISCORD_GLOBAL_REQUESTS_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(50)
    .describe("the bot's global Discord REST limit (Discord's default is 50 requests/s per bot; larger bots get more on request)"),
});
export type ProxyEnv = z.infer<typeof proxyEnvSchema>;

/** Parses the proxy environment; throws EnvError listing every problem. */
export function parseProxyEnv(source?: Record<string, string | undefined>): ProxyEnv {
  return parseEnv(proxyEnvSchema, source);
}

/** For the process entry point: prints the problems and exits 78 on invalid configuration. */
export function loadProxyEnvOrExit(): ProxyEnv {
  return loadEnvOrExit(proxyEnvSchema);
}
