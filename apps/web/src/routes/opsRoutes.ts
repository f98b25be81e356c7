import { Router } from 'express';
import type { WebDeps } from '../deps.ts';
import { whenRedisReady } from '@kickcord/queue';
import { checkTokenEncryptionKey } from '@kickcord/connections';

/** Each readiness probe gives up after this long. */
export const READY_CHECK_TIMEOUT_MS = 1_000;

async function probe(fn: () => Promise<unknown>, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` (process up), `/readyz` (Postgres + Redis reachable, and TOKEN_ENCRYPTION_KEY is the key the
 * stored tokens were encrypted with) and `/metrics` (Prometheus).
 */
export function opsRoutes(deps: Pick<WebDeps, 'prisma' | 'redis' | 'metrics' | 'cipher'>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      probe(() => deps.prisma.$queryRaw`SELECT 1`, READY_CHECK_TIMEOUT_MS),
      probe(async () => {
        await whenRedisReady(deps.redis);
        await deps.redis.ping();
      }, READY_CHECK_TIMEOUT_MS),
    ]);
    // The key can only be checked against a database that answers; with none it is 'unknown', not a failure.
    const tokenKey = postgres ? undefined : await probe(() => checkTokenEncryptionKey(deps.prisma, deps.cipher), READY_CHECK_TIMEOUT_MS);
    const checks = { postgres: postgres ? 'fail' : 'ok', redis: redis ? 'fail' : 'ok', tokenKey: postgres ? 'unknown' : tokenKey ? 'fail' : 'ok' };
    const failed = Object.entries(checks)
      .filter(([, v]) => v === 'fail')
      .map(([k]) => k);
    res.status(failed.length ? 503 : 200).json({ status: failed.length ? 'unavailable' : 'ready', checks, failed });
  });
  router.get('/metrics', async (_req, res, next) => {
    try {
      const body = await deps.metrics.registry.metrics();
      res.type(deps.metrics.registry.contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
