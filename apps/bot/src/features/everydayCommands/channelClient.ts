/**
 * Kick REST as the connected streamer (the owner guild's user token), for the chat commands that change the
 * channel. Kick fixes scopes at consent time, so a command that needs a scope the connection lacks says so.
 */
import { KickApiClient } from '@kickcord/kick';
import type { BotContext } from '../../context.ts';
import { requireConnectionScopes, type RequestedScope } from '../../requireScopes.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** A Kick client with the guild's streamer token, or why there is none (a sentence for chat). */
export type ChannelClientResult = { ok: true; client: KickApiClient } | { ok: false; problem: string };

/**
 * A client for the guild's connected channel when its connection holds every scope in `scopes`; otherwise the
 * sentence naming the missing scopes and the fix (`/kick connect` again), without Discord's markdown.
 */
export async function channelClient(ctx: Pick<BotContext, 'prisma' | 'connections' | 'env'>, guildId: string, scopes: readonly RequestedScope[], what: string): Promise<ChannelClientResult> {
  try {
    await requireConnectionScopes(ctx, guildId, scopes, what);
  } catch (error) {
    if (error instanceof UserFacingError) return { ok: false, problem: error.message.replaceAll('`', '') };
    throw error;
  }
  return { ok: true, client: new KickApiClient({ apiUrl: ctx.env.KICK_API_URL, token: () => ctx.connections.getValidAccessToken(guildId), maxRetries: 1 }) };
}
