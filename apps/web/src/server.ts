import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { WebDeps } from './deps.ts';
import { loggedResponseHeaders } from './logger.ts';
import { dashboardRoutes } from './dashboard/dashboardRoutes.ts';
import { html, page } from './pages/html.ts';
import { accountLinkRoutes } from './routes/accountLinkRoutes.ts';
import { adminRoutes } from './routes/adminRoutes.ts';
import { commandListRoutes } from './routes/commandListRoutes.ts';
import { connectRoutes } from './routes/connectRoutes.ts';
import { leaderboardRoutes } from './routes/leaderboardRoutes.ts';
import { linkedRolesRoutes } from './routes/linkedRolesRoutes.ts';
import { opsRoutes } from './routes/opsRoutes.ts';
import { endOverlayStreams, loggedPath, overlayRoutes } from './overlays/overlayRoutes.ts';
import { securityHeaders } from './securityHeaders.ts';
import { createWebhookHandler } from './webhooks/createWebhookHandler.ts';

/** The hot route, served outside Express. */
export const WEBHOOK_PATH = '/webhooks/kick';
/** In-flight requests get this long to finish on shutdown before connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;
/**
 * A whole request (headers and body) must arrive within this long on any route (Node answers 408 and
 * closes); at least the headers timeout. The webhook route's own body deadline is much shorter.
 */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How often Node checks connections against the headers and request timeouts. */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

function wantsHtml(path: string): boolean {
  return path.startsWith('/connect/') || path.startsWith('/oauth/') || path.startsWith('/leaderboard/') || path.startsWith('/c/') || path.startsWith('/linked-roles') || path.startsWith('/dashboard');
}

/**
 * Builds the Express app: connect flow, leaderboard, health/readiness/metrics, Bull Board — every
 * route except `POST /webhooks/kick`, which {@link createWebServer} serves on bare node:http.
 */
export function createWebApp(deps: WebDeps): Express {
  return buildWebApp(deps).app;
}

function buildWebApp(deps: WebDeps): { app: Express; close(): Promise<void> } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(securityHeaders());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: requestId,
      autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url ?? '') },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      serializers: {
        // The URL may carry a connect token or an OAuth code: log the path only.
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: loggedPath(String(req.url).split('?')[0] ?? '') }),
        // Redirects to Kick's consent page carry the OAuth state and the PKCE challenge in `Location`.
        res: (res: { statusCode: number; headers?: Record<string, unknown> }) => ({ statusCode: res.statusCode, headers: loggedResponseHeaders(res.headers) }),
      },
    }),
  );
  app.use(opsRoutes(deps));
  // Before the connect flow: viewer link sign-ins share its callback path (their states start with `lk.`).
  app.use(accountLinkRoutes(deps));
  app.use(connectRoutes(deps));
  app.use(leaderboardRoutes(deps));
  app.use(commandListRoutes(deps));
  app.use(linkedRolesRoutes(deps));
  app.use(dashboardRoutes(deps));
  app.use(overlayRoutes(deps));
  const admin = adminRoutes(deps);
  if (admin) app.use(admin.router);

  app.use((req, res) => {
    if (wantsHtml(req.path)) {
      res.status(404).type('html').send(page({ title: 'Not found', tone: 'bad', body: html`<h1>Not found</h1>` }));
      return;
    }
    res.status(404).json({ error: 'not_found', detail: `${req.method} ${req.path} does not exist` });
  });

  const onError: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const status = typeof (error as { status?: unknown }).status === 'number' ? ((error as { status: number }).status) : 500;
    const code = status >= 500 ? 'internal_error' : 'bad_request';
    req.log?.error({ err: error }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    if (wantsHtml(req.path)) {
      res
        .status(status)
        .type('html')
        .send(page({ title: 'Something went wrong', tone: 'bad', body: html`<h1>Something went wrong</h1><p>Please try again in a moment. Request id: ${String(req.id ?? '')}</p>` }));
      return;
    }
    res.status(status).json({ error: code, detail: status >= 500 ? 'Unexpected error' : (error as Error).message });
  };
  app.use(onError);
  return { app, close: admin ? admin.close : () => Promise.resolve() };
}

/** What {@link createWebServer} returns. */
export interface WebServer {
  server: Server;
  app: Express;
  /** Starts listening (port 0 = any free port); resolves with the base URL. */
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops accepting, lets in-flight requests finish (up to {@link SHUTDOWN_GRACE_MS}), then resolves. Does not close deps. */
  close(): Promise<void>;
  /** Webhook bodies being read now. */
  readonly pendingWebhookBodies: number;
  /** Bytes those bodies have buffered. */
  readonly pendingWebhookBodyBytes: number;
}

/**
 * The HTTP server: `POST /webhooks/kick` goes straight to the webhook handler (no Express router or
 * middleware on the hot path), everything else to {@link createWebApp}.
 */
export function createWebServer(deps: WebDeps): WebServer {
  const { app, close: closeApp } = buildWebApp(deps);
  const webhook = createWebhookHandler({
    queue: deps.queue,
    redis: deps.redis,
    prisma: deps.prisma,
    keyProvider: deps.keyProvider,
    metrics: deps.metrics,
    logger: deps.logger,
    maxAgeMs: deps.config.webhookMaxAgeMs,
    maxBodyBytes: deps.config.webhookMaxBodyBytes,
    verifyThreads: deps.config.webhookVerifyThreads,
    bodyTimeoutMs: deps.config.webhookBodyTimeoutMs,
    maxPendingBodies: deps.config.webhookMaxPendingBodies,
    pendingBodyBytes: deps.config.webhookPendingBodyBytes,
  });
  const server = createServer({ connectionsCheckingInterval: CONNECTIONS_CHECK_INTERVAL_MS }, (req, res) => {
    const url = req.url ?? '/';
    if (req.method === 'POST' && (url === WEBHOOK_PATH || url.startsWith(`${WEBHOOK_PATH}?`))) {
      webhook(req, res);
      return;
    }
    app(req, res);
  });
  // Longer than common load balancer idle timeouts, so the LB closes first. (Since Node 18 the headers
  // timeout runs from a request's first byte, not across an idle keep-alive connection.)
  server.keepAliveTimeout = 65_000;
  // Slow senders of headers (every route) and of whole requests are cut off; the webhook route's body
  // has its own, shorter deadline.
  server.headersTimeout = deps.config.headersTimeoutMs;
  server.requestTimeout = Math.max(REQUEST_TIMEOUT_MS, deps.config.headersTimeoutMs);
  let closing: Promise<void> | undefined;
  deps.metrics.observePendingBodies(() => ({ bodies: webhook.pendingBodies, bytes: webhook.pendingBodyBytes }));
  return {
    server,
    app,
    get pendingWebhookBodies() {
      return webhook.pendingBodies;
    },
    get pendingWebhookBodyBytes() {
      return webhook.pendingBodyBytes;
    },
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
          resolve({ url: `http://${shownHost}:${address.port}`, port: address.port });
        });
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        endOverlayStreams(deps);
        const release = () => void Promise.allSettled([webhook.close(), closeApp()]).then(() => resolve());
        if (!server.listening) {
          release();
          return;
        }
        const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          release();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
