/**
 * A hostile-input corpus against the real web app (real HTTP on a TCP socket, exact bytes): forged and
 * re-serialized signatures, truncated and oversized bodies, stale/future/garbage timestamps, wrong
 * content types, invalid UTF-8, unknown types and versions, schema violations, message ids that are not
 * Kick's shape (BullMQ key names among them), header injection and smuggling attempts, duplicate and huge
 * headers, slowloris clients (cut off by the server's deadlines), and method/URL variants.
 * Each request must get the right status; only the deliveries that should be enqueued are, signed but
 * unusable ones are quarantined (200, so Kick neither retries nor unsubscribes), and the server keeps
 * serving: a valid delivery after the corpus is accepted.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '@kickcord/db';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { samplePayloads } from '@kickcord/kick';
import { generateKickKeyPair } from '@kickcord/kick-sim';
import { KICK_EVENTS_QUEUE, queueKeyPrefix, testQueuePrefix } from '@kickcord/queue';
import { startWeb, type WebHandle } from '@kickcord/web';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@kickcord/testkit';
import { deliveryRequestBytes, httpRequestBytes, kickMessageId, rawHttp, signDelivery, type RawHttpResponse, type SignedDelivery } from './helpers/resilience.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAX_BODY = 1024 * 1024;
const prefix = testQueuePrefix('hostile');
const keys = generateKickKeyPair();
const foreignKeys = generateKickKeyPair();

let db: TestDatabase;
let prisma: PrismaClient;
let web: WebHandle;
let redis: Redis;

beforeAll(async () => {
  db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  redis = new Redis(REDIS_URL);
  const port = await freePort();
  web = await startWeb(
    {
      DATABASE_URL: db.url,
      REDIS_URL,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      PORT: String(port),
      KICK_CLIENT_ID: 'hostile-client',
      KICK_CLIENT_SECRET: 'hostile-secret',
      KICK_API_URL: 'http://127.0.0.1:9',
      KICK_AUTH_URL: 'http://127.0.0.1:9',
      KICK_WEBHOOK_PUBLIC_KEY: keys.publicKeyPem,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY),
      WEBHOOK_BODY_TIMEOUT_MS: '1000',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'silent',
    },
    { queuePrefix: prefix, host: '127.0.0.1' },
  );
}, 60_000);

afterAll(async () => {
  await web?.close();
  const keysLeft = await redis.keys(`${prefix}:*`);
  if (keysLeft.length) await redis.del(...keysLeft);
  redis.disconnect();
  await prisma?.$disconnect();
  await db?.drop();
});

// ───────────────────────────── corpus ─────────────────────────────

const chatPayload = () => ({ ...structuredClone(samplePayloads['chat.message.sent']), message_id: `m-${randomBytes(6).toString('hex')}` });
const valid = (over: Parameters<typeof signDelivery>[1] = { type: 'chat.message.sent' }): SignedDelivery =>
  signDelivery(keys.privateKeyPem, { payload: chatPayload(), ...over });
const withHeaders = (d: SignedDelivery, change: (h: Record<string, string>) => void): SignedDelivery => {
  const headers = { ...d.headers };
  change(headers);
  return { ...d, headers };
};
const req = (d: SignedDelivery, options?: Parameters<typeof deliveryRequestBytes>[1]) => deliveryRequestBytes(d, options);
const headerLines = (d: SignedDelivery, skip: string[] = []) => Object.entries(d.headers).filter(([k]) => !skip.includes(k.toLowerCase())).map(([k, v]) => `${k}: ${v}`);
const isoAgo = (ms: number) => new Date(Date.now() - ms).toISOString();

type Expect = number | 'no-response';
interface HostileCase {
  name: string;
  bytes: () => Buffer;
  status: Expect;
  /** JSON `error` (or `status`) the body must carry. */
  body?: string;
  /** This delivery's message id must be enqueued (positive controls). */
  enqueues?: string;
  /** This delivery's message id must be quarantined. */
  quarantines?: string;
  timeoutMs?: number;
  endAfterWrite?: boolean;
  /** A HEAD request: the answer has headers only. */
  headOnly?: boolean;
}

const cases: HostileCase[] = [];
const add = (c: HostileCase) => cases.push(c);

// Signatures.
{
  const d = valid();
  add({ name: 'signature made with another key', status: 401, body: 'unknown_key', bytes: () => req(withHeaders(d, (h) => (h['Kick-Event-Signature'] = signDelivery(foreignKeys.privateKeyPem, { type: 'chat.message.sent', rawBody: d.body, messageId: d.messageId, timestamp: d.timestamp }).headers['Kick-Event-Signature']!))) });
}
{
  const d = valid();
  const reserialized = Buffer.from(JSON.stringify(JSON.parse(d.body.toString()), null, 2));
  add({ name: 're-serialized body (same JSON, other bytes)', status: 401, body: 'signature_mismatch', bytes: () => req({ ...d, body: reserialized }) });
}
{
  const d = valid();
  add({ name: 'body with a trailing newline added', status: 401, body: 'signature_mismatch', bytes: () => req({ ...d, body: Buffer.concat([d.body, Buffer.from('\n')]) }) });
}
{
  const d = valid();
  const flipped = Buffer.from(d.body);
  flipped[20] = flipped[20]! ^ 0x01;
  add({ name: 'one body bit flipped', status: 401, body: 'signature_mismatch', bytes: () => req({ ...d, body: flipped }) });
}
{
  const d = valid();
  add({ name: 'message id changed after signing', status: 401, body: 'signature_mismatch', bytes: () => req(withHeaders(d, (h) => (h['Kick-Event-Message-Id'] = kickMessageId()))) });
}
{
  const d = valid();
  add({ name: 'timestamp changed by one second after signing', status: 401, body: 'signature_mismatch', bytes: () => req(withHeaders(d, (h) => (h['Kick-Event-Message-Timestamp'] = new Date(Date.parse(h['Kick-Event-Message-Timestamp']!) - 1000).toISOString()))) });
}
{
  const other = valid();
  const d = valid();
  add({ name: "another delivery's valid signature", status: 401, body: 'signature_mismatch', bytes: () => req(withHeaders(d, (h) => (h['Kick-Event-Signature'] = other.headers['Kick-Event-Signature']!))) });
}
add({ name: 'signature not base64', status: 401, body: 'bad_signature_encoding', bytes: () => req(withHeaders(valid(), (h) => (h['Kick-Event-Signature'] = '!!!!not-base64!!!!'))) });
add({ name: 'signature without its padding', status: 401, body: 'bad_signature_encoding', bytes: () => req(withHeaders(valid(), (h) => (h['Kick-Event-Signature'] = h['Kick-Event-Signature']!.replace(/=+$/, '') + 'A'))) });
add({ name: 'truncated signature', status: 401, body: 'bad_signature_encoding', bytes: () => req(withHeaders(valid(), (h) => (h['Kick-Event-Signature'] = h['Kick-Event-Signature']!.slice(0, 100)))) });
add({ name: 'signature repeated twice', status: 401, body: 'bad_signature_encoding', bytes: () => req(withHeaders(valid(), (h) => (h['Kick-Event-Signature'] = h['Kick-Event-Signature']!.repeat(2)))) });
add({ name: 'empty signature', status: 400, body: 'missing_header', bytes: () => req(withHeaders(valid(), (h) => (h['Kick-Event-Signature'] = ''))) });

// Each required Kick header missing.
for (const header of ['Kick-Event-Message-Id', 'Kick-Event-Signature', 'Kick-Event-Message-Timestamp', 'Kick-Event-Type', 'Kick-Event-Version']) {
  add({ name: `without ${header}`, status: 400, body: 'missing_header', bytes: () => req(withHeaders(valid(), (h) => delete h[header])) });
}
// Kick-Event-Subscription-Id is not signed and not in Kick's header table: optional.
{
  const d = valid();
  add({ name: 'without Kick-Event-Subscription-Id (accepted)', status: 200, body: 'enqueued', enqueues: d.messageId, bytes: () => req(withHeaders(d, (h) => delete h['Kick-Event-Subscription-Id'])) });
}

// Timestamps (signed correctly, so only freshness/format can refuse them).
add({ name: 'stale timestamp (13 h old)', status: 400, body: 'stale_timestamp', bytes: () => req(valid({ type: 'chat.message.sent', timestamp: isoAgo(13 * 3600_000) })) });
add({ name: 'future timestamp (+10 min)', status: 400, body: 'future_timestamp', bytes: () => req(valid({ type: 'chat.message.sent', timestamp: isoAgo(-10 * 60_000) })) });
add({ name: 'timestamp "yesterday"', status: 400, body: 'bad_timestamp', bytes: () => req(valid({ type: 'chat.message.sent', timestamp: 'yesterday' })) });
add({ name: 'timestamp as epoch seconds', status: 400, body: 'bad_timestamp', bytes: () => req(valid({ type: 'chat.message.sent', timestamp: String(Math.floor(Date.now() / 1000)) })) });
add({ name: 'timestamp with impossible date', status: 400, body: 'bad_timestamp', bytes: () => req(valid({ type: 'chat.message.sent', timestamp: '2025-13-45T99:99:99Z' })) });

// Truncated and oversized bodies.
{
  const d = valid();
  add({
    name: 'body shorter than Content-Length, then the client hangs up',
    status: 400,
    endAfterWrite: true,
    timeoutMs: 3_000,
    bytes: () => httpRequestBytes(['POST /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1', ...headerLines(d), `Content-Length: ${d.body.length}`], d.body.subarray(0, 300)),
  });
}
{
  const d = valid();
  add({ name: 'truncated body with a matching Content-Length', status: 401, body: 'signature_mismatch', bytes: () => req({ ...d, body: d.body.subarray(0, 300) }) });
}
add({
  name: 'declared 2 MiB body (only 64 KiB sent)',
  status: 413,
  body: 'payload_too_large',
  bytes: () => httpRequestBytes(['POST /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1', ...headerLines(valid()), `Content-Length: ${2 * MAX_BODY}`], Buffer.alloc(64 * 1024, 0x20)),
});
{
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const chunks = Array.from({ length: 18 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
  add({
    name: 'chunked body growing over the limit',
    status: 413,
    body: 'payload_too_large',
    bytes: () => httpRequestBytes(['POST /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1', ...headerLines(valid()), 'Transfer-Encoding: chunked'], Buffer.concat([...chunks, Buffer.from('0\r\n\r\n')])),
  });
}
{
  const big = Buffer.alloc(MAX_BODY + 1, 0x20);
  const d = signDelivery(keys.privateKeyPem, { type: 'chat.message.sent', rawBody: big });
  add({ name: 'validly signed body one byte over the limit', status: 413, body: 'payload_too_large', bytes: () => req(d) });
}

// Content types.
add({ name: 'Content-Type text/plain', status: 415, body: 'unsupported_media_type', bytes: () => req(withHeaders(valid(), (h) => (h['Content-Type'] = 'text/plain'))) });
add({ name: 'no Content-Type', status: 415, body: 'unsupported_media_type', bytes: () => req(withHeaders(valid(), (h) => delete h['Content-Type'])) });
add({ name: 'Content-Type form-urlencoded', status: 415, body: 'unsupported_media_type', bytes: () => req(withHeaders(valid(), (h) => (h['Content-Type'] = 'application/x-www-form-urlencoded'))) });
add({ name: 'Content-Type multipart/form-data', status: 415, body: 'unsupported_media_type', bytes: () => req(withHeaders(valid(), (h) => (h['Content-Type'] = 'multipart/form-data; boundary=x'))) });
add({ name: 'Content-Type application/json-patch+json', status: 415, body: 'unsupported_media_type', bytes: () => req(withHeaders(valid(), (h) => (h['Content-Type'] = 'application/json-patch+json'))) });
{
  const d = withHeaders(valid(), (h) => (h['Content-Type'] = 'application/json; charset=utf-8'));
  add({ name: 'Content-Type with charset parameter (accepted)', status: 200, body: 'enqueued', enqueues: d.messageId, bytes: () => req(d) });
}
{
  const d = withHeaders(valid(), (h) => (h['Content-Type'] = 'Application/JSON'));
  add({ name: 'Content-Type in other case (accepted)', status: 200, body: 'enqueued', enqueues: d.messageId, bytes: () => req(d) });
}

// Signed but unusable: quarantined, never enqueued.
const quarantined = (name: string, input: Parameters<typeof signDelivery>[1]) => {
  const d = signDelivery(keys.privateKeyPem, input);
  add({ name, status: 200, body: 'quarantined', quarantines: d.messageId, bytes: () => req(d) });
};
const json = chatPayload();
const text = JSON.stringify(json);
quarantined('invalid UTF-8 (0xFF 0xFE) in a signed body', { type: 'chat.message.sent', rawBody: Buffer.concat([Buffer.from(text.slice(0, 40)), Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(40))]) });
quarantined('overlong UTF-8 encoding of "/"', { type: 'chat.message.sent', rawBody: Buffer.concat([Buffer.from(text.slice(0, 40)), Buffer.from([0xc0, 0xaf]), Buffer.from(text.slice(40))]) });
quarantined('UTF-8-encoded lone surrogate', { type: 'chat.message.sent', rawBody: Buffer.concat([Buffer.from(text.slice(0, 40)), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(text.slice(40))]) });
quarantined('raw NUL byte inside a JSON string', { type: 'chat.message.sent', rawBody: text.replace('"content":"', '"content":"\u0000') });
quarantined('unknown event type', { type: 'channel.raided', payload: json });
quarantined('known type, unknown version', { type: 'chat.message.sent', version: '2', payload: json });
quarantined('schema violation: empty object', { type: 'chat.message.sent', payload: {} });
quarantined('schema violation: JSON array', { type: 'chat.message.sent', payload: [] });
quarantined('schema violation: JSON null', { type: 'channel.followed', payload: null });
quarantined('schema violation: user id as a string', { type: 'chat.message.sent', payload: { ...json, sender: { ...json.sender, user_id: 'abc' } } });
quarantined('schema violation: follow without follower', { type: 'channel.followed', payload: { broadcaster: json.broadcaster } });
quarantined('invalid JSON (cut short)', { type: 'chat.message.sent', rawBody: text.slice(0, text.length - 5) });
quarantined('deeply nested JSON (50,000 levels)', { type: 'chat.message.sent', rawBody: `${'['.repeat(50_000)}${']'.repeat(50_000)}` });
quarantined('event type with unicode', { type: 'chat.message.sént', payload: json });

// Message ids: only Kick's shapes (ULID, UUID) reach Redis; anything else — BullMQ's own key names
// above all, which once stopped ingest (`marker`) or were taken for duplicates — is refused, signed or not.
const badMessageId = (name: string, messageId: string) => {
  const d = signDelivery(keys.privateKeyPem, { type: 'chat.message.sent', payload: chatPayload(), messageId });
  add({ name: `signed delivery whose message id is ${name}`, status: 400, body: 'bad_message_id', bytes: () => req(d) });
};
for (const word of ['marker', 'meta', 'events', 'id', 'wait', 'active', 'de', 'stalled-check', 'limiter']) badMessageId(`"${word}" (a BullMQ key name)`, word);
badMessageId('a path', '../../etc/passwd');
badMessageId('all digits', '1234567890');
badMessageId('a queue key with colons', 'bull:kick-events:1');
badMessageId('300 characters', 'A'.repeat(300));
badMessageId('a ULID with a letter Crockford base32 leaves out (U)', '01HZZZZZZZZZZZZZZZZZZZZZZU');
badMessageId('27 characters', '01HZZZZZZZZZZZZZZZZZZZZZZZ0');
badMessageId('a UUID without its dashes', '0f8fad5bd9cb469fa16570867728950e');
badMessageId('a UUID with a non-hex letter', '0f8fad5b-d9cb-469f-a165-70867728950g');
{
  const d = signDelivery(keys.privateKeyPem, { type: 'chat.message.sent', payload: chatPayload(), messageId: kickMessageId().toLowerCase() });
  add({ name: 'message id a lower-case ULID (accepted)', status: 200, body: 'enqueued', enqueues: d.messageId, bytes: () => req(d) });
}
{
  const d = signDelivery(keys.privateKeyPem, { type: 'chat.message.sent', payload: chatPayload(), messageId: randomUUID() });
  add({ name: 'message id a UUID (accepted)', status: 200, body: 'enqueued', enqueues: d.messageId, bytes: () => req(d) });
}

// Header injection, smuggling, duplicate and huge headers (refused by the HTTP parser or by verification).
{
  const d = valid();
  const lines = headerLines(d);
  const start = ['POST /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1'];
  add({ name: 'obs-fold continuation line in a Kick header', status: 400, bytes: () => httpRequestBytes([...start, ...lines.map((l) => (l.startsWith('Kick-Event-Type') ? `${l}\r\n  X-Injected: 1` : l)), `Content-Length: ${d.body.length}`], d.body) });
  add({ name: 'NUL byte in a header value', status: 400, bytes: () => httpRequestBytes([...start, ...lines.map((l) => (l.startsWith('Kick-Event-Type') ? `${l}\u0000x` : l)), `Content-Length: ${d.body.length}`], d.body) });
  add({ name: 'bare LF inside a header value', status: 400, bytes: () => httpRequestBytes([...start, ...lines.map((l) => (l.startsWith('Kick-Event-Version') ? `Kick-Event-Version: 1\nX-Injected: yes` : l)), `Content-Length: ${d.body.length}`], d.body) });
  add({ name: 'space in a header name', status: 400, bytes: () => httpRequestBytes([...start, ...lines, 'Kick Event Type: chat.message.sent', `Content-Length: ${d.body.length}`], d.body) });
  add({ name: 'Content-Length together with Transfer-Encoding (smuggling)', status: 400, bytes: () => httpRequestBytes([...start, ...lines, `Content-Length: ${d.body.length}`, 'Transfer-Encoding: chunked'], d.body) });
  add({ name: 'two different Content-Length headers', status: 400, bytes: () => httpRequestBytes([...start, ...lines, `Content-Length: ${d.body.length}`, `Content-Length: ${d.body.length - 10}`], d.body) });
}
{
  const d = valid();
  // Node joins the two values ("<id>, <id>"), which is no message id.
  add({ name: 'duplicate Kick-Event-Message-Id (second value injected)', status: 400, body: 'bad_message_id', bytes: () => req(d, { extraLines: [`Kick-Event-Message-Id: ${kickMessageId()}`] }) });
  add({ name: 'duplicate Kick-Event-Signature', status: 401, bytes: () => req(d, { extraLines: [`Kick-Event-Signature: ${d.headers['Kick-Event-Signature']}`] }) });
  // Kick does not sign the type header: Node joins the two values ("chat.message.sent, channel.followed"),
  // an unknown type, so the (validly signed) delivery is quarantined — never processed as either type.
  add({ name: 'duplicate Kick-Event-Type (second type injected)', status: 200, body: 'quarantined', quarantines: d.messageId, bytes: () => req(d, { extraLines: ['Kick-Event-Type: channel.followed'] }) });
}
{
  const d = withHeaders(valid(), (h) => (h['Content-Type'] = 'text/plain'));
  add({ name: 'duplicate Content-Type (text/plain first)', status: 415, bytes: () => req(d, { extraLines: ['Content-Type: application/json'] }) });
}
add({ name: 'one 20 KB header (over the header size limit)', status: 431, bytes: () => req(valid(), { extraLines: [`X-Padding: ${'a'.repeat(20_000)}`] }) });
add({ name: '300 small headers totalling 24 KB', status: 431, bytes: () => req(valid(), { extraLines: Array.from({ length: 300 }, (_, i) => `X-Pad-${i}: ${'b'.repeat(70)}`) }) });
{
  const d = valid();
  add({ name: '40 junk headers beside a valid delivery (accepted)', status: 200, body: 'enqueued', enqueues: d.messageId, bytes: () => req(d, { extraLines: Array.from({ length: 40 }, (_, i) => `X-Junk-${i}: ${'c'.repeat(40)}`) }) });
}

// Slowloris: the client never finishes; the server answers 408 and closes once its deadline passes
// (body: WEBHOOK_BODY_TIMEOUT_MS, headers: HTTP_HEADERS_TIMEOUT_MS, both 1 s here).
{
  const d = valid();
  add({ name: 'slowloris: headers but only half the body, connection held open', status: 408, body: 'body_timeout', timeoutMs: 5_000, bytes: () => httpRequestBytes(['POST /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1', ...headerLines(d), `Content-Length: ${d.body.length}`], d.body.subarray(0, d.body.length >> 1)) });
  add({ name: 'slowloris: headers never finished', status: 408, timeoutMs: 5_000, bytes: () => Buffer.from(`POST /webhooks/kick HTTP/1.1\r\nHost: 127.0.0.1\r\n${headerLines(d).slice(0, 3).join('\r\n')}\r\n`) });
  add({ name: 'slowloris on another route: headers never finished', status: 408, timeoutMs: 5_000, bytes: () => Buffer.from('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n') });
  // Refused from its headers alone: no body is waited for.
  const stale = valid({ type: 'chat.message.sent', timestamp: isoAgo(13 * 3600_000) });
  add({ name: 'stale delivery that never sends its body (refused from the headers)', status: 400, body: 'stale_timestamp', timeoutMs: 800, bytes: () => httpRequestBytes(['POST /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1', ...headerLines(stale), `Content-Length: ${stale.body.length}`]) });
  const unshaped = signDelivery(keys.privateKeyPem, { type: 'chat.message.sent', payload: chatPayload(), messageId: 'marker' });
  add({ name: 'message id "marker" and no body (refused from the headers)', status: 400, body: 'bad_message_id', timeoutMs: 800, bytes: () => httpRequestBytes(['POST /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1', ...headerLines(unshaped), `Content-Length: ${unshaped.body.length}`]) });
}

// Methods and URLs: only POST /webhooks/kick (with or without a query) reaches the hot route.
{
  const d = valid();
  add({ name: 'GET /webhooks/kick', status: 404, bytes: () => httpRequestBytes(['GET /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1']) });
  add({ name: 'PUT /webhooks/kick with a signed delivery', status: 404, bytes: () => req(d, { method: 'PUT' }) });
  add({ name: 'PATCH /webhooks/kick with a signed delivery', status: 404, bytes: () => req(d, { method: 'PATCH' }) });
  add({ name: 'HEAD /webhooks/kick', status: 404, headOnly: true, bytes: () => httpRequestBytes(['HEAD /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1']) });
  add({ name: 'OPTIONS /webhooks/kick', status: 404, bytes: () => httpRequestBytes(['OPTIONS /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1']) });
  add({ name: 'POST /webhooks/kick/ (trailing slash)', status: 404, bytes: () => req(d, { path: '/webhooks/kick/' }) });
  add({ name: 'POST /webhooks/KICK', status: 404, bytes: () => req(d, { path: '/webhooks/KICK' }) });
  add({ name: 'POST //webhooks/kick', status: 404, bytes: () => req(d, { path: '//webhooks/kick' }) });
  add({ name: 'POST /webhooks/kick%2F', status: 404, bytes: () => req(d, { path: '/webhooks/kick%2F' }) });
  add({ name: 'POST /webhooks/../webhooks/kick', status: 404, bytes: () => req(d, { path: '/webhooks/../webhooks/kick' }) });
  add({ name: 'POST absolute-form http://127.0.0.1/webhooks/kick', status: 404, bytes: () => req(d, { path: 'http://127.0.0.1/webhooks/kick' }) });
  add({ name: 'garbage request line', status: 400, bytes: () => Buffer.from('HELLO THERE\r\n\r\n') });
  add({ name: 'unknown HTTP version', status: 400, bytes: () => httpRequestBytes(['POST /webhooks/kick HTTP/3.0', 'Host: 127.0.0.1', 'Content-Length: 0']) });
}
{
  const d = valid();
  add({ name: 'POST /webhooks/kick?source=kick (accepted)', status: 200, body: 'enqueued', enqueues: d.messageId, bytes: () => req(d, { path: '/webhooks/kick?source=kick' }) });
}
{
  const d = valid();
  add({ name: 'HTTP/1.0 request (accepted)', status: 200, body: 'enqueued', enqueues: d.messageId, bytes: () => Buffer.from(req(d).toString('latin1').replace('HTTP/1.1', 'HTTP/1.0'), 'latin1') });
  add({ name: 'replay of an accepted delivery', status: 200, body: 'duplicate', bytes: () => req(d) });
}

// ───────────────────────────── tests ─────────────────────────────

const results = new Map<string, RawHttpResponse>();

async function queuedIds(): Promise<string[]> {
  return redis.lrange(`${queueKeyPrefix(prefix)}:${KICK_EVENTS_QUEUE}:wait`, 0, -1);
}

describe(`hostile input: ${cases.length} requests`, () => {
  it('has at least 50 requests in the corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const res = await rawHttp(web.port, c.bytes(), { timeoutMs: c.timeoutMs ?? 10_000, endAfterWrite: c.endAfterWrite ?? false, headOnly: c.headOnly ?? false });
    results.set(c.name, res);
    if (c.status === 'no-response') {
      expect(res.status).toBe(0);
    } else {
      expect(res.status, `${c.name}: ${res.body.slice(0, 200)}`).toBe(c.status);
      if (c.body) expect(res.body).toContain(c.body);
    }
  });

  it('enqueued exactly the deliveries that should be, once each', async () => {
    const expected = cases.flatMap((c) => (c.enqueues ? [c.enqueues] : []));
    const ids = await queuedIds();
    expect([...ids].sort()).toEqual([...expected].sort());
  });

  it('quarantined every signed-but-unusable delivery (and nothing it refused)', async () => {
    const expected = cases.flatMap((c) => (c.quarantines ? [c.quarantines.slice(0, 512)] : []));
    const rows = await prisma.quarantinedDelivery.findMany({ select: { messageId: true } });
    expect(rows.map((r) => r.messageId).sort()).toEqual([...expected].sort());
  });

  it('keeps serving: a valid delivery after the corpus is accepted and enqueued', async () => {
    const d = valid();
    const res = await rawHttp(web.port, req(d));
    expect(res.status).toBe(200);
    expect(res.body).toContain('enqueued');
    expect(await queuedIds()).toContain(d.messageId);
    const health = await rawHttp(web.port, httpRequestBytes(['GET /healthz HTTP/1.1', 'Host: 127.0.0.1']));
    expect(health.status).toBe(200);
  });
});
