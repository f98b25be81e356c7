import { Router, type Response } from 'express';
import { completeKickConnect, GuildFanOutCache, KickConnectionStore, OWNER_EVENTS, verifyConnectToken } from '@kickcord/connections';
import { KICKCORD_SCOPES, KickApiClient, KickOAuth, type KickTokenSet } from '@kickcord/kick';
import type { WebDeps } from '../deps.ts';
import { connectFailurePage, connectSuccessPage, type ConnectFailure } from '../pages/connectPages.ts';

/** Lifetime of a server-side OAuth state (PKCE verifier): time to log in on Kick and approve. */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;
/** Path Kick redirects back to (register `${PUBLIC_URL}/oauth/kick/callback` in the Kick app). */
export const OAUTH_CALLBACK_PATH = '/oauth/kick/callback';

function verifierAad(state: string): string {
  return `oauth-state:${state}`;
}

function noStore(res: Response): Response {
  return res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
}

function fail(res: Response, failure: ConnectFailure, detail?: Record<string, string>): void {
  const p = connectFailurePage(failure, detail);
  noStore(res).status(p.status).type('html').send(p.html);
}

function single(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 4096 ? value : undefined;
}

/**
 * The streamer connect flow: `GET /connect/kick?t=…` (signed one-time link from `/kick connect`)
 * → Kick's consent page (PKCE S256, state kept server-side) → `GET /oauth/kick/callback`, which saves
 * the connection, its channel and the owner link in one transaction (`completeKickConnect`), then ensures
 * subscriptions.
 */
export function connectRoutes(deps: Pick<WebDeps, 'prisma' | 'cipher' | 'oauth' | 'subscriptions' | 'config' | 'logger' | 'redis'>): Router {
  const router = Router();
  const redirectUri = `${deps.config.publicUrl}${OAUTH_CALLBACK_PATH}`;
  const store = new KickConnectionStore({ prisma: deps.prisma, cipher: deps.cipher, oauth: deps.oauth, apiUrl: deps.config.kickApiUrl });

  router.get('/connect/kick', async (req, res) => {
    const token = single(req.query.t);
    if (!token) return fail(res, 'link_invalid');
    const now = new Date();
    const verified = verifyConnectToken(deps.cipher, token, now);
    if (!verified.ok) return fail(res, verified.reason === 'expired' ? 'link_expired' : 'link_invalid');
    const link = await deps.prisma.connectLink.findUnique({ where: { id: verified.linkId }, include: { guild: { select: { active: true } } } });
    if (!link || link.guildId !== verified.guildId || link.discordUserId !== verified.discordUserId) return fail(res, 'link_invalid');
    if (link.usedAt) return fail(res, 'link_used');
    if (link.expiresAt.getTime() <= now.getTime()) return fail(res, 'link_expired');
    if (!link.guild.active) return fail(res, 'guild_missing');

    const state = KickOAuth.createState();
    const pkce = KickOAuth.createPkcePair();
    await deps.prisma.oAuthState.create({
      data: {
        state,
        connectLinkId: link.id,
        codeVerifierEnc: deps.cipher.encrypt(pkce.verifier, verifierAad(state)),
        expiresAt: new Date(now.getTime() + OAUTH_STATE_TTL_MS),
      },
    });
    const url = deps.oauth.authorizeUrl({ redirectUri, state, scopes: KICKCORD_SCOPES, codeChallenge: pkce.challenge });
    noStore(res).redirect(302, url);
  });

  router.get(OAUTH_CALLBACK_PATH, async (req, res) => {
    const stateParam = single(req.query.state);
    if (!stateParam) return fail(res, 'state_invalid');
    const now = new Date();
    const state = await deps.prisma.oAuthState.findUnique({ where: { state: stateParam }, include: { connectLink: { include: { guild: true } } } });
    if (!state) return fail(res, 'state_invalid');
    if (state.usedAt) return fail(res, 'state_used');
    if (state.expiresAt.getTime() <= now.getTime()) return fail(res, 'state_expired');
    const link = state.connectLink;
    if (link.usedAt) return fail(res, 'link_used');
    if (!link.guild.active) return fail(res, 'guild_missing');

    const kickError = single(req.query.error);
    if (kickError) {
      // One-time even when declined; the link stays usable so the streamer can try again.
      await deps.prisma.oAuthState.updateMany({ where: { state: state.state, usedAt: null }, data: { usedAt: now } });
      deps.logger.info({ guildId: link.guildId, kickError }, 'kick connect declined');
      return fail(res, kickError === 'access_denied' ? 'denied' : 'exchange_failed');
    }
    const code = single(req.query.code);
    if (!code) return fail(res, 'state_invalid');

    let tokens: KickTokenSet;
    try {
      const codeVerifier = deps.cipher.decrypt(state.codeVerifierEnc, verifierAad(state.state));
      tokens = await deps.oauth.exchangeCode({ code, redirectUri, codeVerifier });
    } catch (error) {
      deps.logger.warn({ guildId: link.guildId, err: error instanceof Error ? error.message : String(error) }, 'kick code exchange failed');
      return fail(res, 'exchange_failed');
    }

    let user: { userId: number; name: string; profilePicture: string | null };
    let channel: { slug: string };
    try {
      const api = new KickApiClient({ apiUrl: deps.config.kickApiUrl, token: tokens.accessToken, maxRetries: 1 });
      const [me] = await api.getUsers();
      const channels = await api.getChannels();
      const mine = channels.find((c) => c.broadcasterUserId === me?.userId) ?? channels[0];
      if (!me || !mine) throw new Error('Kick returned no user or channel for the token');
      user = me;
      channel = mine;
    } catch (error) {
      deps.logger.warn({ guildId: link.guildId, err: error instanceof Error ? error.message : String(error) }, 'kick user/channel lookup failed');
      return fail(res, 'kick_lookup_failed');
    }
    const broadcasterUserId = user.userId;

    // The guild's links before the change: a re-connect to another channel moves its owner link.
    const before = await deps.prisma.guildChannelLink.findMany({ where: { guildId: link.guildId }, select: { broadcasterUserId: true } });
    const saved = await completeKickConnect(deps.prisma, store, {
      state: state.state,
      connectLinkId: link.id,
      guildId: link.guildId,
      discordUserId: link.discordUserId,
      broadcaster: { userId: broadcasterUserId, name: user.name, profilePicture: user.profilePicture, channelSlug: channel.slug },
      tokens,
      now,
    });
    if (!saved.ok) return fail(res, saved.reason, 'channel' in saved ? { channel: saved.channel } : {});
    deps.logger.info({ guildId: link.guildId, broadcasterUserId }, 'kick channel connected');
    // The bot's workers cache each broadcaster's guilds: drop what this connect changed (bounded by the cache's ttl if Redis is away).
    await new GuildFanOutCache({ prisma: deps.prisma, redis: deps.redis, keyPrefix: deps.config.installPrefix })
      .forget(broadcasterUserId, ...before.map((l) => l.broadcasterUserId))
      .catch((error: unknown) => deps.logger.warn({ guildId: link.guildId, err: error instanceof Error ? error.message : String(error) }, 'could not drop cached guild links; they expire within a minute'));

    let subscriptionsPending = false;
    try {
      const result = await deps.subscriptions.ensure(broadcasterUserId, OWNER_EVENTS);
      subscriptionsPending = result.failed.length > 0;
    } catch (error) {
      subscriptionsPending = true;
      deps.logger.warn({ guildId: link.guildId, broadcasterUserId, err: error instanceof Error ? error.message : String(error) }, 'subscription ensure failed; reconcile will retry');
    }
    noStore(res)
      .status(200)
      .type('html')
      .send(connectSuccessPage({ channel: user.name, guild: link.guild.name, subscriptionsPending }));
  });

  return router;
}
