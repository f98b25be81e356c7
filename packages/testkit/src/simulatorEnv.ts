/**
 * How kickcord is pointed at the simulators — one place for the end-to-end tests, the sandbox and the bench.
 */
import { randomBytes } from 'node:crypto';
import { Perm, type DiscordSim } from '@kickcord/discord-sim';
import type { KickSim } from '@kickcord/kick-sim';

/** Manage Server: the permission moderator slash commands require (give it to a moderator's `discord.invoke`). */
export const MANAGE_GUILD: bigint = Perm.ManageGuild;

/** The Kick account the simulated app's bot messages appear as. */
export const SIM_BOT_USERNAME = 'kickcord_bot';

/** A Kick app registered in kick-sim, with a fresh encryption key for the run. */
export interface SimKickApp {
  clientId: string;
  clientSecret: string;
  encryptionKey: string;
}

/** Fresh credentials for one run (register them with {@link registerSimKickApp} once web's URL is known). */
export function newSimKickApp(): SimKickApp {
  return { clientId: `app-${randomBytes(4).toString('hex')}`, clientSecret: randomBytes(16).toString('hex'), encryptionKey: randomBytes(32).toString('hex') };
}

/** Registers the app in kick-sim with web's OAuth callback and webhook URL, as an operator does on kick.com. */
export function registerSimKickApp(kick: KickSim, app: SimKickApp, publicUrl: string, name?: string): void {
  kick.registerApp({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    ...(name ? { name } : {}),
    redirectUris: [`${publicUrl}/oauth/kick/callback`],
    webhookUrl: `${publicUrl}/webhooks/kick`,
    botUsername: SIM_BOT_USERNAME,
  });
}

/** Environment both web and bot need to run against kick-sim (storage, secrets, Kick hosts and key). */
export function simulatorEnv(input: { kick: KickSim; app: SimKickApp; databaseUrl: string; redisUrl: string; publicUrl: string; logLevel: string }): Record<string, string> {
  return {
    DATABASE_URL: input.databaseUrl,
    REDIS_URL: input.redisUrl,
    PUBLIC_URL: input.publicUrl,
    TOKEN_ENCRYPTION_KEY: input.app.encryptionKey,
    KICK_CLIENT_ID: input.app.clientId,
    KICK_CLIENT_SECRET: input.app.clientSecret,
    KICK_API_URL: input.kick.url,
    KICK_AUTH_URL: input.kick.url,
    KICK_WEBHOOK_PUBLIC_KEY: input.kick.publicKeyPem,
    LOG_LEVEL: input.logLevel,
  };
}

/** What the bot adds on top of {@link simulatorEnv}: discord-sim and the simulated bot account. */
export function simulatorBotEnv(discord: DiscordSim, queuePrefix: string): Record<string, string> {
  return {
    ...simulatorDiscordOAuthEnv(discord),
    DISCORD_TOKEN: discord.token,
    KICK_BOT_USERNAME: SIM_BOT_USERNAME,
    QUEUE_PREFIX: queuePrefix,
    // Pay watchtime every minute: a sandbox visitor (and a test driving the real tick task by the wall
    // clock) sees points after one tick, not after a 5-minute block. Blocks are tested in apps/bot.
    WATCH_PAYOUT_MINUTES: '1',
  };
}

/** discord-sim's application and OAuth2 client secret: turns on Linked Roles in web (`/linked-roles`) and bot. */
export function simulatorDiscordOAuthEnv(discord: DiscordSim): Record<string, string> {
  return { DISCORD_CLIENT_ID: discord.applicationId, DISCORD_CLIENT_SECRET: discord.oauthClientSecret, DISCORD_API_URL: discord.apiUrl };
}

/**
 * Web's dashboard against discord-sim (with {@link simulatorDiscordOAuthEnv}): the bot token it reads roles with, and a
 * fresh session secret. Logging in goes through discord-sim's consent page (or `sim_user_id` in tests).
 */
export function simulatorDashboardEnv(discord: DiscordSim): Record<string, string> {
  return { DISCORD_TOKEN: discord.token, DASHBOARD_SESSION_SECRET: randomBytes(32).toString('hex') };
}
