import { pino, type Logger, type LoggerOptions } from 'pino';

/** The proxy's root logger (it never logs headers, so no token can reach a log line). */
export function createLogger(level: LoggerOptions['level'] = 'info'): Logger {
  return pino({ level, name: 'kickcord-discord-proxy' });
}
