/**
 * Child-process entry of {@link startBotProcess}: runs the real bot (startBot) with the environment it was
 * given (BOT_ROLE, shards and REST proxy included), reports `{ type: 'ready', role, shards }` over IPC once it
 * is serving, and closes gracefully on `{ type: 'close' }` or when the parent goes away. Tests SIGKILL it to
 * crash it.
 */
import { parseBotEnv, startBot, type BotHandle } from '@kickcord/bot';

let bot: BotHandle | undefined;
let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await bot?.close().catch(() => undefined);
  process.exit(0);
}
process.on('message', (message) => {
  if ((message as { type?: string }).type === 'close') void close();
});
process.on('disconnect', () => void close());

try {
  const env = parseBotEnv(process.env);
  bot = await startBot({ env, schedule: process.env.KICKCORD_BOT_SCHEDULE === '1', registerCommands: process.env.KICKCORD_BOT_REGISTER_COMMANDS !== '0' });
  await bot.ready;
  process.send?.({ type: 'ready', pid: process.pid, role: bot.role, shards: bot.shards ? { shardCount: bot.shards.shardCount, shardIds: bot.shards.shardIds } : null });
} catch (error) {
  console.error('bot child failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
}
