import { encryptionEnv, kickEnv, logEnv, parseEnv, queueEnv, storageEnv, webEnv } from '@kickcord/config';
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

/** apps/web's environment. */
export const webEnvSchema = z.object({
  ...storageEnv,
  ...webEnv,
  ...kickEnv,
  ...encryptionEnv,
  ...logEnv,
  ...queueEnv,
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
  WEBHOOK_VERIFY_THREADS: z.coerce
    .number()
    .int()
    .min(0)
    .max(16)
    .default(DEFAULT_WEBHOOK_VERIFY_THREADS)
    .describe('worker threads for webhook signature checks (default 0 = on the main thread, best on small machines; 1+ frees the main thread where spare cores exist)'),
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
