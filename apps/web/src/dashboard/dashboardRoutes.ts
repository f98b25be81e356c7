import { randomBytes } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DiscordUserApiError, type DiscordTokenSet } from '@kickcord/connections';
import type { WebDeps } from '../deps.ts';
import { PAGE_STYLE_CSP_SOURCE } from '../pages/html.ts';
import { DASHBOARD_TOKEN_AAD, guildAccess, LoginExpiredError, manageableGuilds, type GuildAccess } from './access.ts';
import { guildPickerPage, loginPage, refusalPage, type GuildNav, type Viewer } from './dashboardPages.ts';
import { DASHBOARD_JS, DASHBOARD_JS_ETAG } from './dashboardScript.ts';
import { DASHBOARD_CSS, DASHBOARD_CSS_ETAG } from './dashboardStyle.ts';
import { guildPages } from './guildPages/index.ts';
import { kitHelpers, type DashboardContext, type GuildPageKit } from './guildPageKit.ts';
import { DASHBOARD_COOKIE, dashboardSession } from './session.ts';

/** The dashboard's root. */
export const DASHBOARD_PATH = '/dashboard';
/** Where Discord redirects after login (add `${PUBLIC_URL}/dashboard/callback` under OAuth2 → Redirects). */
export const DASHBOARD_CALLBACK_PATH = '/dashboard/callback';
/** Scopes the login asks for: who you are and which servers you are in, with your permissions there. */
export const DASHBOARD_SCOPES = ['identify', 'guilds'] as const;
/** Time to approve on Discord's consent page. */
export const DASHBOARD_STATE_TTL_MS = 10 * 60 * 1000;
/** Logins one client address may start per {@link DASHBOARD_STATE_TTL_MS} (each keeps a state in Redis). */
export const DASHBOARD_LOGINS_PER_WINDOW = 30;
const SNOWFLAKE = /^\d{15,21}$/;

/** The web app's Redis key of a dashboard login in progress, under the install prefix. */
export function dashboardStateKey(prefix: string, state: string): string {
  return `${prefix}:dashboard:state:${state}`;
}

/**
 * Dashboard pages: the one script and stylesheet from this app (no inline scripts), forms that post only to this app, never
 * framed. Replaces the headers the app set for its other pages.
 */
const dashboardHeaders = helmet({
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      // The app's own error page (rendered by its error handler) has one inline style, allowed by its hash.
      styleSrc: ["'self'", PAGE_STYLE_CSP_SOURCE],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
      imgSrc: ["'self'"],
      mediaSrc: ["'self'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
});


function noStore(res: Response): Response {
  return res.set('cache-control', 'no-store');
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 4096 ? value : undefined;
}

/** Express 5 passes a rejected promise to `next`; this keeps the handler types simple. */
function handle(fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    fn(req, res).catch(next);
  };
}

/**
 * The web dashboard: login with Discord (`identify guilds`, one-time state in Redis bound to the session), server-side
 * sessions in Redis, CSRF tokens on every form (csrf-sync, synchronizer tokens in the session), and per-guild pages
 * that check on the server, on every request, that the user may manage that guild. Without DASHBOARD_SESSION_SECRET
 * every `/dashboard` path answers 404.
 */
export function dashboardRoutes(deps: Pick<WebDeps, 'prisma' | 'cipher' | 'config' | 'logger' | 'redis' | 'dashboard'>): Router {
  const router = Router();
  const dashboard = deps.dashboard;
  if (!dashboard) return router;
  const ctx: DashboardContext = { ...deps, dashboard };
  const redirectUri = `${deps.config.publicUrl}${DASHBOARD_CALLBACK_PATH}`;
  const secure = deps.config.publicUrl.startsWith('https://');
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => {
      const body = req.body as Record<string, unknown> | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : undefined;
    },
  });
  const logins = new RateLimiterRedis({
    storeClient: deps.redis,
    keyPrefix: `${deps.config.installPrefix}:dashboard:logins`,
    points: DASHBOARD_LOGINS_PER_WINDOW,
    duration: DASHBOARD_STATE_TTL_MS / 1000,
  });

  const dash = Router();
  dash.use(dashboardHeaders);
  dash.get('/assets/dashboard.css', (req, res) => {
    res.set({ 'cache-control': 'public, max-age=3600', etag: DASHBOARD_CSS_ETAG });
    if (req.headers['if-none-match'] === DASHBOARD_CSS_ETAG) {
      res.status(304).end();
      return;
    }
    res.type('css').send(DASHBOARD_CSS);
  });
  dash.get('/assets/dashboard.js', (req, res) => {
    res.set({ 'cache-control': 'public, max-age=3600', etag: DASHBOARD_JS_ETAG });
    if (req.headers['if-none-match'] === DASHBOARD_JS_ETAG) {
      res.status(304).end();
      return;
    }
    res.type('js').send(DASHBOARD_JS);
  });
  dash.use(dashboardSession({ redis: deps.redis, installPrefix: deps.config.installPrefix, secret: dashboard.sessionSecret, secure }));
  dash.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 }));
  for (const page of guildPages) page.parseBodies?.(dash);
  dash.use(csrfSynchronisedProtection);

  const viewer = (req: Request): Viewer | null => (req.session.user ? { username: req.session.user.username, csrfToken: generateToken(req) } : null);

  const sendLogin = (res: Response, opts: { expired?: boolean; denied?: boolean } = {}, status = 200) => noStore(res).status(status).type('html').send(loginPage(opts));

  const refuse = (req: Request, res: Response, status: 403 | 404) =>
    noStore(res)
      .status(status)
      .type('html')
      .send(
        refusalPage({
          viewer: viewer(req),
          status,
          message: status === 404 ? 'There is no server here that you can open: kickcord is not in it, or you are not a member.' : 'Only members with Manage Server or a dashboard manager role can manage kickcord in this server.',
        }),
      );

  /** Runs a per-guild handler only for a logged-in user who may manage the guild (`manageServer` = Manage Server only). */
  const forGuild =
    (opts: { manageServer?: boolean }, fn: (req: Request, res: Response, access: GuildAccess, v: Viewer) => Promise<void>): RequestHandler =>
    handle(async (req, res) => {
      if (!req.session.user) {
        sendLogin(res, {}, 401);
        return;
      }
      const guildId = String(req.params.guildId ?? '');
      if (!SNOWFLAKE.test(guildId)) return void refuse(req, res, 404);
      const access = await guildAccess(req, ctx, guildId);
      if (access === 'not_found') return void refuse(req, res, 404);
      if (access === 'forbidden' || (opts.manageServer && !access.manageServer)) return void refuse(req, res, 403);
      await fn(req, res, access, viewer(req) as Viewer);
    });

  const nav = (access: GuildAccess, current: string): GuildNav => ({
    id: access.guild.id,
    name: access.guild.name,
    manageServer: access.manageServer,
    current,
    tabs: guildPages.filter((p) => !p.manageServerOnly || access.manageServer).map((p) => ({ key: p.key, label: p.label, href: `/dashboard/${access.guild.id}${p.path ? `/${p.path}` : ''}` })),
  });

  dash.get('/', handle(async (req, res) => {
    if (!req.session.user) return void sendLogin(res, { expired: req.query.expired === '1', denied: req.query.denied === '1' });
    const guilds = await manageableGuilds(req, ctx);
    noStore(res).type('html').send(guildPickerPage({ viewer: viewer(req) as Viewer, guilds: guilds.map((g) => ({ guild: g.guild, manageable: g.access !== null })) }));
  }));

  dash.get('/login', handle(async (req, res) => {
    try {
      await logins.consume(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      res.set('retry-after', String(Math.max(1, Math.ceil(error.msBeforeNext / 1000))));
      noStore(res).status(429).type('html').send(refusalPage({ viewer: null, status: 403, message: 'Too many logins from your address. Wait a few minutes and try again.' }));
      return;
    }
    const state = randomBytes(24).toString('base64url');
    await deps.redis.set(dashboardStateKey(deps.config.installPrefix, state), '1', 'PX', DASHBOARD_STATE_TTL_MS);
    req.session.oauthState = state;
    await saveSession(req);
    noStore(res).redirect(302, dashboard.oauth.authorizeUrl({ redirectUri, state, scopes: DASHBOARD_SCOPES }));
  }));

  dash.get('/callback', handle(async (req, res) => {
    const state = single(req.query.state);
    const expected = req.session.oauthState;
    delete req.session.oauthState;
    // One-time and bound to this browser's session: whoever reads the state first owns the login.
    if (!state || state !== expected || (await deps.redis.getdel(dashboardStateKey(deps.config.installPrefix, state))) === null) {
      await saveSession(req);
      return void noStore(res).status(400).type('html').send(refusalPage({ viewer: null, status: 403, message: 'This login link is not valid any more. Start again from the dashboard.' }));
    }
    if (single(req.query.error)) return void noStore(res).redirect(303, '/dashboard?denied=1');
    const code = single(req.query.code);
    if (!code) return void noStore(res).redirect(303, '/dashboard?denied=1');
    let tokens: DiscordTokenSet;
    let user: { id: string; username: string };
    let guilds: Awaited<ReturnType<typeof dashboard.api.getCurrentUserGuilds>>;
    try {
      tokens = await dashboard.oauth.exchangeCode({ code, redirectUri });
      if (!DASHBOARD_SCOPES.every((s) => tokens.scopes.includes(s))) return void noStore(res).redirect(303, '/dashboard?denied=1');
      user = await dashboard.api.getCurrentUser(tokens.accessToken);
      guilds = await dashboard.api.getCurrentUserGuilds(tokens.accessToken);
    } catch (error) {
      deps.logger.warn({ err: error instanceof DiscordUserApiError ? error.message : String(error) }, 'dashboard login: code exchange failed');
      return void noStore(res).redirect(303, '/dashboard?denied=1');
    }
    // A new session id at login: a session id planted before login is worth nothing after it.
    await regenerateSession(req);
    req.session.user = { id: user.id, username: user.username };
    req.session.accessTokenEnc = deps.cipher.encrypt(tokens.accessToken, DASHBOARD_TOKEN_AAD);
    req.session.guilds = { at: Date.now(), list: guilds.map((g) => ({ id: g.id, name: g.name, owner: g.owner, permissions: g.permissions.toString() })) };
    // The CSRF token is made now, with the session: pages opened at once (tabs restored) then share one token,
    // where each would otherwise make its own and all but the last saved would refuse their forms.
    generateToken(req);
    await saveSession(req);
    deps.logger.info({ discordUserId: user.id }, 'dashboard login');
    noStore(res).redirect(303, '/dashboard');
  }));

  dash.post('/logout', handle(async (req, res) => {
    await destroySession(req);
    res.clearCookie(DASHBOARD_COOKIE, { path: '/dashboard', httpOnly: true, sameSite: 'lax', secure });
    noStore(res).redirect(303, '/dashboard');
  }));

  const kit: GuildPageKit = { ...kitHelpers(ctx, dashboard.actions), router: dash, forGuild, nav };
  for (const page of guildPages) page.register(kit);

  const onError: ErrorRequestHandler = (error: unknown, req, res, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof LoginExpiredError) {
      void destroySession(req).finally(() => noStore(res).redirect(303, '/dashboard?expired=1'));
      return;
    }
    if ((error as { code?: unknown }).code === 'EBADCSRFTOKEN') {
      noStore(res).status(403).type('html').send(refusalPage({ viewer: null, status: 403, message: 'This form has expired or did not come from the dashboard. Go back, reload the page and try again.' }));
      return;
    }
    next(error);
  };
  dash.use(onError);
  router.use(DASHBOARD_PATH, dash);
  return router;
}

function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err as Error) : resolve())));
}

function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err: unknown) => (err ? reject(err as Error) : resolve())));
}

function destroySession(req: Request): Promise<void> {
  return new Promise((resolve) => {
    if (!req.session) return resolve();
    req.session.destroy(() => resolve());
  });
}
