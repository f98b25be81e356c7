import { Router, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { OVERLAY_WIDGETS, type OverlayWidget } from '@kickcord/queue';
import type { WebDeps } from '../deps.ts';
import { OVERLAY_ASSETS_PATH, overlayAssets } from './overlayAssets.ts';
import { normalizeStreamId, OverlayHub, OverlayStreamRefusal, STREAM_ID_PATTERN, type OverlayHubOptions } from './OverlayHub.ts';
import { overlayPage, widgetAttributes } from './overlayPages.ts';
import { OverlayTokenCache } from './overlayTokens.ts';

/** The overlays' root: `/overlay/<token>/<widget>` pages, `/overlay/<token>/events` streams, `/overlay/assets/*` files. */
export const OVERLAY_PATH = '/overlay';
/** How far ahead of this server's clock a `Last-Event-ID` may be (stream ids start with Redis's clock in ms). */
const MAX_EVENT_ID_SKEW_MS = 5 * 60_000;

/**
 * Overlay pages load only this app's script, stylesheet, font and sounds and open only their own event stream:
 * nothing from another origin, no inline code. Replaces the headers the app set for its other pages.
 */
const overlayHeaders = helmet({
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      fontSrc: ["'self'"],
      mediaSrc: ["'self'"],
      connectSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
    },
  },
});

/** The hubs serving each app's overlays, so the server can end their streams when it shuts down. */
const hubsByDeps = new WeakMap<object, Set<OverlayHub>>();

/**
 * Ends every open overlay stream of the apps built from `deps` (call when the server starts shutting down: streams
 * never finish by themselves). Overlays reconnect to another replica and resume after their last event.
 */
export function endOverlayStreams(deps: object): void {
  for (const hub of hubsByDeps.get(deps) ?? []) hub.close();
}

/** A request path as logged: the overlay key in `/overlay/<token>/…` is a secret and is replaced. */
export function loggedPath(path: string): string {
  return path.startsWith(`${OVERLAY_PATH}/`) && !path.startsWith(`${OVERLAY_ASSETS_PATH}/`) ? path.replace(/^\/overlay\/[^/]*/, '/overlay/[redacted]') : path;
}

function notFound(res: Response): void {
  res.status(404).set('cache-control', 'no-store').type('text/plain').send('Not found');
}

function badRequest(res: Response, message: string): void {
  res.status(400).set('cache-control', 'no-store').type('text/plain').send(message);
}

function wantsEventStream(req: Request): boolean {
  return (req.headers.accept ?? '').includes('text/event-stream');
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The id to resume after (the `Last-Event-ID` header, else `?lastEventId=`), null for none, or a refusal text. */
function resumeId(req: Request): { id: string | null } | { error: string } {
  const header = req.headers['last-event-id'];
  const given = typeof header === 'string' && header !== '' ? header : single(req.query.lastEventId);
  if (given === undefined || given === '') return { id: null };
  if (!STREAM_ID_PATTERN.test(given)) return { error: `Last-Event-ID must be an event id from this stream, like 1700000000000-0; got "${given.slice(0, 40)}".` };
  if (Number(given.split('-')[0]) > Date.now() + MAX_EVENT_ID_SKEW_MS) return { error: `Last-Event-ID "${given}" is in the future; reconnect without it.` };
  return { id: normalizeStreamId(given) };
}

/** Express 5 passes a rejected promise to `next`; this keeps the handler types simple. */
function handle(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    fn(req, res).catch(next);
  };
}

/**
 * OBS overlays: `GET /overlay/<token>/<widget>` is a widget page (alerts, events, leaderboard, game, chat, goal) and
 * `GET /overlay/<token>/events` with `Accept: text/event-stream` (what EventSource sends) is the guild's event stream,
 * served by one {@link OverlayHub} per app. Unknown, revoked and malformed keys get a bare 404.
 */
export function overlayRoutes(deps: Pick<WebDeps, 'prisma' | 'redis' | 'config' | 'logger'>, options: Partial<OverlayHubOptions> = {}): Router {
  const router = Router();
  const tokens = new OverlayTokenCache(deps.prisma);
  const hub = new OverlayHub({ prisma: deps.prisma, redis: deps.redis, installPrefix: deps.config.installPrefix, logger: deps.logger.child({ component: 'overlays' }), tokens }, options);
  let hubs = hubsByDeps.get(deps);
  if (!hubs) hubsByDeps.set(deps, (hubs = new Set()));
  hubs.add(hub);
  const assets = overlayAssets();

  const overlay = Router();
  overlay.use(overlayHeaders);
  overlay.get('/assets/:file', (req, res) => {
    const asset = assets.files.get(req.params.file ?? '');
    if (!asset) {
      notFound(res);
      return;
    }
    // The file name carries the content's hash: a new version is a new URL.
    res.set({ 'cache-control': 'public, max-age=31536000, immutable', etag: asset.etag, 'content-type': asset.contentType });
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    res.send(asset.body);
  });
  overlay.get(
    '/:token/:widget',
    handle(async (req, res) => {
      const widgetName = single(req.params.widget) ?? '';
      const stream = widgetName === 'events' && wantsEventStream(req);
      if (!stream && !(OVERLAY_WIDGETS as readonly string[]).includes(widgetName)) {
        notFound(res);
        return;
      }
      const key = await tokens.lookup(single(req.params.token) ?? '');
      if (!key) {
        notFound(res);
        return;
      }
      if (!stream) {
        const widget = widgetName as OverlayWidget;
        const parsed = widgetAttributes(widget, req.query as Record<string, unknown>);
        if (!parsed.ok) {
          badRequest(res, parsed.error);
          return;
        }
        res.set({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex' }).type('html').send(overlayPage(widget, parsed.attrs, assets));
        return;
      }
      const filter = single(req.query.widget);
      if (filter !== undefined && !(OVERLAY_WIDGETS as readonly string[]).includes(filter)) {
        badRequest(res, `widget must be one of ${OVERLAY_WIDGETS.join(', ')}; got "${filter.slice(0, 40)}".`);
        return;
      }
      const resume = resumeId(req);
      if ('error' in resume) {
        badRequest(res, resume.error);
        return;
      }
      if (req.method === 'HEAD') {
        res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' }).end();
        return;
      }
      try {
        await hub.connect(res, key, (filter as OverlayWidget | undefined) ?? null, resume.id);
      } catch (error) {
        if (!(error instanceof OverlayStreamRefusal) || res.headersSent) throw error;
        res.status(error.status).set('cache-control', 'no-store');
        if (error.status === 429) res.set('retry-after', '30');
        res.type('text/plain').send(error.message);
      }
    }),
  );
  overlay.use((_req, res) => notFound(res));
  router.use(OVERLAY_PATH, overlay);
  return router;
}
