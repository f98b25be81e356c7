import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths pino replaces with "[redacted]": credentials in headers, OAuth tokens/codes/verifiers and
 * anything else that would let a log reader act as a streamer or as the app.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["kick-event-signature"]',
  'res.headers["set-cookie"]',
  'req.query.code',
  'req.query.t',
  'req.query.state',
  '*.access_token',
  '*.refresh_token',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.code_verifier',
  '*.codeVerifier',
  '*.client_secret',
  '*.clientSecret',
  '*.password',
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'token',
  'password',
];

/** The web app's root logger. */
export function createLogger(level: LoggerOptions['level'] = 'info', destination?: NodeJS.WritableStream): Logger {
  const options: LoggerOptions = { level, name: 'kickcord-web', redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination as unknown as pino.DestinationStream) : pino(options);
}

/**
 * Lets at most `perWindow` log lines per key through in each `windowMs` (e.g. per rejection reason),
 * so a flood of bad deliveries cannot flood the logs; the next line carries how many were skipped.
 */
export class LogSampler {
  readonly #windows = new Map<string, { start: number; count: number; suppressed: number }>();

  constructor(
    private readonly perWindow = 5,
    private readonly windowMs = 10_000,
  ) {}

  /** Returns `undefined` to skip, or the number of lines skipped since the last one let through. */
  take(key: string, now = Date.now()): number | undefined {
    let w = this.#windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      const suppressed = w?.suppressed ?? 0;
      w = { start: now, count: 0, suppressed: 0 };
      this.#windows.set(key, w);
      w.count++;
      return suppressed;
    }
    if (w.count >= this.perWindow) {
      w.suppressed++;
      return undefined;
    }
    w.count++;
    const suppressed = w.suppressed;
    w.suppressed = 0;
    return suppressed;
  }
}
