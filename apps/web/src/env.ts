import { discordEnv, discordOAuthEnv, encryptionEnv, kickEnv, logEnv, parseEnv, queueEnv, storageEnv, webEnv } from '@kickcord/config';
import { z } from 'zod';

/**
 * Why 12 hours: Kick is reported to deliver webhooks minutes to hours late (README, "Webhooks"), and
 * a delivery refused as stale is lost for good. The window only bounds how long a captured,
 * validly signed request could be replayed; the message-id dedupe (kept for this window + 10 min)
 * already makes a replay within it harmless.
 */
export const DEFAULT_WEBHOOK_MAX_AGE_SECONDS = 12 * 60 * 60;
/** Kick's largest payloads (chat with emotes, gift lists) are a few KiB; 1 MiB is generous. */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Signature checks on the main thread by default: on a 2-vCPU AMD EPYC VM shared with Redis (2026-11-23)
 * this measured more deliveries/s, less CPU per delivery and ~30 MB less RSS than one worker thread
 * (docs/performance.md).
 */
export const DEFAULT_WEBHOOK_VERIFY_THREADS = 0;

/**
 * A webhook body must arrive within this long after its headers. Kick sends a few KiB at once; a sender
 * that trickles or stalls is cut off (408) instead of holding a connection and its buffered bytes.
 */
export const DEFAULT_WEBHOOK_BODY_TIMEOUT_MS = 5_000;
/** Webhook bodies being read at once; a new one past this ends the oldest (503 + Retry-After). */
export const DEFAULT_WEBHOOK_MAX_PENDING_BODIES = 256;
/** Bytes buffered by unfinished webhook bodies together; past this the oldest are ended (503 + Retry-After). */
export const DEFAULT_WEBHOOK_PENDING_BODY_BYTES = 8 * 1024 * 1024;
/** Request headers must be complete within this long (every route); Node answers 408 otherwise. */
export const DEFAULT_HTTP_HEADERS_TIMEOUT_MS = 10_000;
/** Failed Bull Board logins allowed per client IP in one window. */
export const DEFAULT_ADMIN_AUTH_MAX_FAILURES = 10;
/** Length of that window, in seconds. */
export const DEFAULT_ADMIN_AUTH_WINDOW_SECONDS = 15 * 60;

/** apps/web's environment. */
export const webEnvSchema = z.object({
  ...storageEnv,
  ...webEnv,
  ...kickEnv,
  ...encryptionEnv,
  ...logEnv,
  ...queueEnv,
  ...discordOAuthEnv,
  DISCORD_CLIENT_ID: discordEnv.DISCORD_CLIENT_ID.optional().describe('application id (Developer Portal → General Information); with DISCORD_CLIENT_SECRET it turns on Linked Roles at /linked-roles'),
  DISCORD_API_URL: discordEnv.DISCORD_API_URL,
  DISCORD_TOKEN: discordEnv.DISCORD_TOKEN.optional().describe('the bot token (Developer Portal → Bot); the dashboard uses it to read a member\'s roles and a server\'s roles'),
  DASHBOARD_SESSION_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)')
    .optional()
    .describe('signs dashboard session cookies; setting it turns on the dashboard at /dashboard (needs DISCORD_CLIENT_ID, DISCORD_CLIENT_SECRET and DISCORD_TOKEN); unset = /dashboard answers 404'),
  // 0 = any free port (tests, sandbox); the fragment's minimum of 1 is for operators.
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('port apps/web listens on (0 = any free port)'),
  ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .optional()
    .describe('password for Bull Board at /admin/queues (user "admin"); unset = the dashboard is disabled (404)'),
  WEBHOOK_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(DEFAULT_WEBHOOK_MAX_AGE_SECONDS)
    .describe('reject webhook deliveries older than this many seconds (default 43200 = 12 h, because Kick delivers late at times)'),
  WEBHOOK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(DEFAULT_WEBHOOK_MAX_BODY_BYTES)
    .describe('largest webhook body accepted, in bytes (default 1048576); bigger → 413'),
  WEBHOOK_BODY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(DEFAULT_WEBHOOK_BODY_TIMEOUT_MS)
    .describe('a webhook body must arrive within this many ms after its headers (default 5000); slower → 408 and the connection is closed'),
  WEBHOOK_MAX_PENDING_BODIES: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_WEBHOOK_MAX_PENDING_BODIES)
    .describe('webhook bodies read at once (default 256); one more ends the oldest unfinished one (503 + Retry-After, so a real sender retries)'),
  WEBHOOK_PENDING_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(DEFAULT_WEBHOOK_PENDING_BODY_BYTES)
    .describe('bytes all unfinished webhook bodies may buffer together (default 8388608 = 8 MiB, at least WEBHOOK_MAX_BODY_BYTES); past it the oldest are ended (503 + Retry-After)'),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .max(60_000)
    .default(DEFAULT_HTTP_HEADERS_TIMEOUT_MS)
    .describe('request headers must be complete within this many ms, on every route (default 10000); slower → 408 and the connection is closed'),
  ADMIN_QUEUES_WRITABLE: z
    .enum(['0', '1'], { message: 'must be 1 (Bull Board may change queues) or 0 (read-only)' })
    .default('0')
    .transform((v) => v === '1')
    .describe('1 = Bull Board may retry, remove, add and clean jobs and pause queues; unset or 0 = read-only (changes answer 405)'),
  ADMIN_AUTH_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_ADMIN_AUTH_MAX_FAILURES)
    .describe('failed Bull Board logins per client IP per window before it is locked out with 429 (default 10); counted in Redis, so it holds across replicas'),
  ADMIN_AUTH_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_ADMIN_AUTH_WINDOW_SECONDS)
    .describe('window of ADMIN_AUTH_MAX_FAILURES, in seconds (default 900 = 15 min)'),
  WEBHOOK_VERIFY_THREADS: z.coerce
    .number()
    .int()
    .min(0)
    .max(16)
    .default(DEFAULT_WEBHOOK_VERIFY_THREADS)
    .describe('worker threads for webhook signature checks (default 0 = on the main thread, best on small machines; 1+ frees the main thread where spare cores exist)'),
}).refine((env) => env.WEBHOOK_PENDING_BODY_BYTES >= env.WEBHOOK_MAX_BODY_BYTES, {
  message: 'must be at least WEBHOOK_MAX_BODY_BYTES (one whole body must fit)',
  path: ['WEBHOOK_PENDING_BODY_BYTES'],
}).refine((env) => !env.DISCORD_CLIENT_SECRET || env.DISCORD_CLIENT_ID, {
  message: 'is needed with DISCORD_CLIENT_SECRET (Linked Roles): copy the Application ID from the Developer Portal → General Information',
  path: ['DISCORD_CLIENT_ID'],
}).refine((env) => !env.DASHBOARD_SESSION_SECRET || (env.DISCORD_CLIENT_ID && env.DISCORD_CLIENT_SECRET), {
  message: 'the dashboard (DASHBOARD_SESSION_SECRET) logs in with Discord: set DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET (Developer Portal → OAuth2)',
  path: ['DISCORD_CLIENT_SECRET'],
}).refine((env) => !env.DASHBOARD_SESSION_SECRET || env.DISCORD_TOKEN, {
  message: 'the dashboard (DASHBOARD_SESSION_SECRET) reads members\' roles as the bot: set DISCORD_TOKEN to the bot token (Developer Portal → Bot)',
  path: ['DISCORD_TOKEN'],
});

/** Parsed apps/web environment. */
export type WebEnv = z.infer<typeof webEnvSchema>;

/** Parses apps/web's environment (default `process.env`), throwing `EnvError` naming each problem. */
export function parseWebEnv(source: Record<string, string | undefined> = process.env): WebEnv {
  return parseEnv(webEnvSchema, source);
}

/** The raw process environment, for entry points that merge overrides into it. */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}
