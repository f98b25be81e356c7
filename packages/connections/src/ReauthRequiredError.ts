import { ConnectionsError } from './ConnectionsError.ts';

/**
 * The streamer's Kick grant is dead (refresh refused, revoked, or never connected): the connection
 * was marked `needs_reauth` and the guild must run `/kick connect` again. Retrying will not help.
 */
export class ReauthRequiredError extends ConnectionsError {
  override name = 'ReauthRequiredError' as const;

  constructor(
    readonly guildId: string,
    readonly reason: string,
  ) {
    super(`Kick connection of guild ${guildId} needs re-authorization (${reason}) — run /kick connect again and approve on Kick`);
  }
}
