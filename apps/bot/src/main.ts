import { startBot } from './bot.ts';
import { loadBotEnvOrExit } from './env.ts';
import { createLogger } from './logger.ts';

const env = loadBotEnvOrExit();
const logger = createLogger(env.LOG_LEVEL);
const bot = await startBot({ env, logger }).catch((error: unknown) => {
  logger.fatal({ err: error }, 'bot failed to start');
  process.exit(1);
});
await bot.ready;

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing jobs in hand');
    bot.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
