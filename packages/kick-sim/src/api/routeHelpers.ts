/** What every API route file shares: the auth guard, JSON body parsing, paging and its cursors. */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ENDPOINT_SCOPES, LIVESTREAMS_DEFAULT_LIMIT, LIVESTREAMS_MAX_LIMIT } from '../constants.ts';
import type { CallLocals } from '../context.ts';
import { bearerToken, queryString, sendError, sendOk } from '../http.ts';
import type { SimState, TokenRecord } from '../SimState.ts';

/** Kick's "no time" value for a stream that is not running. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** The auth guard of one endpoint (`METHOD /path`, a key of ENDPOINT_SCOPES). */
export type Guard = (key: string, options?: { userOnly?: boolean }) => RequestHandler;

/** 401 without a live token; 403 when a USER token lacks the endpoint's scope (or `userOnly` and it is an app token). */
export function createGuard(state: SimState): Guard {
  return (key, options = {}) =>
    (req: Request, res: Response, next: NextFunction): void => {
      const presented = bearerToken(req);
      if (!presented) return sendError(res, 401, 'Unauthorized: missing Authorization: Bearer <token> header');
      const token = state.activeToken(presented, 'access');
      if (!token) return sendError(res, 401, 'Unauthorized: invalid or expired access token');
      (res.locals as CallLocals).token = token;
      if (options.userOnly && token.tokenType !== 'user') return sendError(res, 403, 'This endpoint requires a user access token');
      const scope = ENDPOINT_SCOPES[key];
      if (scope === undefined) throw new Error(`kick-sim bug: no scope entry for ${key}`);
      const anyOf: readonly string[] = scope === null ? [] : typeof scope === 'string' ? [scope] : scope;
      if (token.tokenType === 'user' && anyOf.length > 0 && !anyOf.some((s) => token.scopes.includes(s))) {
        return sendError(res, 403, `Forbidden: missing scope ${anyOf.join(' or ')}`);
      }
      next();
    };
}

/** The token the guard accepted for this request. */
export function tokenOf(res: Response): TokenRecord {
  const token = (res.locals as CallLocals).token;
  if (!token) throw new Error('kick-sim bug: route ran without the auth guard');
  return token;
}

/** A positive integer id, as a JSON number or a string of digits. */
export const idSchema = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);

/** Parses a JSON body with zod; answers 400 with the first issue on failure. */
export function parseBody<T>(schema: z.ZodType<T>, req: Request, res: Response): T | null {
  const result = schema.safeParse(req.body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  sendError(res, 400, issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid request body');
  return null;
}

/** Offset-based opaque cursor. */
function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}
function decodeCursor(cursor: string | undefined): number | null {
  if (!cursor) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    return typeof parsed.o === 'number' && Number.isSafeInteger(parsed.o) && parsed.o >= 0 ? parsed.o : null;
  } catch {
    return null;
  }
}

/** Reads `limit` + `cursor`, or answers 400 and returns null. */
export function pageParams(req: Request, res: Response): { limit: number; offset: number } | null {
  const rawLimit = queryString(req, 'limit');
  const limit = rawLimit === undefined ? LIVESTREAMS_DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > LIVESTREAMS_MAX_LIMIT) {
    sendError(res, 400, `limit must be an integer between 1 and ${LIVESTREAMS_MAX_LIMIT}`);
    return null;
  }
  const offset = decodeCursor(queryString(req, 'cursor'));
  if (offset === null) {
    sendError(res, 400, 'invalid cursor');
    return null;
  }
  return { limit, offset };
}

/** Answers one page of `items` with Kick's `pagination.next_cursor` ('' on the last page). */
export function sendPage<T>(res: Response, items: T[], page: { limit: number; offset: number }): void {
  const slice = items.slice(page.offset, page.offset + page.limit);
  const nextOffset = page.offset + page.limit;
  sendOk(res, slice, 200, { pagination: { next_cursor: nextOffset < items.length ? encodeCursor(nextOffset) : '' } });
}
