/**
 * Child process: a bare BullMQ `kick-events` worker whose processor does nothing — the ceiling the bot's
 * worker is measured against in the `bot` scenario. Same queue factory, same kind of connection and same
 * concurrency as the bot's own kick-events worker (apps/bot/src/bot.ts), so the difference is the bot's work.
 *
 * Environment: REDIS_URL, BENCH_QUEUE_PREFIX (the install prefix), WORKER_CONCURRENCY.
 * IPC: sends `{ type: 'ready' }` once connected; `{ type: 'stop' }` closes the worker and exits.
 */
import { createKickEventsWorker, createRedisConnection } from '@kickcord/queue';

const connection = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { connectionName: 'kickcord-bench-noop' });
const worker = createKickEventsWorker(async () => undefined, {
  connection,
  prefix: process.env.BENCH_QUEUE_PREFIX ?? 'kc-bench-noop',
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 16),
});
worker.on('error', (error) => console.error('no-op worker error:', error.message));

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await worker.close().catch(() => undefined);
  connection.disconnect();
  process.exit(0);
}
process.on('message', (message) => {
  if ((message as { type?: string }).type === 'stop') void stop();
});
process.on('disconnect', () => void stop());

await worker.waitUntilReady();
process.send?.({ type: 'ready', pid: process.pid });
