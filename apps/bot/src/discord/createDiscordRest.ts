import { REST } from 'discord.js';

/**
 * Discord REST with the bot token and no gateway session: what a worker posts announcements with. Point
 * `apiUrl` at the shared REST proxy (DISCORD_REST_PROXY_URL) so every process shares one view of the buckets.
 */
export function createDiscordRest(apiUrl: string, token: string): REST {
  return new REST({ api: apiUrl, timeout: 15_000, retries: 3 }).setToken(token);
}
