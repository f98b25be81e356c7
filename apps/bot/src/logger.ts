import { pino, type Logger } from 'pino';

/** Paths that may carry secrets; pino replaces them with "[redacted]". */
export const REDACT_PATHS = [
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.clientSecret',
  '*.authorization',
  '*.headers.authorization',
  'token',
  'accessToken',
  'refreshToken',
];

/** The bot's structured logger. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { app: 'bot', ...base }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
export type { Logger };
