import { z } from 'zod';

const url = (hint: string) => z.url().describe(hint);

/** Postgres and Redis, needed by both apps. */
export const storageEnv = {
  DATABASE_URL: url('PostgreSQL connection string, e.g. postgresql://postgres@127.0.0.1:5432/kickcord'),
  REDIS_URL: z
    .url()
    .refine((v) => /^(rediss?|rediss?\+cluster):\/\//.test(v), 'must start with redis://, rediss://, redis+cluster:// or rediss+cluster://')
    .describe('Redis: redis://[user:pass@]host:port[/db], or a Redis Cluster: redis+cluster://host:port?nodes=host:port,host:port (seed nodes; rediss… for TLS)')
    .default('redis://127.0.0.1:6379'),
};

/** AES-256-GCM key for tokens at rest. */
export const encryptionEnv = {
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((v) => /^[0-9a-fA-F]{64}$/.test(v.trim()) || Buffer.from(v.trim(), 'base64').length === 32, 'must be 32 bytes (64 hex chars or base64)')
    .describe('32-byte key, 64 hex characters — generate with `openssl rand -hex 32`; keep it secret and stable'),
};

/** Kick application credentials and hosts (hosts overridable for kick-sim). */
export const kickEnv = {
  KICK_CLIENT_ID: z.string().min(1).describe('create an app at kick.com → Settings → Developer and copy its Client ID'),
  KICK_CLIENT_SECRET: z.string().min(1).describe('create an app at kick.com → Settings → Developer and copy its Client Secret'),
  KICK_API_URL: url('Kick API base URL (default https://api.kick.com; the simulator prints its own)').default('https://api.kick.com'),
  KICK_AUTH_URL: url('Kick OAuth base URL (default https://id.kick.com)').default('https://id.kick.com'),
  KICK_WEBHOOK_PUBLIC_KEY: z
    .string()
    .includes('BEGIN PUBLIC KEY', { message: 'must be a PEM public key' })
    .optional()
    .describe("PEM public key that signs webhooks; unset = Kick's published key (fetched from /public/v1/public-key)"),
};

/** Discord bot credentials (API URL overridable for discord-sim). */
export const discordEnv = {
  DISCORD_TOKEN: z.string().min(1).describe('Discord Developer Portal → your application → Bot → Reset Token'),
  DISCORD_CLIENT_ID: z.string().regex(/^\d{15,21}$/, 'must be a Discord application id (digits)').describe('Discord Developer Portal → your application → General Information → Application ID'),
  DISCORD_API_URL: url('Discord API base URL ending in /api (default https://discord.com/api; discord-sim prints its own)').default('https://discord.com/api'),
};

/**
 * Discord user OAuth2 for Linked Roles (the web app's verification URL and the bot's role connection updater).
 * Optional: without a client secret Linked Roles is off.
 */
export const discordOAuthEnv = {
  DISCORD_CLIENT_SECRET: z
    .string()
    .min(1)
    .optional()
    .describe('Developer Portal → your application → OAuth2 → Client Secret; turns on Linked Roles (<PUBLIC_URL>/linked-roles and the role connection updater)'),
};

/** HTTP surface of the web app. */
export const webEnv = {
  PUBLIC_URL: url('public https URL where Kick and browsers reach apps/web, e.g. https://kickcord.example.com'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000).describe('port apps/web listens on'),
};

/** Common logging setting. */
export const logEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level'),
};

/** Redis key prefix of the install: web and bot must use the same one. */
export const queueEnv = {
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ and - only')
    .default('kc')
    .describe('prefix of every Redis key of this install (queues under <prefix>:{q}, the rest under <prefix>:); web and bot must share it; change it to run two installs on one Redis'),
};

/** How long short-lived records are kept (the bot's hourly retention job; defaults in packages/db's DEFAULT_RETENTION). */
export const retentionEnv = {
  RETENTION_DELIVERY_DAYS: z.coerce.number().int().min(1).max(3650).default(7).describe('days to keep the record of each processed Kick delivery (not chat messages: those leave only a last-heard mark)'),
  RETENTION_QUARANTINE_DAYS: z.coerce.number().int().min(1).max(3650).default(30).describe('days to keep quarantined (signed but unusable) deliveries for inspection'),
  RETENTION_CONNECT_LINK_DAYS: z.coerce.number().int().min(1).max(3650).default(7).describe('days to keep expired /kick connect links'),
  RETENTION_OAUTH_STATE_HOURS: z.coerce.number().int().min(1).max(87_600).default(24).describe('hours to keep expired OAuth states'),
  RETENTION_MODERATION_DAYS: z.coerce.number().int().min(1).max(3650).default(365).describe('days to keep the mod log: every moderation action (filter hits, /mod, mod-log buttons)'),
  RETENTION_REDEMPTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90).describe('days to keep a decided channel-reward redemption (pending and queued ones are kept)'),
};
