import { DiscordUserApiError, type DiscordUserCall } from './DiscordUserApiError.ts';
import type { RoleConnectionBody, RoleConnectionMetadataRecord } from './metadata.ts';

/** The current user as `GET /users/@me` returns it (fields kickcord reads). */
export interface DiscordCurrentUser {
  id: string;
  username: string;
  globalName: string | null;
}

/** One of the user's guilds as `GET /users/@me/guilds` returns it (fields kickcord reads). */
export interface DiscordUserGuild {
  id: string;
  name: string;
  owner: boolean;
  /** The user's permissions in the guild (Discord sends a decimal string). */
  permissions: bigint;
}

/** A guild member as the bot sees it (`GET /guilds/{guild}/members/{user}`). */
export interface DiscordGuildMember {
  userId: string;
  roles: string[];
}

/** A guild role (`GET /guilds/{guild}/roles`). */
export interface DiscordGuildRole {
  id: string;
  name: string;
  position: number;
  /** Managed by an integration (a bot's own role, boosts): nobody gives it by hand. */
  managed: boolean;
}

/** A guild channel (`GET /guilds/{guild}/channels`): `type` 0 is text, 5 announcement, 4 category. */
export interface DiscordGuildChannel {
  id: string;
  name: string;
  type: number;
  position: number;
  parentId: string | null;
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

  /** The user's guilds with their permissions there (scope `guilds`). */
  async getCurrentUserGuilds(accessToken: string): Promise<DiscordUserGuild[]> {
    const body = await this.#request('get_current_user_guilds', 'GET', '/users/@me/guilds', `Bearer ${accessToken}`);
    if (!Array.isArray(body)) throw new DiscordUserApiError({ status: 200, call: 'get_current_user_guilds', error: 'invalid_response', detail: 'not a list' });
    return body.flatMap((g: { id?: unknown; name?: unknown; owner?: unknown; permissions?: unknown }) =>
      typeof g.id === 'string' && typeof g.name === 'string' && typeof g.permissions === 'string' && /^\d+$/.test(g.permissions)
        ? [{ id: g.id, name: g.name, owner: g.owner === true, permissions: BigInt(g.permissions) }]
        : [],
    );
  }

  /** A member's roles as the bot sees them (bot token); null when the user is not a member (Discord's 10007 Unknown Member). */
  async getGuildMember(botToken: string, guildId: string, userId: string): Promise<DiscordGuildMember | null> {
    try {
      const body = (await this.#request('get_guild_member', 'GET', `/guilds/${guildId}/members/${userId}`, `Bot ${botToken}`)) as { user?: { id?: unknown }; roles?: unknown };
      return { userId, roles: Array.isArray(body.roles) ? body.roles.filter((r): r is string => typeof r === 'string') : [] };
    } catch (error) {
      if (error instanceof DiscordUserApiError && error.status === 404 && error.error === '10007') return null;
      throw error;
    }
  }

  /** A guild's roles, highest first (bot token). */
  async getGuildRoles(botToken: string, guildId: string): Promise<DiscordGuildRole[]> {
    const body = await this.#request('get_guild_roles', 'GET', `/guilds/${guildId}/roles`, `Bot ${botToken}`);
    if (!Array.isArray(body)) throw new DiscordUserApiError({ status: 200, call: 'get_guild_roles', error: 'invalid_response', detail: 'not a list' });
    return body
      .flatMap((r: { id?: unknown; name?: unknown; position?: unknown; managed?: unknown }) =>
        typeof r.id === 'string' && typeof r.name === 'string' ? [{ id: r.id, name: r.name, position: typeof r.position === 'number' ? r.position : 0, managed: r.managed === true }] : [],
      )
      .sort((a, b) => b.position - a.position);
  }

  /** A guild's channels in Discord's sidebar order (categories first by position, then channels), bot token. */
  async getGuildChannels(botToken: string, guildId: string): Promise<DiscordGuildChannel[]> {
    const body = await this.#request('get_guild_channels', 'GET', `/guilds/${guildId}/channels`, `Bot ${botToken}`);
    if (!Array.isArray(body)) throw new DiscordUserApiError({ status: 200, call: 'get_guild_channels', error: 'invalid_response', detail: 'not a list' });
    return body
      .flatMap((c: { id?: unknown; name?: unknown; type?: unknown; position?: unknown; parent_id?: unknown }) =>
        typeof c.id === 'string' && typeof c.type === 'number'
          ? [{ id: c.id, name: typeof c.name === 'string' ? c.name : c.id, type: c.type, position: typeof c.position === 'number' ? c.position : 0, parentId: typeof c.parent_id === 'string' ? c.parent_id : null }]
          : [],
      )
      .sort((a, b) => a.position - b.position || a.id.localeCompare(b.id));
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
