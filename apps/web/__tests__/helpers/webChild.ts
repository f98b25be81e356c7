/**
 * Child-process entry for tests that measure the web server from outside (its RSS): runs `startWeb` with
 * the environment it was given (queue prefix in WEB_TEST_QUEUE_PREFIX), reports `{ type: 'ready', port }`
 * over IPC, answers `{ type: 'rss' }` with `process.memoryUsage().rss`, and closes on `{ type: 'close' }`
 * or when the parent goes away.
 */
import { startWeb, type WebHandle } from '../../src/index.ts';

let web: WebHandle | undefined;
let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await web?.close().catch(() => undefined);
  process.exit(0);
}
process.on('message', (message) => {
  const type = (message as { type?: string }).type;
  if (type === 'close') void close();
  if (type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
});
process.on('disconnect', () => void close());

try {
  const queuePrefix = process.env.WEB_TEST_QUEUE_PREFIX;
  web = await startWeb({}, { host: '127.0.0.1', ...(queuePrefix === undefined ? {} : { queuePrefix }) });
  process.send?.({ type: 'ready', port: web.port });
} catch (error) {
  console.error('web child failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
}
