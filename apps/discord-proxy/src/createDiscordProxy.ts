import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { populateErrorResponse, populateSuccessfulResponse } from '@discordjs/proxy';
import { REST, type RequestMethod } from '@discordjs/rest';
import type { Logger } from 'pino';

/** Options of {@link createDiscordProxy}. */
export interface DiscordProxyOptions {
  /** Upstream Discord API base URL ending in `/api` (Discord's, or discord-sim's). */
  api: string;
  /** The bot's global request budget per second (Discord: 50). */
  globalRequestsPerSecond?: number;
  logger: Logger;
}

/** A running proxy server plus the REST instance that holds the shared rate-limit state. */
export interface DiscordProxy {
  server: Server;
  rest: REST;
}

/**
 * An HTTP server that forwards `/api/v10/...` requests to Discord through ONE `@discordjs/rest` instance,
 * so every bot process that points its REST client here (`DISCORD_REST_PROXY_URL`) shares one view of
 * Discord's per-route buckets and the bot's global limit: a bucket learned by one process is respected
 * by all, and requests wait in the proxy instead of collecting 429s. Each request keeps its own
 * `Authorization` header (the proxy holds no token). `GET /healthz` answers locally.
 *
 * Built from `@discordjs/proxy`'s response helpers, but the request body is read into memory before it
 * is queued: `proxyRequests` streams the body straight through, so a request that meets a 429 is
 * retried with an already-consumed stream and reaches Discord empty ("Cannot send an empty message").
 */
export function createDiscordProxy(options: DiscordProxyOptions): DiscordProxy {
  const rest = new REST({ api: options.api, globalRequestsPerSecond: options.globalRequestsPerSecond ?? 50 });
  rest.on('rateLimited', (info) =>
    options.logger.warn({ route: info.route, method: info.method, global: info.global, scope: info.scope, retryAfterMs: info.retryAfter }, 'discord rate limit reached; requests wait in the proxy'),
  );
  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'x-audit-log-reason'] as const) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    try {
      const answer = await rest.queueRequest({
        fullRoute: url.pathname.replace(/^\/api(\/v\d+)?/, '') as `/${string}`,
        method: (req.method ?? 'GET') as RequestMethod,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks), passThroughBody: true } : {}),
        auth: false,
        query: url.searchParams,
        headers,
      });
      await populateSuccessfulResponse(res, answer);
    } catch (error) {
      if (!populateErrorResponse(res, error)) throw error;
    } finally {
      res.end();
    }
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    void forward(req, res).catch((error: unknown) => {
      options.logger.error({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error), method: req.method, path: req.url?.split('?')[0] }, 'discord request failed in the proxy');
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'kickcord discord-proxy could not reach Discord' }));
    });
  });
  return { server, rest };
}
