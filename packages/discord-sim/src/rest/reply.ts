import { formErrorsObject, type FormError } from '../commandValidation.ts';
import type { UploadedFile } from '../requestBody.ts';

/** What a REST handler answers: status, JSON body (none for 204) and extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The parsed request a route handler sees. */
export interface RouteContext {
  method: string;
  url: URL;
  json: Record<string, unknown>;
  files: UploadedFile[];
  /** The request's `Authorization` header (OAuth2 routes check bearer tokens and client credentials themselves). */
  authorization: string | undefined;
  /** The request's `X-Audit-Log-Reason`, decoded (what Discord writes to the audit log entry). */
  auditLogReason: string | undefined;
}

/** A route handler: `m` is the path match (capture groups are the path parameters). */
export type Handler = (m: RegExpExecArray, ctx: RouteContext) => Reply | Promise<Reply>;

/**
 * One REST route: method, path pattern (after `/api/v10`), handler, and its auth: `true` needs the bot token,
 * `false` none (or the handler checks it), `'bearer'` matches only requests with a bearer token (the handler checks
 * its scope), so a bot-token request to the same path goes on to the bot's route.
 */
export type Route = [method: string, path: RegExp, handler: Handler, auth: boolean | 'bearer'];

/** A Discord JSON error answer (`{ message, code, errors? }`). */
export function err(status: number, code: number, message: string, errors?: FormError[]): Reply {
  return { status, body: { message, code, ...(errors ? { errors: formErrorsObject(errors) } : {}) } };
}

/** A success answer with a JSON body. */
export const ok = (body: unknown, status = 200): Reply => ({ status, body });

/** Whether a lookup result is an error answer rather than the object looked up. */
export const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'status' in x && !('channelId' in x);

export const UNKNOWN_CHANNEL = (): Reply => err(404, 10003, 'Unknown Channel');
export const UNKNOWN_GUILD = (): Reply => err(404, 10004, 'Unknown Guild');
export const UNKNOWN_MEMBER = (): Reply => err(404, 10007, 'Unknown Member');
export const UNKNOWN_MESSAGE = (): Reply => err(404, 10008, 'Unknown Message');
export const UNKNOWN_ROLE = (): Reply => err(404, 10011, 'Unknown Role');
export const UNKNOWN_WEBHOOK = (): Reply => err(404, 10015, 'Unknown Webhook');
export const UNKNOWN_INTERACTION = (): Reply => err(404, 10062, 'Unknown interaction');
export const MISSING_ACCESS = (): Reply => err(403, 50001, 'Missing Access');
export const MISSING_PERMISSIONS = (): Reply => err(403, 50013, 'Missing Permissions');
export const invalidForm = (errors: FormError[]): Reply => err(400, 50035, 'Invalid Form Body', errors);
