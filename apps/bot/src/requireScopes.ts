/**
 * Kick fixes a connection's scopes when the streamer consents. A connection made before kickcord asked for a scope
 * keeps working for what it has; a feature that needs a missing scope checks here and says which one, and how to
 * get it (reconnect with `/kick connect`).
 */
import type { KICKCORD_SCOPES } from '@kickcord/kick';
import type { BotContext } from './context.ts';
import { UserFacingError } from './UserFacingError.ts';

/** A scope kickcord asks streamers for. */
export type RequestedScope = (typeof KICKCORD_SCOPES)[number];

/** The scopes in `needed` that `granted` lacks, in the order asked. */
export function missingScopes(granted: readonly string[], needed: readonly string[]): string[] {
  return needed.filter((scope) => !granted.includes(scope));
}

/** The scopes kickcord asks for today that a connection granted earlier lacks (shared with the dashboard). */
export { missingRequestedScopes } from '@kickcord/connections';

/** The user-facing sentence for a connection that lacks `missing` for `what` (no secrets in it). */
export function missingScopesMessage(missing: readonly string[], what: string): string {
  const names = missing.map((s) => `\`${s}\``).join(', ');
  const noun = missing.length === 1 ? 'permission' : 'permissions';
  return `${what} needs the Kick ${noun} ${names}, which this server's Kick connection was not granted. Run \`/kick connect\` and send the streamer the link to reconnect; everything else keeps working meanwhile.`;
}

/**
 * Throws a {@link UserFacingError} naming every scope in `needed` that the connection lacks and the reconnect
 * command; `what` names the feature in the message, e.g. "`/rewards create`".
 */
export function requireScopes(connection: { scopes: readonly string[] }, needed: readonly RequestedScope[], what: string): void {
  const missing = missingScopes(connection.scopes, needed);
  if (missing.length > 0) throw new UserFacingError(missingScopesMessage(missing, what));
}

/**
 * The guild's connected channel when its connection holds every scope in `needed`; otherwise a
 * {@link UserFacingError} saying how to connect, or which scopes to reconnect for.
 */
export async function requireConnectionScopes(
  ctx: Pick<BotContext, 'prisma'>,
  guildId: string,
  needed: readonly RequestedScope[],
  what: string,
): Promise<{ broadcasterUserId: number; kickUsername: string; scopes: string[] }> {
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { broadcasterUserId: true, kickUsername: true, scopes: true } });
  if (!connection) throw new UserFacingError('This server has no connected Kick channel yet. A moderator can connect one with `/kick connect`.');
  requireScopes(connection, needed, what);
  return connection;
}
