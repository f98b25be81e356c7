import { RedisStore } from 'connect-redis';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { RedisConnection } from '@kickcord/queue';

/** The dashboard's session cookie (path `/dashboard`). */
export const DASHBOARD_COOKIE = 'kc_dashboard';
/** A session lasts this long after its last use (rolling), then the user logs in again. */
export const DASHBOARD_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A guild as `/users/@me/guilds` listed it at login or the last refresh (permissions as a decimal string). */
export interface SessionGuild {
  id: string;
  name: string;
  owner: boolean;
  permissions: string;
}

declare module 'express-session' {
  interface SessionData {
    /** The OAuth state of a login in progress (also kept, one-time, in Redis). */
    oauthState?: string;
    /** Where to go after login (a dashboard path). */
    returnTo?: string;
    /** The logged-in Discord user. */
    user?: { id: string; username: string };
    /** Their Discord access token (scopes `identify guilds`), encrypted with TOKEN_ENCRYPTION_KEY. */
    accessTokenEnc?: string;
    /** Their guilds and permissions, refreshed when older than a minute. */
    guilds?: { at: number; list: SessionGuild[] };
    /** Their roles per guild as the bot saw them (null = not a member), refreshed when older than a minute. */
    memberRoles?: Record<string, { at: number; roles: string[] | null }>;
    /** A notice for the next page (after a form's redirect), shown once. */
    flash?: { ok: boolean; text: string };
  }
}

/** Redis key prefix of dashboard sessions under the install prefix. */
export function dashboardSessionPrefix(installPrefix: string): string {
  return `${installPrefix}:dashboard:sess:`;
}

/**
 * Server-side sessions in Redis (express-session + connect-redis) under `<QUEUE_PREFIX>:dashboard:sess:`; the cookie
 * is HttpOnly, SameSite=Lax, scoped to `/dashboard`, and Secure when PUBLIC_URL is https.
 */
export function dashboardSession(input: { redis: RedisConnection; installPrefix: string; secret: string; secure: boolean }): RequestHandler {
  return session({
    name: DASHBOARD_COOKIE,
    store: new RedisStore({ client: input.redis, prefix: dashboardSessionPrefix(input.installPrefix), ttl: DASHBOARD_SESSION_TTL_MS / 1000 }),
    secret: input.secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    // Behind the operator's TLS-terminating proxy (the app trusts loopback and private proxies).
    proxy: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: input.secure, path: '/dashboard', maxAge: DASHBOARD_SESSION_TTL_MS },
  });
}
