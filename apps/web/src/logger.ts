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

/**
 * Query parameters whose values are secrets or one-time proofs: the OAuth `state`, the PKCE challenge
 * and verifier, authorization codes, connect-link tokens (`t`) and any token a URL might carry.
 */
export const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'state',
  'code',
  'code_challenge',
  'code_verifier',
  't',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
]);

/** `url` with the value of every {@link SECRET_QUERY_PARAMS} parameter replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash === -1 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      let name: string;
      try {
        name = decodeURIComponent(pair.slice(0, eq).replace(/\+/g, ' '));
      } catch {
        name = pair.slice(0, eq);
      }
      return SECRET_QUERY_PARAMS.has(name.toLowerCase()) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q + 1)}${redacted}${hash === -1 ? '' : url.slice(hash)}`;
}

/** Response headers as logged: `Location` (OAuth redirects carry state and PKCE challenge) redacted. */
export function loggedResponseHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!headers) return headers;
  const location = headers['location'];
  if (typeof location !== 'string') return headers;
  return { ...headers, location: redactUrl(location) };
}

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
