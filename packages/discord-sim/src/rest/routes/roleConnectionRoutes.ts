import { invalidForm, isReply, MISSING_ACCESS, ok, type Route } from '../reply.ts';
import { toMetadataRecords, validateMetadataRecords, validateUserRoleConnection, type RoleConnectionStore } from '../../oauth2/roleConnections.ts';
import type { UserOAuth } from '../../oauth2/UserOAuth.ts';
import type { RestDeps } from '../RestDeps.ts';

/**
 * Linked Roles: the application's role connection metadata records (`GET/PUT
 * /applications/{id}/role-connections/metadata`, bot token) and the current user's role connection
 * (`GET/PUT /users/@me/applications/{id}/role-connection`, bearer token with `role_connections.write`).
 */
export function roleConnectionRoutes({ state }: RestDeps, oauth: UserOAuth, store: RoleConnectionStore): Route[] {
  const { applicationId } = state.identity;
  const empty = { platform_name: null, platform_username: null, metadata: {} };
  return [
    ['GET', /^\/applications\/(\d+)\/role-connections\/metadata$/, (m) => (m[1] === applicationId ? ok(store.records) : MISSING_ACCESS()), true],
    ['PUT', /^\/applications\/(\d+)\/role-connections\/metadata$/, (m, ctx) => {
      if (m[1] !== applicationId) return MISSING_ACCESS();
      const body = ctx.json as unknown;
      const errors = validateMetadataRecords(body);
      if (errors.length) return invalidForm(errors);
      store.records = toMetadataRecords(body as Record<string, unknown>[]);
      return ok(store.records);
    }, true],
    ['GET', /^\/users\/@me\/applications\/(\d+)\/role-connection$/, (m, ctx) => {
      const who = oauth.authenticate(ctx.authorization, 'role_connections.write');
      if (isReply(who)) return who;
      if (m[1] !== applicationId) return MISSING_ACCESS();
      return ok(store.connections.get(who.userId) ?? empty);
    }, 'bearer'],
    ['PUT', /^\/users\/@me\/applications\/(\d+)\/role-connection$/, (m, ctx) => {
      const who = oauth.authenticate(ctx.authorization, 'role_connections.write');
      if (isReply(who)) return who;
      if (m[1] !== applicationId) return MISSING_ACCESS();
      const result = validateUserRoleConnection(ctx.json, store.records);
      if ('errors' in result) return invalidForm(result.errors);
      store.connections.set(who.userId, result.connection);
      return ok(result.connection);
    }, 'bearer'],
  ];
}
