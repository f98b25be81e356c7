import { timingSafeEqual, createHash } from 'node:crypto';
import { createMaintenanceQueue, whenRedisReady, type RedisConnection } from '@kickcord/queue';
import type { Queue } from 'bullmq';
import { Router, type RequestHandler, type Response } from 'express';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { closeQueue, type WebDeps } from '../deps.ts';

/** Mount point of Bull Board. */
export const ADMIN_QUEUES_PATH = '/admin/queues';
/** The only Bull Board user name. */
export const ADMIN_USER = 'admin';
/** Redis key (under `<QUEUE_PREFIX>:`) of the failed-login counter of one client IP: `<prefix>:admin-login-failures:<ip>`. */
export const ADMIN_LOGIN_FAILURES_KEY = 'admin-login-failures';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The `user:password` of a basic-auth header; undefined when there is none. */
function basicCredentials(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  return match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : undefined;
}

/** How long a login waits for a Redis connection that is still being set up (e.g. just after start). */
const LIMITER_CONNECT_WAIT_MS = 1_000;

/** Resolves once `redis` is ready, or after `ms` (the command that follows then fails fast). */
async function readyWithin(redis: RedisConnection, ms: number): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([whenRedisReady(redis), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function unauthorized(res: Response): void {
  res.set('www-authenticate', 'Basic realm="kickcord admin", charset="UTF-8"').status(401).json({ error: 'unauthorized', detail: 'Basic auth as admin required' });
}

/** HTTP basic auth for `admin` / `password`, compared in constant time (hashing first equalizes lengths). */
export function basicAuth(password: string): RequestHandler {
  const expected = digest(`${ADMIN_USER}:${password}`);
  return (req, res, next) => {
    const given = basicCredentials(req.headers.authorization);
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    unauthorized(res);
  };
}

/** Limits of {@link limitedBasicAuth}. */
export interface LoginLimit {
  /** Failed logins per client IP allowed in one window; the next attempt gets 429. */
  maxFailures: number;
  windowMs: number;
  /** Install prefix: the counters live at `<prefix>:admin-login-failures:<ip>`. */
  installPrefix: string;
}

/**
 * {@link basicAuth} with a brute-force limit kept in Redis (so it holds across replicas): each failed
 * login (wrong user or password) counts against the client's IP — `req.ip`, which honours
 * `X-Forwarded-For` only from a trusted proxy — and once `maxFailures` are counted in the window every
 * request from that IP is answered 429 with `Retry-After` until the window ends, without looking at
 * the password. Requests without credentials (a browser's first try) are not counted. If Redis cannot
 * be asked, the answer is 503: the dashboard stays shut rather than unlimited.
 */
export function limitedBasicAuth(deps: Pick<WebDeps, 'redis' | 'logger'>, password: string, limit: LoginLimit): RequestHandler {
  const expected = digest(`${ADMIN_USER}:${password}`);
  const failures = new RateLimiterRedis({
    storeClient: deps.redis,
    keyPrefix: `${limit.installPrefix}:${ADMIN_LOGIN_FAILURES_KEY}`,
    points: limit.maxFailures,
    duration: Math.max(1, Math.ceil(limit.windowMs / 1000)),
  });
  const tooMany = (res: Response, msBeforeNext: number) => {
    const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    res
      .set('retry-after', String(seconds))
      .status(429)
      .json({ error: 'too_many_login_failures', detail: `Too many failed logins from this address; try again in ${seconds} s` });
  };
  const unavailable = (res: Response, error: unknown) => {
    deps.logger.error({ err: { message: error instanceof Error ? error.message : String(error) } }, 'admin login limiter unavailable');
    res.set('retry-after', '5').status(503).json({ error: 'admin_unavailable', detail: 'The login limiter (Redis) is unavailable; try again shortly' });
  };
  return async (req, res, next) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    try {
      await readyWithin(deps.redis, LIMITER_CONNECT_WAIT_MS);
      const counted = await failures.get(ip);
      if (counted && counted.consumedPoints >= limit.maxFailures) return tooMany(res, counted.msBeforeNext);
    } catch (error) {
      return unavailable(res, error);
    }
    const given = basicCredentials(req.headers.authorization);
    if (given === undefined) return unauthorized(res);
    if (timingSafeEqual(digest(given), expected)) return next();
    try {
      const counted = await failures.penalty(ip, 1);
      if (counted.consumedPoints === limit.maxFailures) deps.logger.warn({ ip, failures: counted.consumedPoints }, 'admin login locked for this address after repeated failures');
    } catch (error) {
      return unavailable(res, error);
    }
    unauthorized(res);
  };
}

/** Bull Board routes and what closing them releases. */
export interface AdminRoutes {
  router: Router;
  /** Closes the queues opened for the dashboard (not the shared connection). */
  close(): Promise<void>;
}

const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Bull Board at {@link ADMIN_QUEUES_PATH} behind basic auth with a login limit; absent (404) when no
 * ADMIN_PASSWORD is set. It lists every queue of the install (`kick-events` and the maintenance queue).
 * Read-only unless ADMIN_QUEUES_WRITABLE=1: Bull Board can add, retry, edit and remove jobs, so a
 * writable board lets whoever has the password put unsigned events into the queue; read-only, every
 * request but GET/HEAD is answered 405 before Bull Board sees it, and Bull Board itself runs its
 * queues in read-only mode.
 * Bull Board's code (~4.5 MB resident) is loaded on the first authenticated request, not at start: most
 * web processes never serve the dashboard, and the webhook route's memory budget is tight.
 */
export function adminRoutes(deps: Pick<WebDeps, 'config' | 'queue' | 'redis' | 'logger'>): AdminRoutes | undefined {
  const password = deps.config.adminPassword;
  if (!password) return undefined;
  const writable = deps.config.adminQueuesWritable;
  let board: Promise<RequestHandler> | undefined;
  let maintenance: Queue | undefined;
  const loadBoard = async (): Promise<RequestHandler> => {
    const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/express'),
    ]);
    maintenance ??= createMaintenanceQueue({ connection: deps.redis, prefix: deps.config.installPrefix });
    maintenance.on('error', () => undefined);
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
    createBullBoard({
      queues: [deps.queue, maintenance].map((queue) => new BullMQAdapter(queue, { readOnlyMode: !writable })),
      serverAdapter,
      options: { uiConfig: { boardTitle: writable ? 'kickcord queues' : 'kickcord queues (read-only)' } },
    });
    // Bull Board serves from an Express app of its own, which would put X-Powered-By back.
    const boardApp = serverAdapter.getRouter() as RequestHandler & { disable?: (setting: string) => unknown };
    boardApp.disable?.('x-powered-by');
    return boardApp;
  };
  const readOnly: RequestHandler = (req, res, next) => {
    if (writable || READ_METHODS.has(req.method)) return next();
    res
      .set('allow', 'GET, HEAD')
      .status(405)
      .json({ error: 'read_only', detail: 'Bull Board is read-only; set ADMIN_QUEUES_WRITABLE=1 to let it change queues and jobs' });
  };
  const login = limitedBasicAuth(deps, password, {
    maxFailures: deps.config.adminAuthMaxFailures,
    windowMs: deps.config.adminAuthWindowMs,
    installPrefix: deps.config.installPrefix,
  });
  const router = Router();
  router.use(ADMIN_QUEUES_PATH, login, readOnly, (req, res, next) => {
    (board ??= loadBoard()).then(
      (handler) => handler(req, res, next),
      (error: unknown) => {
        board = undefined; // try again on the next request
        next(error);
      },
    );
  });
  return {
    router,
    async close() {
      if (maintenance) await closeQueue(maintenance);
    },
  };
}
