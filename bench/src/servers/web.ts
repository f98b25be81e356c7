/** Child process: ONE apps/web process (real Postgres + Redis) configured by the environment. */
import { startWeb } from '@kickcord/web';
import { serveBenchIpc } from './memory.ts';

const queuePrefix = process.env.BENCH_QUEUE_PREFIX;
const web = await startWeb({ PORT: process.env.PORT ?? '0' }, { ...(queuePrefix ? { queuePrefix } : {}), host: '127.0.0.1' });
serveBenchIpc(() => web.close());
process.send?.({ type: 'listening', port: web.port });
