import { Client, GatewayIntentBits, Options } from 'discord.js';

/**
 * The discord.js client with only the intent it needs: Guilds (guild lifecycle, channels and roles
 * for slash-command options). No privileged intents: kickcord never reads Discord messages or members.
 */
export function createDiscordClient(apiUrl: string): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: apiUrl, timeout: 15_000, retries: 3 },
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0, GuildMemberManager: 0, PresenceManager: 0, ReactionManager: 0 }),
  });
}
