import { DiscordUserApiError, type DiscordUserCall } from './DiscordUserApiError.ts';
import type { RoleConnectionBody, RoleConnectionMetadataRecord } from './metadata.ts';

/** The current user as `GET /users/@me` returns it (fields kickcord reads). */
export interface DiscordCurrentUser {
  id: string;
  username: string;
  globalName: string | null;
}

/** Options of {@link DiscordUserApi}. */
export interface DiscordUserApiOptions {
  /** Discord's API base ending in `/api` (default `https://discord.com/api`). */
  apiUrl?: string;
  /** Per-request timeout (default 10000 ms). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The few Discord REST calls Linked Roles makes outside discord.js: as the user (bearer token) `GET /users/@me`
 * and `PUT /users/@me/applications/{id}/role-connection`, and as the bot `PUT /applications/{id}/role-connections/metadata`.
 * Each has a timeout; a refusal is a {@link DiscordUserApiError} (429s carry Discord's `retry_after`).
 */
export class DiscordUserApi {
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: DiscordUserApiOptions = {}) {
    this.#base = `${(options.apiUrl ?? 'https://discord.com/api').replace(/\/+$/, '')}/v10`;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? fetch;
  }

  async getCurrentUser(accessToken: string): Promise<DiscordCurrentUser> {
    const body = (await this.#request('get_current_user', 'GET', '/users/@me', `Bearer ${accessToken}`)) as { id?: unknown; username?: unknown; global_name?: unknown };
    if (typeof body.id !== 'string' || typeof body.username !== 'string') throw new DiscordUserApiError({ status: 200, call: 'get_current_user', error: 'invalid_response', detail: 'no id or username' });
    return { id: body.id, username: body.username, globalName: typeof body.global_name === 'string' ? body.global_name : null };
  }

  async putRoleConnection(accessToken: string, applicationId: string, connection: RoleConnectionBody): Promise<void> {
    await this.#request('put_role_connection', 'PUT', `/users/@me/applications/${applicationId}/role-connection`, `Bearer ${accessToken}`, connection);
  }

  /** Replaces the application's metadata records (bot token). Returns what Discord stored. */
  async putRoleConnectionMetadata(botToken: string, applicationId: string, records: readonly RoleConnectionMetadataRecord[]): Promise<RoleConnectionMetadataRecord[]> {
    return (await this.#request('put_role_connection_metadata', 'PUT', `/applications/${applicationId}/role-connections/metadata`, `Bot ${botToken}`, records)) as RoleConnectionMetadataRecord[];
  }

  async #request(call: DiscordUserCall, method: string, path: string, authorization: string, json?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers: { authorization, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: unknown })?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new DiscordUserApiError({ status: 0, call, detail: timedOut ? `${method} ${path.replace(/\d{15,}/g, '{id}')} timed out after ${this.#timeoutMs} ms` : 'network error' });
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.ok) return body;
    const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const retryAfterSec = Number(b.retry_after ?? res.headers.get('retry-after'));
    throw new DiscordUserApiError({
      status: res.status,
      call,
      error: b.code !== undefined ? String(b.code) : null,
      body,
      retryAfterMs: res.status === 429 && Number.isFinite(retryAfterSec) ? Math.ceil(retryAfterSec * 1000) : null,
      detail: typeof b.message === 'string' ? b.message : undefined,
    });
  }
}
