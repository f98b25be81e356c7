import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DiscordUserApiError, findLinkByDiscord, issueAccountLinkUrl, LINKED_ROLES_SCOPES, type DiscordTokenSet } from '@kickcord/connections';
import type { WebDeps } from '../deps.ts';
import { linkedRolesFailurePage, linkedRolesLinkKickPage, linkedRolesVerifiedPage, type LinkedRolesFailure } from '../pages/linkedRolesPages.ts';

/** The Linked Roles Verification URL to enter in the Developer Portal (General Information): `${PUBLIC_URL}/linked-roles`. */
export const LINKED_ROLES_PATH = '/linked-roles';
/** Where Discord redirects back (add `${PUBLIC_URL}/linked-roles/callback` under OAuth2 → Redirects). */
export const LINKED_ROLES_CALLBACK_PATH = '/linked-roles/callback';
/** Time to approve on Discord's consent page. */
export const LINKED_ROLES_STATE_TTL_MS = 10 * 60 * 1000;
/** Verifications one client address may start per {@link LINKED_ROLES_STATE_TTL_MS} (each keeps a state in Redis). */
export const LINKED_ROLES_STARTS_PER_WINDOW = 20;
/** Cookie that binds the OAuth state to the browser that started the sign-in. */
const STATE_COOKIE = 'kc_linked_roles_state';

/** The web app's Redis key of a Linked Roles sign-in in progress, under the install prefix. */
export function linkedRolesStateKey(prefix: string, state: string): string {
  return `${prefix}:linked-roles:state:${state}`;
}

function noStore(res: Response): Response {
  return res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
}

function fail(res: Response, failure: LinkedRolesFailure): void {
  const p = linkedRolesFailurePage(failure);
  noStore(res).status(p.status).type('html').send(p.html);
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 4096 ? value : undefined;
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * Discord Linked Roles verification: `GET /linked-roles` (the Verification URL Discord opens from a server's
 * Linked Roles menu) → Discord's consent page (`identify role_connections.write`, one-time state in Redis bound to
 * this browser by a cookie) → `GET /linked-roles/callback`: exchanges the code, stores the user's Discord tokens
 * encrypted, writes the role connection (platform "Kick", the linked Kick username and values) and shows them —
 * or, without a Kick link, how to link (the updater writes the values once the link exists).
 */
export function linkedRolesRoutes(deps: Pick<WebDeps, 'prisma' | 'cipher' | 'config' | 'logger' | 'redis' | 'linkedRoles'>): Router {
  const router = Router();
  const redirectUri = `${deps.config.publicUrl}${LINKED_ROLES_CALLBACK_PATH}`;
  const secureCookie = deps.config.publicUrl.startsWith('https://');

  const starts = new RateLimiterRedis({
    storeClient: deps.redis,
    keyPrefix: `${deps.config.installPrefix}:linked-roles:starts`,
    points: LINKED_ROLES_STARTS_PER_WINDOW,
    duration: LINKED_ROLES_STATE_TTL_MS / 1000,
  });

  router.get(LINKED_ROLES_PATH, async (req, res) => {
    const lr = deps.linkedRoles;
    if (!lr) return fail(res, 'not_configured');
    try {
      await starts.consume(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      res.set('retry-after', String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))));
      return fail(res, 'too_many');
    }
    const state = randomBytes(24).toString('base64url');
    await deps.redis.set(linkedRolesStateKey(deps.config.installPrefix, state), '1', 'PX', LINKED_ROLES_STATE_TTL_MS);
    res.cookie(STATE_COOKIE, state, { httpOnly: true, sameSite: 'lax', secure: secureCookie, path: LINKED_ROLES_PATH, maxAge: LINKED_ROLES_STATE_TTL_MS });
    noStore(res).redirect(302, lr.oauth.authorizeUrl({ redirectUri, state, scopes: LINKED_ROLES_SCOPES }));
  });

  router.get(LINKED_ROLES_CALLBACK_PATH, async (req, res) => {
    const lr = deps.linkedRoles;
    if (!lr) return fail(res, 'not_configured');
    const state = single(req.query.state);
    res.clearCookie(STATE_COOKIE, { path: LINKED_ROLES_PATH });
    if (!state || cookieOf(req, STATE_COOKIE) !== state) return fail(res, 'state_invalid');
    // One-time: whoever reads the state first owns the sign-in.
    if ((await deps.redis.getdel(linkedRolesStateKey(deps.config.installPrefix, state))) === null) return fail(res, 'state_invalid');
    const discordError = single(req.query.error);
    if (discordError) {
      deps.logger.info({ discordError }, 'linked roles verification declined');
      return fail(res, discordError === 'access_denied' ? 'denied' : 'exchange_failed');
    }
    const code = single(req.query.code);
    if (!code) return fail(res, 'state_invalid');

    let tokens: DiscordTokenSet;
    let user: { id: string; username: string };
    try {
      tokens = await lr.oauth.exchangeCode({ code, redirectUri });
      if (!tokens.scopes.includes('role_connections.write')) return fail(res, 'scope_missing');
      user = await lr.api.getCurrentUser(tokens.accessToken);
    } catch (error) {
      deps.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'linked roles code exchange failed');
      return fail(res, 'exchange_failed');
    }
    await lr.service.saveGrant({ discordUserId: user.id, discordUsername: user.username, tokens });
    try {
      await lr.service.sync(user.id, { force: true });
    } catch (error) {
      // The grant is saved and its role connection never written: the updater writes it at its next run.
      deps.logger.warn({ discordUserId: user.id, err: error instanceof DiscordUserApiError ? error.message : String(error) }, 'linked roles: role connection write failed; the updater retries');
      return fail(res, 'discord_failed');
    }
    deps.logger.info({ discordUserId: user.id }, 'linked roles verified');
    const link = await findLinkByDiscord(deps.prisma, user.id);
    const values = link ? (await lr.service.loadValues([user.id])).get(user.id) : undefined;
    if (!values) {
      const { url } = issueAccountLinkUrl(deps.cipher, { discordUserId: user.id, publicUrl: deps.config.publicUrl });
      noStore(res).status(200).type('html').send(linkedRolesLinkKickPage({ discordUsername: user.username, linkWithKickUrl: url }));
      return;
    }
    noStore(res).status(200).type('html').send(linkedRolesVerifiedPage(values));
  });

  return router;
}
