import { apiUser } from '../../apiObjects.ts';
import type { UserOAuth } from '../../oauth2/UserOAuth.ts';
import type { RestDeps } from '../RestDeps.ts';
import { isReply, ok, type Route } from '../reply.ts';

/**
 * Discord's user OAuth2 token endpoints and the user routes a bearer token may call:
 * `POST /oauth2/token`, `POST /oauth2/token/revoke`, `GET /users/@me` (scope `identify`) and
 * `GET /users/@me/guilds` (scope `guilds`; `permissions` as a string, like Discord).
 */
export function oauth2Routes({ state }: RestDeps, oauth: UserOAuth): Route[] {
  return [
    ['POST', /^\/oauth2\/token$/, (_m, ctx) => oauth.token(ctx.json, ctx.authorization), false],
    ['POST', /^\/oauth2\/token\/revoke$/, (_m, ctx) => oauth.revoke(ctx.json, ctx.authorization), false],
    ['GET', /^\/users\/@me$/, (_m, ctx) => {
      const who = oauth.authenticate(ctx.authorization, 'identify');
      if (isReply(who)) return who;
      const user = state.users.get(who.userId);
      if (!user) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      return ok({
        ...apiUser(user),
        banner: null,
        accent_color: null,
        flags: 0,
        premium_type: 0,
        mfa_enabled: false,
        locale: 'en-US',
        ...(who.scopes.includes('email') ? { email: `${user.username}@example.invalid`, verified: true } : {}),
      });
    }, 'bearer'],
    ['GET', /^\/users\/@me\/guilds$/, (_m, ctx) => {
      const who = oauth.authenticate(ctx.authorization, 'guilds');
      if (isReply(who)) return who;
      const guilds = state
        .liveGuilds()
        .map((g) => ({ g, member: state.memberOf(g, who.userId) }))
        .filter((x) => x.member !== undefined)
        .map(({ g, member }) => ({
          id: g.id,
          name: g.name,
          icon: null,
          banner: null,
          owner: g.ownerId === who.userId,
          permissions: state.memberChannelPerms(g, null, who.userId, member?.roles ?? []).toString(),
          features: [],
        }));
      return ok(guilds);
    }, 'bearer'],
  ];
}
