import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@kickcord/db';
import { checkKickEvent, eventBroadcasterId, KICK_EVENT_TYPES, KickWebhookVerifier, parseKickEvent, type WebhookKeyProvider, type WebhookVerification } from '@kickcord/kick';
import { isSafeJobId, KickEventEnqueuer, kickEventJobJson, type KickEventJob, type RedisConnection } from '@kickcord/queue';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { DEFAULT_WEBHOOK_BODY_TIMEOUT_MS, DEFAULT_WEBHOOK_MAX_PENDING_BODIES, DEFAULT_WEBHOOK_PENDING_BODY_BYTES, DEFAULT_WEBHOOK_VERIFY_THREADS } from '../env.ts';
import { LogSampler } from '../logger.ts';
import type { WebMetrics } from '../metrics.ts';
import { decodeUtf8, quarantineDelivery, type QuarantineReason } from './quarantine.ts';
import { checkDeliveryHeaders, signatureBase64Length, type DeliveryHeaderLimits, type HeaderRefusalReason } from './checkDeliveryHeaders.ts';
import { createBodyReader, type RawBodyResult } from './createBodyReader.ts';
import { BODY, sendAccepted, sendJson } from './responses.ts';

/** How far in the future a delivery may be dated (clock skew between Kick and us). */
export const WEBHOOK_MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** Extra time the dedupe key outlives the max-age window (a delivery older than the window is refused anyway). */
export const DEDUPE_TTL_MARGIN_MS = 10 * 60 * 1000;
/** Give up on Redis after this long and answer 503 so Kick retries. */
export const ENQUEUE_TIMEOUT_MS = 2_000;
/** `Retry-After` sent with 503. */
export const RETRY_AFTER_SECONDS = 5;

const CLOSE = { connection: 'close' } as const;

// Metric labels must not take arbitrary header values.
const KNOWN_TYPES: ReadonlySet<string> = new Set(KICK_EVENT_TYPES);

/** Dependencies of the webhook ingest handler. */
export interface WebhookHandlerDeps {
  queue: Queue<KickEventJob>;
  /** The producer connection the queue uses (the enqueuer writes jobs and their dedupe keys with it). */
  redis: RedisConnection;
  prisma: PrismaClient;
  keyProvider: WebhookKeyProvider;
  metrics: WebMetrics;
  logger: Logger;
  /** Refuse deliveries older than this (ms). */
  maxAgeMs: number;
  maxBodyBytes: number;
  /** A body must arrive within this long after its headers (default {@link DEFAULT_WEBHOOK_BODY_TIMEOUT_MS}); slower → 408. */
  bodyTimeoutMs?: number;
  /** Bodies read at once (default {@link DEFAULT_WEBHOOK_MAX_PENDING_BODIES}); one more ends the oldest (503 + Retry-After). */
  maxPendingBodies?: number;
  /** Bytes unfinished bodies may buffer together (default {@link DEFAULT_WEBHOOK_PENDING_BODY_BYTES}); past it the oldest are ended. */
  pendingBodyBytes?: number;
  maxFutureSkewMs?: number;
  enqueueTimeoutMs?: number;
  now?: () => Date;
  /** Signature checker; default a {@link KickWebhookVerifier} of the handler's own (closed by `close()`). */
  verifier?: KickWebhookVerifier;
  /** Worker threads of the handler's own verifier (0 = main thread, the default). */
  verifyThreads?: number;
}

type VerifiedDelivery = WebhookVerification & { ok: true };

/**
 * A bare `node:http` handler for `POST /webhooks/kick`; `close()` stops its verification worker and body
 * deadline timer; `pendingBodies` / `pendingBodyBytes` tell how many bodies it is reading now and what
 * they have buffered.
 */
export type WebhookHandler = ((req: IncomingMessage, res: ServerResponse) => void) & { close(): Promise<void>; readonly pendingBodies: number; readonly pendingBodyBytes: number };

function isJsonContentType(value: string | undefined): boolean {
  if (value === 'application/json') return true;
  if (!value) return false;
  const semi = value.indexOf(';');
  const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  return type === 'application/json';
}

/**
 * Builds the webhook ingest handler: content type → headers (presence, message id shape, timestamp
 * format and freshness, signature encoding and size — all before a byte of the body is read) → size
 * limit → body, under a deadline and a cap on bodies read at once → signature → parse →
 * (quarantine | one BullMQ job with jobId = deduplication id = message id, written by
 * {@link KickEventEnqueuer}: the deliveries of one event-loop turn in one Redis script call, which
 * also tells `duplicate` from `enqueued`). It answers 200 only after the job is durably in Redis;
 * 503 + Retry-After while Redis is away.
 * No Postgres write happens for a normal delivery (the worker records it).
 */
export function createWebhookHandler(deps: WebhookHandlerDeps): WebhookHandler {
  const { queue, redis, prisma, keyProvider, metrics, logger } = deps;
  const maxFutureSkewMs = deps.maxFutureSkewMs ?? WEBHOOK_MAX_FUTURE_SKEW_MS;
  const enqueueTimeoutMs = deps.enqueueTimeoutMs ?? ENQUEUE_TIMEOUT_MS;
  const now = deps.now ?? (() => new Date());
  const dedupeTtlMs = deps.maxAgeMs + DEDUPE_TTL_MARGIN_MS;
  const nowMs = deps.now ? () => deps.now!().getTime() : Date.now;
  const bodies = createBodyReader({
    maxBytes: deps.maxBodyBytes,
    timeoutMs: deps.bodyTimeoutMs ?? DEFAULT_WEBHOOK_BODY_TIMEOUT_MS,
    maxPending: deps.maxPendingBodies ?? DEFAULT_WEBHOOK_MAX_PENDING_BODIES,
    maxPendingBytes: Math.max(deps.pendingBodyBytes ?? DEFAULT_WEBHOOK_PENDING_BODY_BYTES, deps.maxBodyBytes),
  });
  // One limits object for every delivery (only the clock and the key's size change): nothing allocated per check.
  const headerLimits: DeliveryHeaderLimits = { nowMs: 0, maxAgeMs: deps.maxAgeMs, maxFutureSkewMs, signatureLength: undefined };
  // The signature's expected size follows Kick's key; recomputed only when the key changes.
  let sizedKey: KeyObject | undefined;
  let signatureLength: number | undefined;
  const expectedSignatureLength = (): number | undefined => {
    const key = keyProvider.current();
    if (key !== sizedKey) {
      sizedKey = key;
      signatureLength = key ? signatureBase64Length(key) : undefined;
    }
    return signatureLength;
  };
  // Deliveries verified in the same event-loop turn go to Redis in one script call (BullMQ's job format).
  // RSA checks run on the main thread by default; with WEBHOOK_VERIFY_THREADS ≥ 1 those of one
  // event-loop turn go to a worker thread together (one wake-up per batch), freeing the main thread
  // where cores are to spare.
  const verifier = deps.verifier ?? new KickWebhookVerifier({ threads: deps.verifyThreads ?? DEFAULT_WEBHOOK_VERIFY_THREADS });
  const enqueuer = new KickEventEnqueuer({ queue, redis, dedupeTtlMs, timeoutMs: enqueueTimeoutMs });
  const sampler = new LogSampler();
  // Labelled counter children for the hot path, made once per (known type, outcome): no label hashing per delivery.
  const acceptedCounters = new Map<string, { inc(): void }>();
  const acceptedCounter = (type: string, outcome: 'enqueued' | 'duplicate') => {
    const key = `${type} ${outcome}`;
    let counter = acceptedCounters.get(key);
    if (!counter) {
      counter = metrics.deliveries.labels({ type, outcome });
      acceptedCounters.set(key, counter);
    }
    return counter;
  };
  const log = logger.child({ route: 'POST /webhooks/kick' });

  const logSampled = (key: string, level: 'warn' | 'error', fields: Record<string, unknown>, msg: string) => {
    const suppressed = sampler.take(key);
    if (suppressed === undefined) return;
    log[level]({ ...fields, ...(suppressed ? { suppressed } : {}) }, msg);
  };

  function crashed(res: ServerResponse, error: unknown): void {
    log.error({ err: error }, 'webhook handler crashed');
    sendJson(res, 500, { error: 'internal_error', detail: 'Unexpected error; retry later' });
  }

  function refuse(res: ServerResponse, read: RawBodyResult & { ok: false }): void {
    switch (read.reason) {
      case 'aborted':
        return;
      case 'too_large':
        metrics.deliveries.inc({ type: 'unverified', outcome: 'payload_too_large' });
        logSampled('413', 'warn', { status: 413 }, 'webhook refused: body too large');
        sendJson(res, 413, { error: 'payload_too_large', detail: `Body exceeds ${deps.maxBodyBytes} bytes` }, { connection: 'close' });
        return;
      case 'timed_out':
        metrics.deliveries.inc({ type: 'unverified', outcome: 'body_timeout' });
        logSampled('408', 'warn', { status: 408 }, 'webhook refused: body not received in time');
        sendJson(res, 408, { error: 'body_timeout', detail: `The body did not arrive within ${deps.bodyTimeoutMs ?? DEFAULT_WEBHOOK_BODY_TIMEOUT_MS} ms` }, { connection: 'close' });
        return;
      case 'evicted':
        // Possibly a real delivery on a slow link: 503 so Kick sends it again.
        metrics.deliveries.inc({ type: 'unverified', outcome: 'overloaded' });
        logSampled('503_overloaded', 'warn', { status: 503 }, 'webhook refused: too many unfinished bodies, the oldest was ended');
        sendJson(
          res,
          503,
          { error: 'overloaded', detail: 'Too many deliveries were still sending their body; retry later' },
          { connection: 'close', 'retry-after': String(RETRY_AFTER_SECONDS) },
        );
        return;
    }
  }

  function reject(res: ServerResponse, reason: HeaderRefusalReason | (WebhookVerification & { ok: false })['reason'], detail: string, extra?: Record<string, string>): void {
    const status = reason === 'signature_mismatch' || reason === 'unknown_key' || reason === 'bad_signature_encoding' ? 401 : 400;
    metrics.verificationFailures.inc({ reason });
    metrics.deliveries.inc({ type: 'unverified', outcome: 'rejected' });
    logSampled(reason, 'warn', { status, reason, detail }, 'webhook refused: verification failed');
    sendJson(res, status, { error: reason, detail }, extra);
  }

  async function quarantine(res: ServerResponse, verified: { messageId: string; eventType: string; eventVersion: string }, rawBody: Buffer, reason: QuarantineReason, detail: string): Promise<void> {
    const { messageId, eventType, eventVersion } = verified;
    metrics.deliveries.inc({ type: KNOWN_TYPES.has(eventType) ? eventType : 'unknown', outcome: 'quarantined' });
    let inserted: boolean;
    try {
      inserted = await quarantineDelivery(prisma, { messageId, eventType, eventVersion, reason: `${reason}: ${detail}`, rawBody });
    } catch (error) {
      // Not stored anywhere yet: let Kick retry rather than lose it.
      logSampled('quarantine_unavailable', 'error', { status: 503, messageId, err: error }, 'webhook quarantine write failed');
      sendJson(res, 503, { error: 'quarantine_unavailable', detail: 'Could not store the delivery; retry later' }, { 'retry-after': String(RETRY_AFTER_SECONDS) });
      return;
    }
    if (inserted) log.warn({ messageId, eventType, eventVersion, reason, detail: detail.slice(0, 500) }, 'webhook quarantined');
    sendJson(res, 200, BODY.quarantined);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
    const receivedAt = now();
    const key = keyProvider.current() ?? (await keyProvider.getKey());
    const verified = await verifier.verify({ headers: req.headers, rawBody, key, now: receivedAt, maxAgeMs: deps.maxAgeMs, maxFutureSkewMs });
    if (!verified.ok) return reject(res, verified.reason, verified.detail);
    const { messageId, eventType, eventVersion } = verified;

    // Unreachable with a ULID or UUID unless it is all digits (which BullMQ would read as a number).
    if (!isSafeJobId(messageId)) return quarantine(res, verified, rawBody, 'bad_message_id', 'message id is not a ULID-like token');
    const text = decodeUtf8(rawBody);
    if (text === undefined) return quarantine(res, verified, rawBody, 'invalid_utf8', 'body is not valid UTF-8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      return quarantine(res, verified, rawBody, 'invalid_json', error instanceof Error ? error.message : 'invalid JSON');
    }
    // The compiled check answers "would zod accept it?" without building zod's output objects; only
    // a delivery it refuses goes through zod, for the reasons the quarantine row records.
    const broadcasterUserId = checkKickEvent(eventType, eventVersion, body);
    if (broadcasterUserId === undefined) {
      const parsed = parseKickEvent(eventType, eventVersion, body);
      if (!parsed.ok) {
        return quarantine(res, verified, rawBody, parsed.reason, parsed.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '));
      }
      // Unreachable while the check and zod agree (packages/kick tests that they do); if not, zod wins.
      logSampled('check_disagrees', 'error', { eventType, messageId }, 'fast payload check refused what zod accepts');
      return enqueue(res, receivedAt, verified, text, eventBroadcasterId(parsed.event));
    }
    return enqueue(res, receivedAt, verified, text, broadcasterUserId);
  }

  async function enqueue(res: ServerResponse, receivedAt: Date, verified: VerifiedDelivery, text: string, broadcasterUserId: number): Promise<void> {
    const { messageId, subscriptionId, eventType, eventVersion } = verified;

    // The payload goes into the job as the delivery's own (validated) JSON text: no re-serialization.
    const jobJson = kickEventJobJson(
      {
        messageId,
        subscriptionId,
        eventType,
        eventVersion,
        messageTimestamp: verified.rawTimestamp,
        receivedAt: receivedAt.toISOString(),
        broadcasterUserId,
      },
      text,
    );
    const started = performance.now();
    let outcome: 'enqueued' | 'duplicate';
    try {
      // Atomic and deduplicated in Redis (jobId = deduplication id = message id): a delivery seen
      // before is never enqueued twice and is answered `duplicate`.
      outcome = await enqueuer.enqueue(messageId, eventType, jobJson);
    } catch (error) {
      metrics.deliveries.inc({ type: eventType, outcome: 'queue_unavailable' });
      logSampled('queue_unavailable', 'error', { status: 503, messageId, err: error }, 'webhook enqueue failed');
      sendJson(res, 503, { error: 'queue_unavailable', detail: 'The event queue is unavailable; retry later' }, { 'retry-after': String(RETRY_AFTER_SECONDS) });
      return;
    }
    metrics.enqueueSeconds.observe((performance.now() - started) / 1000);
    acceptedCounter(eventType, outcome).inc();
    sendAccepted(res, outcome);
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (!isJsonContentType(req.headers['content-type'])) {
      metrics.deliveries.inc({ type: 'unverified', outcome: 'unsupported_media_type' });
      logSampled('415', 'warn', { status: 415, contentType: req.headers['content-type'] }, 'webhook refused: not JSON');
      sendJson(res, 415, { error: 'unsupported_media_type', detail: 'Content-Type must be application/json' }, { connection: 'close' });
      return;
    }
    // Refused before the body is read, and the connection closed: nothing of it is buffered or drained.
    headerLimits.nowMs = nowMs();
    headerLimits.signatureLength = expectedSignatureLength();
    const refusal = checkDeliveryHeaders(req.headers, headerLimits);
    if (refusal !== undefined) return reject(res, refusal.reason, refusal.detail, CLOSE);
    bodies.read(req, (read) => {
      if (!read.ok) refuse(res, read);
      else handle(req, res, read.body).catch((error: unknown) => crashed(res, error));
    });
  };
  return Object.defineProperties(handler, {
    close: {
      value: () => {
        bodies.close();
        return deps.verifier ? Promise.resolve() : verifier.close();
      },
    },
    pendingBodies: { get: () => bodies.pending },
    pendingBodyBytes: { get: () => bodies.pendingBytes },
  }) as WebhookHandler;
}
