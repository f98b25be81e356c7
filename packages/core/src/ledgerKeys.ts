/**
 * Idempotency keys of points-ledger rows (unique per guild): the same key written twice changes the balance once.
 */
import { CoreInputError } from './CoreInputError.ts';

function requirePart(label: string, value: string | number): string {
  const text = String(value);
  if (text.length === 0 || /[\s:]/.test(text)) {
    throw new CoreInputError(`${label} must be non-empty without spaces or ":" (got "${text}").`);
  }
  return text;
}

/**
 * Idempotency key of a watch tick: `tick:<session>:<minute>` for the minute as a whole (a job id or lock),
 * or `tick:<session>:<minute>:<kickUserId>` for one viewer's ledger row — ledger keys are unique per guild,
 * so per-viewer rows must pass `kickUserId`.
 */
export function tickKey(sessionId: string, minute: number, kickUserId?: number): string {
  if (!Number.isInteger(minute)) throw new CoreInputError(`tickKey minute must be an integer minute index (got ${minute}).`);
  const base = `tick:${requirePart('sessionId', sessionId)}:${minute}`;
  return kickUserId === undefined ? base : `${base}:${requirePart('kickUserId', kickUserId)}`;
}

/** Idempotency key of an effect of a Kick event: `msg:<messageId>` or `msg:<messageId>:<suffix>`. */
export function eventKey(messageId: string, suffix?: string): string {
  const base = `msg:${requirePart('messageId', messageId)}`;
  return suffix === undefined ? base : `${base}:${requirePart('suffix', suffix)}`;
}

/** Idempotency key of a moderator's slash-command change: `admin:<interactionId>`. */
export function adminKey(interactionId: string): string {
  return `admin:${requirePart('interactionId', interactionId)}`;
}

/**
 * Idempotency key of the follow bonus: `follow:<broadcasterId>:<userId>` — once ever per viewer per channel,
 * so unfollowing and following again earns nothing.
 */
export function followKey(broadcasterUserId: number, userId: number): string {
  return `follow:${requirePart('broadcasterUserId', broadcasterUserId)}:${requirePart('userId', userId)}`;
}
