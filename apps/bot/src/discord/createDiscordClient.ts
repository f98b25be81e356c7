import { Client, GatewayIntentBits, Options, type WebSocketOptions } from 'discord.js';
import type { ShardPlan } from './resolveShardPlan.ts';

/** Options of {@link createDiscordClient}. */
export interface DiscordClientOptions {
  /** Discord REST base URL ending in `/api` (Discord's, discord-sim's, or the shared REST proxy). */
  apiUrl: string;
  /** The shards this process holds; omitted = one unsharded session. */
  shards?: Pick<ShardPlan, 'shardIds' | 'shardCount'>;
  /** Builds the identify throttler (default discord.js's in-process one). */
  buildIdentifyThrottler?: WebSocketOptions['buildIdentifyThrottler'];
}

/**
 * The discord.js client with only the intent it needs: Guilds (guild lifecycle, channels and roles
 * for slash-command options). No privileged intents: kickcord never reads Discord messages or members.
 */
export function createDiscordClient(options: DiscordClientOptions): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: options.apiUrl, timeout: 15_000, retries: 3 },
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0, GuildMemberManager: 0, PresenceManager: 0, ReactionManager: 0 }),
    ...(options.shards ? { shards: options.shards.shardIds, shardCount: options.shards.shardCount } : {}),
    ...(options.buildIdentifyThrottler ? { ws: { buildIdentifyThrottler: options.buildIdentifyThrottler } } : {}),
  });
}
