import express, { Router, type Response } from 'express';
import { ACCOUNT_LINK_PATH, linkAccounts, verifyAccountLinkToken, type LinkAccountsResult } from '@kickcord/connections';
import { KickApiClient, KickOAuth } from '@kickcord/kick';
import { randomBytes } from 'node:crypto';
import type { WebDeps } from '../deps.ts';
import { accountLinkedPage, accountLinkFailurePage, accountRelinkPage, type AccountLinkFailure } from '../pages/accountLinkPages.ts';
import { OAUTH_CALLBACK_PATH, OAUTH_STATE_TTL_MS } from './connectRoutes.ts';

/** The one scope a viewer grants: reading who they are on Kick. */
export const ACCOUNT_LINK_SCOPES = ['user:read'] as const;
/** OAuth states of viewer links start with this, so the shared callback path can tell them from streamer connects. */
export const ACCOUNT_LINK_STATE_PREFIX = 'lk.';
/** Where the relink confirmation form posts. */
export const ACCOUNT_LINK_CONFIRM_PATH = `${ACCOUNT_LINK_PATH}/confirm`;
/** How long a relink waits for the viewer's confirmation. */
const PENDING_TTL_MS = 10 * 60 * 1000;

/** The web app's Redis keys of viewer links, under the install prefix. */
function keysOf(prefix: string) {
  const base = `${prefix}:link:web`;
  return {
    /** A link URL's nonce once opened (each URL starts one sign-in). */
    usedNonce: (nonce: string) => `${base}:nonce:${nonce}`,
    /** A viewer sign-in in progress: the Discord user and the encrypted PKCE verifier. */
    state: (state: string) => `${base}:state:${state}`,
    /** A relink waiting for the viewer's confirmation. */
    pending: (id: string) => `${base}:pending:${id}`,
  };
}

interface StateRecord {
  discordUserId: string;
  verifierEnc: string;
}

interface PendingRecord {
  discordUserId: string;
  kickUserId: number;
  kickUsername: string;
}

function noStore(res: Response): Response {
  return res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
}

function fail(res: Response, failure: AccountLinkFailure): void {
  const p = accountLinkFailurePage(failure);
  noStore(res).status(p.status).type('html').send(p.html);
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 4096 ? value : undefined;
}

function linked(res: Response, result: Exclude<LinkAccountsResult, { status: 'conflict' }>): void {
  noStore(res).status(200).type('html').send(accountLinkedPage({ kickUsername: result.link.kickUsername, replaced: result.status === 'linked' && result.replaced.length > 0 }));
}

/**
 * "Link with Kick" for viewers: `GET /link/kick?t=…` (the signed, one-time URL of `/link start`'s button) → Kick's
 * consent page for `user:read` (PKCE S256, state in Redis) → the shared `GET /oauth/kick/callback` (states starting
 * with `lk.` are handled here, others go on to the streamer connect flow) reads the viewer with `GET /public/v1/users`
 * and links. When a link stands in the way, a page asks first and `POST /link/kick/confirm` replaces it.
 * The viewer's Kick token is used once and revoked; nothing of it is stored.
 */
export function accountLinkRoutes(deps: Pick<WebDeps, 'prisma' | 'cipher' | 'oauth' | 'config' | 'logger' | 'redis'>): Router {
  const router = Router();
  const redirectUri = `${deps.config.publicUrl}${OAUTH_CALLBACK_PATH}`;
  const keys = keysOf(deps.config.installPrefix);

  router.get(ACCOUNT_LINK_PATH, async (req, res) => {
    const token = single(req.query.t);
    if (!token) return fail(res, 'link_invalid');
    const now = new Date();
    const verified = verifyAccountLinkToken(deps.cipher, token, now);
    if (!verified.ok) return fail(res, verified.reason === 'expired' ? 'link_expired' : 'link_invalid');
    const first = await deps.redis.set(keys.usedNonce(verified.nonce), '1', 'PX', Math.max(1, verified.expiresAt.getTime() - now.getTime()), 'NX');
    if (first === null) return fail(res, 'link_used');
    const state = `${ACCOUNT_LINK_STATE_PREFIX}${KickOAuth.createState()}`;
    const pkce = KickOAuth.createPkcePair();
    const record: StateRecord = { discordUserId: verified.discordUserId, verifierEnc: deps.cipher.encrypt(pkce.verifier, `link-state:${state}`) };
    await deps.redis.set(keys.state(state), JSON.stringify(record), 'PX', OAUTH_STATE_TTL_MS);
    noStore(res).redirect(302, deps.oauth.authorizeUrl({ redirectUri, state, scopes: ACCOUNT_LINK_SCOPES, codeChallenge: pkce.challenge }));
  });

  router.get(OAUTH_CALLBACK_PATH, async (req, res, next) => {
    const stateParam = single(req.query.state);
    if (!stateParam?.startsWith(ACCOUNT_LINK_STATE_PREFIX)) return next();
    const raw = await deps.redis.getdel(keys.state(stateParam));
    if (!raw) return fail(res, 'state_invalid');
    const state = JSON.parse(raw) as StateRecord;
    if (single(req.query.error)) return fail(res, req.query.error === 'access_denied' ? 'denied' : 'exchange_failed');
    const code = single(req.query.code);
    if (!code) return fail(res, 'state_invalid');

    let accessToken: string;
    try {
      const codeVerifier = deps.cipher.decrypt(state.verifierEnc, `link-state:${stateParam}`);
      accessToken = (await deps.oauth.exchangeCode({ code, redirectUri, codeVerifier })).accessToken;
    } catch (error) {
      deps.logger.warn({ discordUserId: state.discordUserId, err: error instanceof Error ? error.message : String(error) }, 'kick code exchange failed (account link)');
      return fail(res, 'exchange_failed');
    }
    let me: { userId: number; name: string } | undefined;
    try {
      [me] = await new KickApiClient({ apiUrl: deps.config.kickApiUrl, token: accessToken, maxRetries: 1 }).getUsers();
    } catch (error) {
      deps.logger.warn({ discordUserId: state.discordUserId, err: error instanceof Error ? error.message : String(error) }, 'kick user lookup failed (account link)');
    }
    // The token proved who the viewer is; kickcord keeps nothing of it.
    await deps.oauth.revoke(accessToken, 'access_token').catch(() => undefined);
    if (!me) return fail(res, 'kick_lookup_failed');

    const result = await linkAccounts(deps.prisma, { discordUserId: state.discordUserId, kickUserId: me.userId, kickUsername: me.name, method: 'oauth' });
    if (result.status !== 'conflict') {
      deps.logger.info({ discordUserId: state.discordUserId, kickUserId: me.userId, status: result.status }, 'account linked with Kick sign-in');
      return linked(res, result);
    }
    const pendingId = randomBytes(18).toString('base64url');
    const pending: PendingRecord = { discordUserId: state.discordUserId, kickUserId: me.userId, kickUsername: me.name };
    await deps.redis.set(keys.pending(pendingId), JSON.stringify(pending), 'PX', PENDING_TTL_MS);
    // This page's form posts back here: allow exactly that (other pages allow no form at all).
    const csp = res.getHeader('content-security-policy');
    if (typeof csp === 'string') res.setHeader('content-security-policy', csp.replace("form-action 'none'", "form-action 'self'"));
    noStore(res)
      .status(409)
      .type('html')
      .send(
        accountRelinkPage({
          kickUsername: me.name,
          discordHasOtherKick: result.discordLinkedTo?.kickUsername ?? null,
          kickHasOtherDiscord: result.kickLinkedTo !== null && result.kickLinkedTo.discordUserId !== state.discordUserId,
          confirmPath: ACCOUNT_LINK_CONFIRM_PATH,
          pendingId,
        }),
      );
  });

  router.post(ACCOUNT_LINK_CONFIRM_PATH, express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    const id = single((req.body as Record<string, unknown> | undefined)?.pending);
    if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return fail(res, 'pending_invalid');
    const raw = await deps.redis.getdel(keys.pending(id));
    if (!raw) return fail(res, 'pending_invalid');
    const pending = JSON.parse(raw) as PendingRecord;
    const result = await linkAccounts(deps.prisma, { ...pending, method: 'oauth', replace: true });
    if (result.status === 'conflict') return fail(res, 'pending_invalid');
    deps.logger.info({ discordUserId: pending.discordUserId, kickUserId: pending.kickUserId, replaced: result.status === 'linked' ? result.replaced.length : 0 }, 'account relinked with Kick sign-in');
    linked(res, result);
  });

  return router;
}
