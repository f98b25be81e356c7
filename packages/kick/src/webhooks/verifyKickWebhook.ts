import { constants, publicDecrypt, verify, type KeyObject } from 'node:crypto';
import { KICK_WEBHOOK_HEADERS } from './headers.ts';
import { signingPayload } from './signingPayload.ts';

/** Why a delivery was rejected. */
export type WebhookRejectReason =
  | 'missing_header'
  | 'bad_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'bad_signature_encoding'
  | 'signature_mismatch'
  | 'unknown_key';

/** Result of {@link verifyKickWebhook}. */
export type WebhookVerification =
  | {
      ok: true;
      messageId: string;
      /**
       * `Kick-Event-Subscription-Id`, or null when the delivery has none: the header is neither signed nor in
       * Kick's documented header table, so it is optional; route by broadcaster and event type without it.
       */
      subscriptionId: string | null;
      eventType: string;
      eventVersion: string;
      timestamp: Date;
      /** The header exactly as received (what was signed). */
      rawTimestamp: string;
    }
  | { ok: false; reason: WebhookRejectReason; detail: string };

/** Input of {@link verifyKickWebhook}. */
export type VerifyKickWebhookInput = {
  /** Request headers (any case; Node's `IncomingHttpHeaders` fits). */
  headers: Record<string, string | string[] | undefined>;
  /** The body bytes exactly as received — verify before JSON parsing. */
  rawBody: Buffer | Uint8Array;
  /** Kick's public key, e.g. from {@link WebhookKeyProvider.current}. */
  key: KeyObject;
  /** Clock for freshness checks; default now. */
  now?: Date;
  /** Reject deliveries older than this (`stale_timestamp`). Unchecked when omitted — Kick delivers late at times. */
  maxAgeMs?: number;
  /** Reject deliveries dated further in the future than this (`future_timestamp`). Unchecked when omitted. */
  maxFutureSkewMs?: number;
};

// RFC 3339 date-time (T or space separator, optional fraction, Z or numeric offset).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
// Standard base64 alphabet with at most two trailing `=`; together with `length % 4 === 0` this is
// exactly "correctly padded standard base64" (base64url `-`/`_` and unpadded input are rejected).
// Cheaper than one regex spelling out the quads, which matters at tens of thousands of checks per second.
const BASE64_CHARS = /^[A-Za-z0-9+/]+={0,2}$/;
// DER DigestInfo prefix for SHA-256 inside a PKCS#1 v1.5 signature block.
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

const HEADER_ORDER = ['messageId', 'subscriptionId', 'signature', 'timestamp', 'eventType', 'eventVersion'] as const;
type HeaderKey = (typeof HEADER_ORDER)[number];
/** Headers a delivery must carry; `Kick-Event-Subscription-Id` is optional (unsigned, undocumented in Kick's table). */
const REQUIRED_HEADERS: readonly HeaderKey[] = HEADER_ORDER.filter((k) => k !== 'subscriptionId');

/**
 * Verifies a Kick webhook delivery: required headers, timestamp format and (optionally) freshness,
 * then the RSA-SHA256 signature over `${messageId}.${timestamp}.${rawBody}`. Pure and synchronous.
 *
 * A failed signature is classified: `signature_mismatch` when it was made with `key` but over other
 * bytes (tampered body/timestamp/id), `unknown_key` when it was not made with `key` at all
 * (wrong or rotated key — refresh the key provider).
 */
/** Header, timestamp, encoding and freshness checks; on success, what the RSA check needs (package-internal). */
export function prepareVerification(input: VerifyKickWebhookInput): { rejected: WebhookVerification } | { rejected?: undefined; data: Buffer; sig: Buffer; accepted: WebhookVerification } {
  const found = readHeaders(input.headers);
  for (const key of REQUIRED_HEADERS) {
    if (!found[key]) {
      return { rejected: { ok: false, reason: 'missing_header', detail: `Header ${KICK_WEBHOOK_HEADERS[key]} is missing or empty` } };
    }
  }
  const { messageId, signature, timestamp: rawTimestamp, eventType, eventVersion } = found as Record<HeaderKey, string>;
  const subscriptionId = found.subscriptionId ?? null;

  const ms = RFC3339.test(rawTimestamp) ? Date.parse(rawTimestamp) : Number.NaN;
  if (Number.isNaN(ms)) {
    return { rejected: { ok: false, reason: 'bad_timestamp', detail: `${KICK_WEBHOOK_HEADERS.timestamp} is not an RFC 3339 date-time` } };
  }

  if (signature.length % 4 !== 0 || !BASE64_CHARS.test(signature)) {
    return { rejected: { ok: false, reason: 'bad_signature_encoding', detail: `${KICK_WEBHOOK_HEADERS.signature} is not standard padded base64` } };
  }
  const sig = Buffer.from(signature, 'base64');
  const modulusBytes = rsaModulusBytes(input.key);
  if (modulusBytes === undefined) {
    return { rejected: { ok: false, reason: 'unknown_key', detail: 'The verification key is not an RSA public key' } };
  }
  if (sig.length !== modulusBytes) {
    return {
      rejected: {
        ok: false,
        reason: 'bad_signature_encoding',
        detail: `Signature is ${sig.length} bytes; an RSA signature for this key is ${modulusBytes} bytes (truncated?)`,
      },
    };
  }

  if (input.maxAgeMs !== undefined || input.maxFutureSkewMs !== undefined) {
    const now = (input.now ?? new Date()).getTime();
    if (input.maxAgeMs !== undefined && now - ms > input.maxAgeMs) {
      return { rejected: { ok: false, reason: 'stale_timestamp', detail: `Delivery is ${now - ms} ms old; at most ${input.maxAgeMs} ms allowed` } };
    }
    if (input.maxFutureSkewMs !== undefined && ms - now > input.maxFutureSkewMs) {
      return {
        rejected: {
          ok: false,
          reason: 'future_timestamp',
          detail: `Delivery is dated ${ms - now} ms in the future; at most ${input.maxFutureSkewMs} ms allowed`,
        },
      };
    }
  }

  const data = signingPayload(messageId, rawTimestamp, input.rawBody);
  return { data, sig, accepted: { ok: true, messageId, subscriptionId, eventType, eventVersion, timestamp: new Date(ms), rawTimestamp } };
}

export function verifyKickWebhook(input: VerifyKickWebhookInput): WebhookVerification {
  const prepared = prepareVerification(input);
  if (prepared.rejected) return prepared.rejected;
  return verify('sha256', prepared.data, input.key, prepared.sig) ? prepared.accepted : classifyFailure(input.key, prepared.sig);
}

/**
 * {@link verifyKickWebhook} with the RSA operation on libuv's thread pool (`crypto.verify` with a
 * callback), so a busy webhook route spends its main thread on HTTP and queueing instead. Same checks,
 * same results.
 */
export function verifyKickWebhookAsync(input: VerifyKickWebhookInput): Promise<WebhookVerification> {
  const prepared = prepareVerification(input);
  if (prepared.rejected) return Promise.resolve(prepared.rejected);
  const { data, sig, accepted } = prepared;
  return new Promise((resolve) => {
    verify('sha256', data, input.key, sig, (error, ok) => {
      resolve(!error && ok ? accepted : classifyFailure(input.key, sig));
    });
  });
}

function readHeaders(headers: VerifyKickWebhookInput['headers']): Partial<Record<HeaderKey, string>> {
  const out: Partial<Record<HeaderKey, string>> = {};
  // Fast path: Node's IncomingHttpHeaders are already lower-case.
  let complete = true;
  for (const key of REQUIRED_HEADERS) {
    const value = headerValue(headers[LOWER_HEADER_NAMES[key]]);
    if (value === undefined) complete = false;
    else out[key] = value;
  }
  if (complete) return out;
  for (const [name, value] of Object.entries(headers)) {
    const key = HEADER_BY_LOWER.get(name.toLowerCase());
    if (key === undefined || out[key] !== undefined) continue;
    const v = headerValue(value);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined ? undefined : v.trim() || undefined;
}

const LOWER_HEADER_NAMES = Object.fromEntries(HEADER_ORDER.map((k) => [k, KICK_WEBHOOK_HEADERS[k].toLowerCase()])) as Record<HeaderKey, string>;

const HEADER_BY_LOWER = new Map<string, HeaderKey>(HEADER_ORDER.map((k) => [KICK_WEBHOOK_HEADERS[k].toLowerCase(), k]));

const modulusCache = new WeakMap<KeyObject, number | undefined>();

function rsaModulusBytes(key: KeyObject): number | undefined {
  if (modulusCache.has(key)) return modulusCache.get(key);
  const bits = key.type !== 'secret' && key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
  const bytes = bits === undefined ? undefined : Math.ceil(bits / 8);
  modulusCache.set(key, bytes);
  return bytes;
}

/** Slow path, only on failure: open the signature block to tell a tampered message from a foreign key (package-internal). */
export function classifyFailure(key: KeyObject, sig: Buffer): WebhookVerification {
  let block: Buffer;
  try {
    block = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, sig);
  } catch {
    return { ok: false, reason: 'unknown_key', detail: 'Signature was not made with the configured Kick public key' };
  }
  if (isPkcs1Sha256Block(block)) {
    return { ok: false, reason: 'signature_mismatch', detail: 'Signature does not match the message id, timestamp and raw body' };
  }
  return { ok: false, reason: 'unknown_key', detail: 'Signature was not made with the configured Kick public key' };
}

function isPkcs1Sha256Block(block: Buffer): boolean {
  // 00 01 FF..FF 00 DigestInfo(32-byte hash)
  const tail = SHA256_DIGEST_INFO.length + 32;
  const sepIndex = block.length - tail - 1;
  if (block.length < tail + 11 || block[0] !== 0x00 || block[1] !== 0x01 || block[sepIndex] !== 0x00) return false;
  for (let i = 2; i < sepIndex; i++) if (block[i] !== 0xff) return false;
  return block.subarray(sepIndex + 1, sepIndex + 1 + SHA256_DIGEST_INFO.length).equals(SHA256_DIGEST_INFO);
}
