import { apiUser } from '../../apiObjects.ts';
import { DEFAULT_BOT_PERMISSIONS } from '../../permissions.ts';
import { snowflake } from '../../snowflake.ts';
import type { RestDeps } from '../RestDeps.ts';
import { err, ok, type Route } from '../reply.ts';

/** `/users/@me`, `/users/{id}` and `/applications/@me`. */
export function userRoutes({ state }: RestDeps): Route[] {
  const { applicationId, botUsername } = state.identity;
  return [
    ['GET', /^\/users\/@me$/, () => ok({ ...apiUser(state.botUser()), bot: true, verified: true, mfa_enabled: false, flags: 0, email: null, locale: 'en-US' }), true],
    ['GET', /^\/users\/(\d+)$/, (m) => {
      const u = state.users.get(m[1] as string);
      return u ? ok(apiUser(u)) : err(404, 10013, 'Unknown User');
    }, true],
    ['GET', /^\/applications\/@me$/, () => ok({
      id: applicationId, name: botUsername, icon: null, description: '', summary: '', type: null, bot_public: true, bot_require_code_grant: false,
      verify_key: 'a'.repeat(64), flags: 0, team: null, owner: { id: snowflake(), username: 'sim-owner', discriminator: '0', avatar: null, global_name: null, public_flags: 0 },
      bot: { ...apiUser(state.botUser()), bot: true }, approximate_guild_count: state.liveGuilds().length,
      install_params: { scopes: ['bot', 'applications.commands'], permissions: DEFAULT_BOT_PERMISSIONS.toString() }, integration_types_config: { '0': {} },
    }), true],
  ];
}
