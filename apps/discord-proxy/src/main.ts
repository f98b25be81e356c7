import { createDiscordProxy } from './createDiscordProxy.ts';
import { loadProxyEnvOrExit } from './env.ts';
import { createLogger } from './logger.ts';

const env = loadProxyEnvOrExit();
const logger = createLogger(env.LOG_LEVEL);
const { server } = createDiscordProxy({ api: env.DISCORD_API_URL, globalRequestsPerSecond: env.DISCORD_GLOBAL_REQUESTS_PER_SECOND, logger });
server.listen(env.PORT, env.HOST, () => logger.info({ port: env.PORT, host: env.HOST, upstream: env.DISCORD_API_URL }, 'discord REST proxy listening'));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down: finishing requests in hand');
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
