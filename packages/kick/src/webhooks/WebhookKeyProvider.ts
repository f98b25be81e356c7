import { createPublicKey, type KeyObject } from 'node:crypto';
import { KickValidationError } from '../errors/KickValidationError.ts';
import { KICK_PUBLIC_KEY_PEM } from './kickPublicKey.ts';

/** A fetched key is re-fetched at most this often. */
export const KEY_REFRESH_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** After a failed fetch, wait this long before trying again (the pinned/previous key is used meanwhile). */
export const KEY_FETCH_RETRY_MS = 10 * 60 * 1000;

/** Options of {@link WebhookKeyProvider}. */
export type WebhookKeyProviderOptions = {
  /** An explicit PEM (e.g. kick-sim's key, or KICK_WEBHOOK_PUBLIC_KEY). Wins over everything; never fetched. */
  pem?: string;
  /**
   * Kick API base URL to fetch `/public/v1/public-key` from (e.g. `https://api.kick.com`).
   * When omitted nothing is fetched and the pinned {@link KICK_PUBLIC_KEY_PEM} is used.
   */
  apiUrl?: string;
  /** fetch implementation; default global fetch. */
  fetch?: typeof fetch;
  /** Timeout of the key fetch; default 5000 ms. */
  timeoutMs?: number;
  /** Clock, for tests. */
  now?: () => number;
};

/**
 * Supplies Kick's webhook verification key: explicit PEM → key fetched from Kick (cached, refreshed
 * at most every 24 h; a failed fetch falls back) → the pinned {@link KICK_PUBLIC_KEY_PEM}.
 */
export class WebhookKeyProvider {
  /** Where the key returned by {@link current} came from. */
  source: 'explicit' | 'fetched' | 'pinned';

  readonly #apiUrl: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #key: KeyObject | undefined;
  #nextFetchAt = 0;
  #inflight: Promise<KeyObject> | undefined;

  constructor(options: WebhookKeyProviderOptions = {}) {
    this.#apiUrl = options.apiUrl?.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#now = options.now ?? Date.now;
    if (options.pem !== undefined) {
      this.#key = parsePem(options.pem, 'the explicit pem option');
      this.source = 'explicit';
    } else {
      this.source = 'pinned';
      if (this.#apiUrl === undefined) this.#key = pinnedKey();
    }
  }

  /**
   * The cached key, synchronously, for hot paths (undefined only before the first {@link getKey}
   * when fetching is enabled). Starts a background refresh when the fetched key is due.
   */
  current(): KeyObject | undefined {
    if (this.#due()) void this.getKey();
    return this.#key;
  }

  /** The key to verify with; fetches (or re-fetches when due) when `apiUrl` is set. Never rejects. */
  async getKey(): Promise<KeyObject> {
    if (this.#key && !this.#due()) return this.#key;
    this.#inflight ??= this.#refresh().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  #due(): boolean {
    return this.source !== 'explicit' && this.#apiUrl !== undefined && this.#now() >= this.#nextFetchAt;
  }

  async #refresh(): Promise<KeyObject> {
    try {
      const res = await this.#fetch(`${this.#apiUrl}/public/v1/public-key`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (!res.ok) throw new Error(`status ${res.status}`);
      const body = (await res.json()) as { data?: { public_key?: unknown } };
      const pem = body.data?.public_key;
      if (typeof pem !== 'string') throw new Error('no data.public_key in response');
      this.#key = parsePem(pem, 'Kick public-key endpoint');
      this.source = 'fetched';
      this.#nextFetchAt = this.#now() + KEY_REFRESH_INTERVAL_MS;
    } catch {
      // Keep a previously fetched key if there is one; otherwise the pinned key.
      if (!this.#key) {
        this.#key = pinnedKey();
        this.source = 'pinned';
      }
      this.#nextFetchAt = this.#now() + KEY_FETCH_RETRY_MS;
    }
    return this.#key;
  }
}

let pinned: KeyObject | undefined;
function pinnedKey(): KeyObject {
  pinned ??= createPublicKey(KICK_PUBLIC_KEY_PEM);
  return pinned;
}

function parsePem(pem: string, origin: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new KickValidationError('pem', `Could not read a public key from ${origin} — expected a PEM "-----BEGIN PUBLIC KEY-----" block`);
  }
}
