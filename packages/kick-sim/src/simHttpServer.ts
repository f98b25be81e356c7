/**
 * The simulator's HTTP side: one Express app serving Kick's OAuth host and API host, with the API call log
 * and scripted failures in front of the routers.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createApiRouter } from './apiRouter.ts';
import type { CallLocals, SimContext } from './context.ts';
import { sendError } from './http.ts';
import { createOAuthRouter } from './oauthRouter.ts';
import type { ApiCallRecord } from './types.ts';

/** Records every finished request in `state.apiCalls` (with the caller's client and user when known). */
function recordCall(ctx: SimContext, req: Request, res: Response, next: NextFunction): void {
  res.on('finish', () => {
    const token = (res.locals as CallLocals).token;
    const clientId = token?.clientId ?? (typeof res.locals['clientId'] === 'string' ? res.locals['clientId'] : undefined);
    const call: ApiCallRecord = { method: req.method, path: req.originalUrl.split('?')[0] ?? req.originalUrl, status: res.statusCode, at: ctx.state.clock.now() };
    if (clientId !== undefined) call.clientId = clientId;
    if (token?.userId != null) call.userId = token.userId;
    ctx.state.apiCalls.push(call);
  });
  next();
}

/** Serves the first matching scripted failure (see `failNextRequests`) instead of routing the request. */
function injectFailure(ctx: SimContext, req: Request, res: Response, next: NextFunction): void {
  const path = req.path;
  const failure = ctx.failures.find(
    (f) =>
      f.remaining > 0 &&
      (f.method === undefined || f.method.toUpperCase() === req.method) &&
      (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
  );
  if (!failure) return next();
  failure.remaining--;
  if (failure.retryAfterSec !== undefined) res.set('Retry-After', String(failure.retryAfterSec));
  if (failure.body !== undefined) return void res.status(failure.status).json(failure.body);
  sendError(res, failure.status, failure.status === 429 ? 'Too Many Requests' : 'Injected failure');
}

/** The Express app of the simulator: call log, scripted failures, OAuth and API routers, 404 and error handler. */
export function createSimHttpApp(ctx: SimContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((req, res, next) => recordCall(ctx, req, res, next));
  app.use((req, res, next) => injectFailure(ctx, req, res, next));
  app.use(createOAuthRouter(ctx));
  app.use(createApiRouter(ctx));
  app.use((_req: Request, res: Response) => sendError(res, 404, 'Not found'));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500;
    if (status >= 500) console.error('[kick-sim] request failed:', err);
    if (!res.headersSent) sendError(res, status, status === 400 ? 'Invalid request body (malformed JSON?)' : 'Internal server error');
  });
  return app;
}

/** Listens on `host:port` (port 0 = any free port) and returns the server and its base URL. */
export async function listenHttp(app: Express, host: string, port: number): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const address = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return { server, url: `http://${urlHost}:${address.port}` };
}
