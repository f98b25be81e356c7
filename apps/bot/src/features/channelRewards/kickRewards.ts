/**
 * Kick's Channel Rewards API as the guild's streamer, with the scope each call needs checked first and Kick's
 * refusals turned into messages a moderator can act on.
 */
import { ReauthRequiredError } from '@kickcord/connections';
import { KickApiError, KickTimeoutError, KickValidationError, type KickApiClient } from '@kickcord/kick';
import type { BotContext } from '../../context.ts';
import { requireScopes, type RequestedScope } from '../../requireScopes.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Reading rewards: Kick accepts either rewards scope. */
export const REWARDS_READ_SCOPE: RequestedScope = 'channel:rewards:read';
/** Creating, changing and deciding: the write scope. */
export const REWARDS_WRITE_SCOPE: RequestedScope = 'channel:rewards:write';

/** A Kick client acting as the guild's streamer, once the connection is known to hold `scope`. */
export async function rewardsClient(ctx: BotContext, guildId: string, scope: RequestedScope, what: string): Promise<{ client: KickApiClient; broadcasterUserId: number }> {
  // Kick lets either rewards scope read: a connection holding only the write scope can list too.
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { broadcasterUserId: true, scopes: true } });
  if (!connection) throw new UserFacingError('This server has no connected Kick channel yet. A moderator can connect one with `/kick connect`.');
  if (!(scope === REWARDS_READ_SCOPE && connection.scopes.includes(REWARDS_WRITE_SCOPE))) requireScopes(connection, [scope], what);
  return { client: ctx.connections.apiClient(guildId), broadcasterUserId: connection.broadcasterUserId };
}

/**
 * Kick's answer to `what` as a {@link UserFacingError}: Kick's own reason for a 4xx (e.g. a validation message), what
 * to do about a lost connection, or "try again" when Kick is down or slow; other errors are returned unchanged.
 */
export function explainKickRefusal(error: unknown, what: string): unknown {
  if (error instanceof ReauthRequiredError) {
    return new UserFacingError(`Kick no longer accepts this server's connection, so ${what} failed. Run \`/kick connect\` and send the streamer the link to reconnect.`);
  }
  if (error instanceof KickValidationError) return new UserFacingError(`${what} failed: ${error.message}`);
  if (error instanceof KickTimeoutError || (error instanceof KickApiError && (error.status >= 500 || error.status === 429))) {
    return new UserFacingError(`Kick did not answer ${what} (${error instanceof KickApiError ? `HTTP ${error.status}` : 'timeout'}). Check \`/rewards list\` and try again in a minute.`);
  }
  if (!(error instanceof KickApiError)) return error;
  if (error.status === 403) {
    return new UserFacingError(`Kick refused ${what} (403: ${error.reason ?? 'forbidden'}). The connection may lack a permission: run \`/kick connect\` and send the streamer the link to reconnect.`);
  }
  if (error.status === 404) return new UserFacingError(`Kick has no such reward any more (it may have been deleted on kick.com). See \`/rewards list\`.`);
  return new UserFacingError(`Kick refused ${what}: ${error.reason ?? `HTTP ${error.status}`}`);
}

/** Runs one Kick call, turning Kick's refusals into user-facing errors. */
export async function callKick<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainKickRefusal(error, what);
  }
}
