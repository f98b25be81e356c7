import type { Request, Response } from 'express';

/** Kick's reason-phrase for the `message` field of error envelopes. */
function reasonPhrase(status: number): string {
  switch (status) {
    case 400:
      return 'Bad request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not found';
    case 429:
      return 'Too many requests';
    default:
      return status >= 500 ? 'Internal server error' : 'Error';
  }
}

/** `{data, message:"OK"}` success envelope. */
export function sendOk(res: Response, data: unknown, status = 200, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ data, ...extra, message: 'OK' });
}

/** `{data:"<reason>", message:"Bad request"}` error envelope (message follows the status). */
export function sendError(res: Response, status: number, reason: string): void {
  res.status(status).json({ data: reason, message: reasonPhrase(status) });
}

/** OAuth error `{error, error_description}`. */
export function sendOAuthError(res: Response, status: number, error: string, description: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

/** A query parameter as a list (`?id=1&id=2`, `?id[]=1`, or a single value). */
export function queryList(req: Request, name: string): string[] {
  const query = req.query as Record<string, unknown>;
  const raw = query[name] ?? query[`${name}[]`];
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v): v is string => typeof v === 'string');
}

/** A single query parameter (first value if repeated). */
export function queryString(req: Request, name: string): string | undefined {
  return queryList(req, name)[0];
}

/** Parses a positive integer id; null when it is not one. */
export function parseId(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}

/** The Bearer token of a request, if any. */
export function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
