import type { Gateway } from '../gateway/Gateway.ts';
import type { MessageStore } from '../messages/MessageStore.ts';
import { Perm } from '../permissions.ts';
import type { ChannelEntry, GuildState, SimState } from '../state/SimState.ts';
import { MISSING_ACCESS, UNKNOWN_CHANNEL, UNKNOWN_GUILD, type Reply } from './reply.ts';

/** What the REST route modules work with. */
export interface RestDeps {
  state: SimState;
  gateway: Gateway;
  messages: MessageStore;
  gatewayUrl: () => string;
  /** Guilds per recommended shard (`GET /gateway/bot`). */
  guildsPerShard: number;
}

/** A channel the bot may see, or the error Discord answers (404 Unknown Channel / 403 Missing Access). */
export function channelForRest(state: SimState, channelId: string): ChannelEntry | Reply {
  const entry = state.channels.get(channelId);
  if (!entry || entry.deleted) return UNKNOWN_CHANNEL();
  if (entry.guild.removed) return MISSING_ACCESS();
  if ((state.botChannelPerms(entry.guild, entry.channel) & Perm.ViewChannel) === 0n) return MISSING_ACCESS();
  return entry;
}

/** A guild the bot is in, or the error Discord answers (404 Unknown Guild / 403 Missing Access). */
export function guildForRest(state: SimState, guildId: string): GuildState | Reply {
  const g = state.guilds.get(guildId);
  if (!g) return UNKNOWN_GUILD();
  if (g.removed) return MISSING_ACCESS();
  return g;
}
