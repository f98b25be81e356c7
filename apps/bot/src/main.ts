import { startBot } from './bot.ts';
import { DiscordTokenRefusedError } from './discord/DiscordTokenRefusedError.ts';
import { loadBotEnvOrExit } from './env.ts';
import { createLogger } from './logger.ts';

const env = loadBotEnvOrExit();
const logger = createLogger(env.LOG_LEVEL);

function exitOnStartFailure(error: unknown): never {
  if (error instanceof DiscordTokenRefusedError) {
    // A configuration mistake: one plain line saying what to change, exit 78 (EX_CONFIG) like an invalid environment.
    console.error(`kickcord bot: ${error.message}`);
    process.exit(78);
  }
  // The message says what to change (e.g. DISCORD_SHARD_COUNT when Discord requires sharding).
  logger.fatal({ err: error, role: env.BOT_ROLE }, `bot failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const bot = await startBot({ env, logger }).catch(exitOnStartFailure);
await bot.ready.catch(exitOnStartFailure);

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
