import { timingSafeEqual, createHash } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { WebDeps } from '../deps.ts';

/** Mount point of Bull Board. */
export const ADMIN_QUEUES_PATH = '/admin/queues';
/** The only Bull Board user name. */
export const ADMIN_USER = 'admin';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** HTTP basic auth for `admin` / `password`, compared in constant time (hashing first equalizes lengths). */
export function basicAuth(password: string): RequestHandler {
  const expected = digest(`${ADMIN_USER}:${password}`);
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    const given = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    if (match && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res.set('www-authenticate', 'Basic realm="kickcord admin", charset="UTF-8"').status(401).json({ error: 'unauthorized', detail: 'Basic auth as admin required' });
  };
}

/**
 * Bull Board at {@link ADMIN_QUEUES_PATH} behind basic auth; absent (404) when no ADMIN_PASSWORD is set.
 * Bull Board's code (~4.5 MB resident) is loaded on the first authenticated request, not at start: most
 * web processes never serve the dashboard, and the webhook route's memory budget is tight.
 */
export function adminRoutes(deps: Pick<WebDeps, 'config' | 'queue'>): Router | undefined {
  const password = deps.config.adminPassword;
  if (!password) return undefined;
  let board: Promise<RequestHandler> | undefined;
  const loadBoard = async (): Promise<RequestHandler> => {
    const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/express'),
    ]);
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
    createBullBoard({ queues: [new BullMQAdapter(deps.queue, { readOnlyMode: false })], serverAdapter });
    return serverAdapter.getRouter() as RequestHandler;
  };
  const router = Router();
  router.use(ADMIN_QUEUES_PATH, basicAuth(password), (req, res, next) => {
    (board ??= loadBoard()).then(
      (handler) => handler(req, res, next),
      (error: unknown) => {
        board = undefined; // try again on the next request
        next(error);
      },
    );
  });
  return router;
}
