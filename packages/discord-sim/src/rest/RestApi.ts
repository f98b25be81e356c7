import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRequestBody, type UploadedFile } from '../requestBody.ts';
import type { SimState } from '../state/SimState.ts';
import type { RateLimitMatch, RestCallRecord } from '../types.ts';
import { routeKey, type RateLimiter } from './RateLimiter.ts';
import { err, type Reply, type Route } from './reply.ts';

/** Discord's OAuth2 consent page (`discord.com/oauth2/authorize`, also served under `/api`). */
const AUTHORIZE_PATH = /^(?:\/api(?:\/v\d+)?)?\/oauth2\/authorize$/;
/** The token endpoints answer without a version too (`discord.com/api/oauth2/token`), as on Discord. */
const UNVERSIONED_OAUTH = /^\/api\/oauth2\/token(?:\/revoke)?$/;
const API_PREFIX = /^\/api(?:\/v10)?(?=\/)/;
const SECRET_FIELDS = new Set(['client_secret', 'code', 'refresh_token', 'token', 'code_verifier']);

/** A recorded body without OAuth2 secrets (client secret, codes, tokens). */
function redactSecrets(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return json;
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v]));
}

/** The `X-Audit-Log-Reason` header, URL-decoded as Discord reads it (clients percent-encode it to send any character). */
function auditLogReason(req: IncomingMessage): string | undefined {
  const raw = req.headers['x-audit-log-reason'];
  if (typeof raw !== 'string') return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const safeDecode = (seg: string): string => {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
};

/**
 * The HTTP side of the simulator: REST under `/api/v10` (auth, rate limits and forced 429s, routing,
 * recording every call) and attachment downloads under `/cdn/`.
 */
export class RestApi {
  /** Every REST request received, in order. */
  readonly calls: RestCallRecord[] = [];
  private readonly forced: (RateLimitMatch & { retryAfterSec: number })[] = [];

  constructor(
    private readonly state: SimState,
    private readonly routes: Route[],
    private readonly limiter: RateLimiter,
    private readonly baseUrl: () => string,
    /** The OAuth2 consent step (`GET /oauth2/authorize`), answered with Discord's redirect. */
    private readonly authorize: (url: URL, acceptsHtml: boolean) => Reply = () => err(404, 0, '404: Not Found'),
  ) {}

  /** Answer the next REST call matching `match` with a 429 carrying `Retry-After: retryAfterSec`. */
  rateLimitNext(match: RateLimitMatch, retryAfterSec: number): void {
    const { pathPrefix, ...rest } = match;
    this.forced.push({ ...rest, ...(pathPrefix === undefined ? {} : { pathPrefix: pathPrefix.replace(/^\/api\/v\d+/, '') }), retryAfterSec });
  }

  async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl());
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/cdn/')) {
      this.serveCdn(url, res);
      return;
    }
    if (method === 'GET' && AUTHORIZE_PATH.test(url.pathname)) {
      const reply = this.authorize(url, (req.headers.accept ?? '').includes('text/html'));
      const text = typeof reply.body === 'string' ? reply.body : reply.body === undefined ? undefined : JSON.stringify(reply.body);
      res.writeHead(reply.status, { via: '1.1 discord-sim', ...(typeof reply.body === 'string' || reply.body === undefined ? {} : { 'content-type': 'application/json' }), ...(reply.headers ?? {}) });
      res.end(text);
      return;
    }
    const body = await parseRequestBody(req);
    const path = url.pathname.replace(API_PREFIX, '').split('/').map(safeDecode).join('/');
    const reason = auditLogReason(req);
    const record: RestCallRecord = { method, path: path + url.search, body: redactSecrets(body.json), status: 0, at: new Date(), ...(reason === undefined ? {} : { auditLogReason: reason }) };
    this.calls.push(record);
    let reply: Reply;
    try {
      reply = await this.handle(method, path, url, req, body.invalid ? null : body.json, body.files, body.invalid);
    } catch (e) {
      reply = { status: 500, body: { message: `discord-sim internal error: ${(e as Error).message}`, code: 0 } };
    }
    record.status = reply.status;
    const headers: Record<string, string> = { via: '1.1 discord-sim', ...(reply.headers ?? {}) };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
    } else {
      res.writeHead(reply.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    }
  }

  private serveCdn(url: URL, res: ServerResponse): void {
    const m = /^\/cdn\/(?:ephemeral-)?attachments\/\d+\/(\d+)\//.exec(url.pathname);
    const a = m ? this.state.attachments.get(m[1] as string) : undefined;
    if (!a) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': a.contentType ?? 'application/octet-stream', 'content-length': String(a.size) }).end(a.content);
  }

  private async handle(method: string, path: string, url: URL, req: IncomingMessage, json: unknown, files: UploadedFile[], invalid: boolean): Promise<Reply> {
    if (!url.pathname.startsWith('/api/v10/') && !UNVERSIONED_OAUTH.test(url.pathname)) return err(404, 0, '404: Not Found');
    let bearerOnly = false;
    for (const [m, re, handler, auth] of this.routes) {
      if (m !== method) continue;
      const match = re.exec(path);
      if (!match) continue;
      if (auth === 'bearer' && !req.headers.authorization?.startsWith('Bearer ')) {
        bearerOnly = true;
        continue;
      }
      if (auth === true && req.headers.authorization !== `Bot ${this.state.identity.token}`) return err(401, 0, '401: Unauthorized');
      const key = routeKey(method, path);
      const forced = this.takeForced(method, path);
      if (forced !== null) return this.limiter.forced(key, forced);
      const taken = this.limiter.take(key, req.headers.authorization);
      if ('limited' in taken) return taken.limited;
      const reply = invalid ? err(400, 50109, 'The request body contains invalid JSON.') : await handler(match, { method, url, json: (json ?? {}) as Record<string, unknown>, files, authorization: req.headers.authorization, auditLogReason: auditLogReason(req) });
      return Object.keys(taken.headers).length ? { ...reply, headers: { ...taken.headers, ...(reply.headers ?? {}) } } : reply;
    }
    // An OAuth2-only route called with a bot token (or none): Discord answers 401.
    return bearerOnly ? err(401, 0, '401: Unauthorized') : err(404, 0, '404: Not Found');
  }

  /** Retry-After seconds of the first forced 429 matching this request (removing it), or null. */
  private takeForced(method: string, path: string): number | null {
    const i = this.forced.findIndex((r) => (!r.method || r.method.toUpperCase() === method) && (!r.pathPrefix || path.startsWith(r.pathPrefix)));
    if (i < 0) return null;
    const [rule] = this.forced.splice(i, 1);
    return (rule as { retryAfterSec: number }).retryAfterSec;
  }
}
