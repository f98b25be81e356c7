import type { IncomingHttpHeaders } from 'node:http';
import type { KeyObject } from 'node:crypto';

/** Why {@link checkDeliveryHeaders} refused a delivery before reading its body. */
export type HeaderRefusalReason = 'missing_header' | 'bad_message_id' | 'bad_timestamp' | 'bad_signature_encoding' | 'stale_timestamp' | 'future_timestamp';

/** A refusal by {@link checkDeliveryHeaders}: the machine-readable reason and a sentence for people. */
export interface HeaderRefusal {
  reason: HeaderRefusalReason;
  detail: string;
}

/** Limits {@link checkDeliveryHeaders} applies. */
export interface DeliveryHeaderLimits {
  /** Now, in ms since the epoch. */
  nowMs: number;
  /** Refuse deliveries older than this (ms). */
  maxAgeMs: number;
  /** Refuse deliveries dated further ahead than this (ms). */
  maxFutureSkewMs: number;
  /**
   * Exact base64 length of a signature made with Kick's key (from its modulus), when the key is known;
   * otherwise signatures up to {@link MAX_SIGNATURE_BASE64_LENGTH} pass here and the verifier decides.
   */
  signatureLength: number | undefined;
}

/** Base64 length of an RSA-8192 signature: nothing Kick signs with can be longer. */
export const MAX_SIGNATURE_BASE64_LENGTH = 4 * Math.ceil(1024 / 3);

// Kick's message ids are ULIDs (26 characters of Crockford base32); UUIDs are accepted as well. Anything
// else — notably words like `marker`, `meta`, `events` or `id`, which BullMQ uses as key names beside
// the job ids of a queue — never reaches Redis.
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` has the shape of a Kick message id: a ULID or a UUID (any letter case). */
export function isKickMessageId(id: string): boolean {
  return id.length === 26 ? ULID.test(id) : id.length === 36 && UUID.test(id);
}

// The same formats @kickcord/kick's verifier checks after the body has arrived.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const BASE64_CHARS = /^[A-Za-z0-9+/]+={0,2}$/;

// Node hands custom headers over lower-cased, duplicates joined with ", ".
const MESSAGE_ID = 'kick-event-message-id';
const SIGNATURE = 'kick-event-signature';
const TIMESTAMP = 'kick-event-message-timestamp';
const EVENT_TYPE = 'kick-event-type';
const EVENT_VERSION = 'kick-event-version';
// Kick-Event-Subscription-Id is optional: it is not signed and not in Kick's header table (routing falls
// back to broadcaster + event type without it).
const REQUIRED = [
  [MESSAGE_ID, 'Kick-Event-Message-Id'],
  [SIGNATURE, 'Kick-Event-Signature'],
  [TIMESTAMP, 'Kick-Event-Message-Timestamp'],
  [EVENT_TYPE, 'Kick-Event-Type'],
  [EVENT_VERSION, 'Kick-Event-Version'],
] as const;
const MISSING: Record<string, HeaderRefusal> = Object.fromEntries(
  REQUIRED.map(([lower, name]) => [lower, { reason: 'missing_header', detail: `Header ${name} is missing or empty` }]),
);
const BAD_MESSAGE_ID: HeaderRefusal = { reason: 'bad_message_id', detail: 'Kick-Event-Message-Id must be a ULID (26 characters of Crockford base32) or a UUID' };
const BAD_TIMESTAMP: HeaderRefusal = { reason: 'bad_timestamp', detail: 'Kick-Event-Message-Timestamp is not an RFC 3339 date-time' };
const BAD_SIGNATURE: HeaderRefusal = { reason: 'bad_signature_encoding', detail: 'Kick-Event-Signature is not standard padded base64' };

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const v = typeof value === 'string' ? value : value?.[0];
  return v === undefined ? undefined : v.trim() || undefined;
}

/**
 * The checks a delivery's headers allow before its body is read: every required Kick header present, a message
 * id of Kick's shape, an RFC 3339 timestamp inside the freshness window, a signature of the right
 * encoding and size. Returns `undefined` when they pass (nothing allocated), else the refusal — the same
 * reasons, in the same order, as the signature verifier that runs once the body is in.
 */
export function checkDeliveryHeaders(headers: IncomingHttpHeaders, limits: DeliveryHeaderLimits): HeaderRefusal | undefined {
  for (const [lower] of REQUIRED) {
    if (header(headers, lower) === undefined) return MISSING[lower];
  }
  if (!isKickMessageId(header(headers, MESSAGE_ID)!)) return BAD_MESSAGE_ID;

  const timestamp = header(headers, TIMESTAMP)!;
  const ms = RFC3339.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(ms)) return BAD_TIMESTAMP;

  const signature = header(headers, SIGNATURE)!;
  const expected = limits.signatureLength;
  if (
    signature.length % 4 !== 0 ||
    (expected === undefined ? signature.length > MAX_SIGNATURE_BASE64_LENGTH : signature.length !== expected) ||
    !BASE64_CHARS.test(signature)
  ) {
    return expected !== undefined && signature.length !== expected && BASE64_CHARS.test(signature)
      ? { reason: 'bad_signature_encoding', detail: `Kick-Event-Signature has ${signature.length} characters; a signature with Kick's key has ${expected} (truncated?)` }
      : BAD_SIGNATURE;
  }

  if (limits.nowMs - ms > limits.maxAgeMs) {
    return { reason: 'stale_timestamp', detail: `Delivery is ${limits.nowMs - ms} ms old; at most ${limits.maxAgeMs} ms allowed` };
  }
  if (ms - limits.nowMs > limits.maxFutureSkewMs) {
    return { reason: 'future_timestamp', detail: `Delivery is dated ${ms - limits.nowMs} ms in the future; at most ${limits.maxFutureSkewMs} ms allowed` };
  }
  return undefined;
}

/** Base64 length of an RSA signature made with `key` (undefined when it is not an RSA public key). */
export function signatureBase64Length(key: KeyObject): number | undefined {
  const bits = key.type !== 'secret' && key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
  return bits === undefined ? undefined : 4 * Math.ceil(Math.ceil(bits / 8) / 3);
}
