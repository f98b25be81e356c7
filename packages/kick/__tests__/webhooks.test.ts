import { createPublicKey, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl } from './helpers/httpStub.ts';
import { KickValidationError } from '../src/errors/KickValidationError.ts';
import { KickWebhookVerifier } from '../src/webhooks/KickWebhookVerifier.ts';
import { WebhookKeyProvider } from '../src/webhooks/WebhookKeyProvider.ts';
import { KICK_WEBHOOK_HEADERS } from '../src/webhooks/headers.ts';
import { KICK_PUBLIC_KEY_PEM } from '../src/webhooks/kickPublicKey.ts';
import { signKickWebhook } from '../src/webhooks/signKickWebhook.ts';
import { verifyKickWebhook, verifyKickWebhookAsync, type WebhookRejectReason } from '../src/webhooks/verifyKickWebhook.ts';
import {
  FIXTURE_MESSAGE_ID,
  FIXTURE_PRIVATE_KEY_PEM,
  FIXTURE_PUBLIC_KEY_PEM,
  FIXTURE_RAW_BODY,
  FIXTURE_SIGNATURE,
  FIXTURE_SUBSCRIPTION_ID,
  FIXTURE_TIMESTAMP,
  OTHER_PUBLIC_KEY_PEM,
  OTHER_SIGNATURE,
} from './fixtures/webhookKeys.ts';

const key = createPublicKey(FIXTURE_PUBLIC_KEY_PEM);
const otherKey = createPublicKey(OTHER_PUBLIC_KEY_PEM);
const rawBody = Buffer.from(FIXTURE_RAW_BODY, 'utf8');

function headers(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    'Kick-Event-Message-Id': FIXTURE_MESSAGE_ID,
    'Kick-Event-Subscription-Id': FIXTURE_SUBSCRIPTION_ID,
    'Kick-Event-Signature': FIXTURE_SIGNATURE,
    'Kick-Event-Message-Timestamp': FIXTURE_TIMESTAMP,
    'Kick-Event-Type': 'channel.followed',
    'Kick-Event-Version': '1',
    ...overrides,
  };
}

const toBase64Url = (s: string) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('signKickWebhook (known answer)', () => {
  it('reproduces the committed fixture signature', () => {
    expect(signKickWebhook({ messageId: FIXTURE_MESSAGE_ID, timestamp: FIXTURE_TIMESTAMP, rawBody, privateKey: FIXTURE_PRIVATE_KEY_PEM })).toBe(
      FIXTURE_SIGNATURE,
    );
    expect(signKickWebhook({ messageId: FIXTURE_MESSAGE_ID, timestamp: FIXTURE_TIMESTAMP, rawBody: FIXTURE_RAW_BODY, privateKey: FIXTURE_PRIVATE_KEY_PEM })).toBe(
      FIXTURE_SIGNATURE,
    );
  });
});

describe('verifyKickWebhook', () => {
  it('accepts the fixture delivery and returns its metadata', () => {
    const result = verifyKickWebhook({ headers: headers(), rawBody, key });
    expect(result).toEqual({
      ok: true,
      messageId: FIXTURE_MESSAGE_ID,
      subscriptionId: FIXTURE_SUBSCRIPTION_ID,
      eventType: 'channel.followed',
      eventVersion: '1',
      timestamp: new Date(FIXTURE_TIMESTAMP),
      rawTimestamp: FIXTURE_TIMESTAMP,
    });
  });

  it('accepts a delivery without Kick-Event-Subscription-Id (not signed, not in Kick\'s header table): subscriptionId null', () => {
    for (const value of [undefined, '', '  ']) {
      const result = verifyKickWebhook({ headers: headers({ 'Kick-Event-Subscription-Id': value }), rawBody, key });
      expect(result).toMatchObject({ ok: true, messageId: FIXTURE_MESSAGE_ID, subscriptionId: null });
    }
  });

  it('matches header names case-insensitively and accepts array values and Uint8Array bodies', () => {
    const lower = Object.fromEntries(Object.entries(headers()).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifyKickWebhook({ headers: lower, rawBody, key }).ok).toBe(true);
    const upper = Object.fromEntries(Object.entries(headers()).map(([k, v]) => [k.toUpperCase(), v ? [v] : v]));
    expect(verifyKickWebhook({ headers: upper, rawBody: new Uint8Array(rawBody), key }).ok).toBe(true);
  });

  it('signs the raw bytes: a body with non-ASCII and odd spacing verifies byte-for-byte', () => {
    const body = Buffer.from('{ "content" : "héllo 👋",\n"x":1 }', 'utf8');
    const signature = signKickWebhook({ messageId: 'm', timestamp: FIXTURE_TIMESTAMP, rawBody: body, privateKey: FIXTURE_PRIVATE_KEY_PEM });
    expect(verifyKickWebhook({ headers: headers({ 'Kick-Event-Message-Id': 'm', 'Kick-Event-Signature': signature }), rawBody: body, key }).ok).toBe(true);
  });

  const oneByteChanged = Buffer.from(rawBody);
  oneByteChanged[oneByteChanged.indexOf('9'.charCodeAt(0))] = '8'.charCodeAt(0);
  const tampered: { name: string; headers?: Record<string, string | undefined>; body?: Buffer; key?: KeyObject; reason: WebhookRejectReason }[] = [
    { name: 'body re-serialized with spaces', body: Buffer.from(JSON.stringify(JSON.parse(FIXTURE_RAW_BODY), null, 2)), reason: 'signature_mismatch' },
    { name: 'body re-serialized compactly with a trailing newline', body: Buffer.from(`${JSON.stringify(JSON.parse(FIXTURE_RAW_BODY))}\n`), reason: 'signature_mismatch' },
    { name: 'one body byte changed', body: oneByteChanged, reason: 'signature_mismatch' },
    { name: 'empty body', body: Buffer.alloc(0), reason: 'signature_mismatch' },
    { name: 'other (valid) timestamp', headers: { 'Kick-Event-Message-Timestamp': '2025-01-14T16:08:08.123Z' }, reason: 'signature_mismatch' },
    { name: 'same instant, different spelling', headers: { 'Kick-Event-Message-Timestamp': '2025-01-14T16:08:07.123+00:00' }, reason: 'signature_mismatch' },
    { name: 'other message id', headers: { 'Kick-Event-Message-Id': '01JH0A5V7QK3ZB9M2D4E6F8G0X' }, reason: 'signature_mismatch' },
    { name: 'unparseable timestamp', headers: { 'Kick-Event-Message-Timestamp': 'yesterday' }, reason: 'bad_timestamp' },
    { name: 'timestamp without zone', headers: { 'Kick-Event-Message-Timestamp': '2025-01-14T16:08:07' }, reason: 'bad_timestamp' },
    { name: 'base64url signature', headers: { 'Kick-Event-Signature': toBase64Url(FIXTURE_SIGNATURE) }, reason: 'bad_signature_encoding' },
    {
      name: 'base64url alphabet with padding kept',
      headers: { 'Kick-Event-Signature': FIXTURE_SIGNATURE.replace(/\+/g, '-').replace(/\//g, '_') },
      reason: 'bad_signature_encoding',
    },
    { name: 'padding stripped', headers: { 'Kick-Event-Signature': FIXTURE_SIGNATURE.replace(/=+$/, '') }, reason: 'bad_signature_encoding' },
    { name: 'extra padding', headers: { 'Kick-Event-Signature': `${FIXTURE_SIGNATURE}==` }, reason: 'bad_signature_encoding' },
    { name: 'truncated signature (whole quads)', headers: { 'Kick-Event-Signature': `${FIXTURE_SIGNATURE.slice(0, 340)}` }, reason: 'bad_signature_encoding' },
    { name: 'truncated signature (mid quad)', headers: { 'Kick-Event-Signature': FIXTURE_SIGNATURE.slice(0, 100) }, reason: 'bad_signature_encoding' },
    { name: 'signature with a space inside', headers: { 'Kick-Event-Signature': `${FIXTURE_SIGNATURE.slice(0, 8)} ${FIXTURE_SIGNATURE.slice(9)}` }, reason: 'bad_signature_encoding' },
    { name: 'one signature char changed', headers: { 'Kick-Event-Signature': `${FIXTURE_SIGNATURE[0] === 'A' ? 'B' : 'A'}${FIXTURE_SIGNATURE.slice(1)}` }, reason: 'unknown_key' },
    { name: 'signed by another key', headers: { 'Kick-Event-Signature': OTHER_SIGNATURE }, reason: 'unknown_key' },
    { name: 'verified against another key', key: otherKey, reason: 'unknown_key' },
    ...Object.values(KICK_WEBHOOK_HEADERS)
      .filter((name) => name !== KICK_WEBHOOK_HEADERS.subscriptionId)
      .map((name) => ({ name: `missing ${name}`, headers: { [name]: undefined }, reason: 'missing_header' as const })),
    { name: 'empty Kick-Event-Signature', headers: { 'Kick-Event-Signature': '' }, reason: 'missing_header' },
  ];

  it('fixture signature uses characters that differ between base64 and base64url', () => {
    expect(FIXTURE_SIGNATURE).toMatch(/[+/]/);
    expect(FIXTURE_SIGNATURE.endsWith('==')).toBe(true);
  });

  it.each(tampered)('rejects $name → $reason', (row) => {
    const result = verifyKickWebhook({ headers: headers(row.headers), rawBody: row.body ?? rawBody, key: row.key ?? key });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe(row.reason);
      expect(result.detail.length).toBeGreaterThan(0);
    }
  });

  it.each(tampered)('the thread-pool variant agrees on $name', async (row) => {
    const input = { headers: headers(row.headers), rawBody: row.body ?? rawBody, key: row.key ?? key };
    expect(await verifyKickWebhookAsync(input)).toEqual(verifyKickWebhook(input));
  });

  it('the batching worker verifier agrees on every case, all in one batch, and after close()', async () => {
    const verifier = new KickWebhookVerifier({ maxBatch: 8 });
    try {
      const inputs = [...tampered, { name: 'fixture', headers: {}, body: undefined, key: undefined }].flatMap((row) => {
        const input = { headers: headers(row.headers), rawBody: row.body ?? rawBody, key: row.key ?? key };
        return [input, input];
      });
      // Issued in one turn: several batches (maxBatch 8), with keys changing inside them.
      const results = await Promise.all(inputs.map((input) => verifier.verify(input)));
      expect(results).toEqual(inputs.map((input) => verifyKickWebhook(input)));
      expect(results.filter((r) => r.ok)).toHaveLength(2);
    } finally {
      await verifier.close();
    }
    const input = { headers: headers(), rawBody, key };
    expect(await verifier.verify(input)).toEqual(verifyKickWebhook(input));
  });

  it('the inline verifier (threads: 0) agrees on every case and starts no worker', async () => {
    const verifier = new KickWebhookVerifier({ threads: 0 });
    const inputs = [...tampered, { name: 'fixture', headers: {}, body: undefined, key: undefined }].map((row) => ({
      headers: headers(row.headers),
      rawBody: row.body ?? rawBody,
      key: row.key ?? key,
    }));
    const results = await Promise.all(inputs.map((input) => verifier.verify(input)));
    expect(results).toEqual(inputs.map((input) => verifyKickWebhook(input)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    await verifier.close();
    expect(() => new KickWebhookVerifier({ threads: -1 })).toThrow(RangeError);
    expect(() => new KickWebhookVerifier({ threads: 1.5 })).toThrow(RangeError);
  });

  it('the thread-pool variant accepts the fixture delivery', async () => {
    const input = { headers: headers({}), rawBody, key };
    const result = await verifyKickWebhookAsync(input);
    expect(result).toEqual(verifyKickWebhook(input));
    expect(result.ok).toBe(true);
  });

  it('names the missing header in the detail', () => {
    const result = verifyKickWebhook({ headers: headers({ 'Kick-Event-Type': undefined }), rawBody, key });
    expect(result).toEqual({ ok: false, reason: 'missing_header', detail: expect.stringContaining('Kick-Event-Type') });
  });

  it('only checks freshness when asked, with now, maxAgeMs and maxFutureSkewMs', () => {
    const sent = new Date(FIXTURE_TIMESTAMP).getTime();
    const farFuture = new Date(sent + 365 * 24 * 3600_000);
    expect(verifyKickWebhook({ headers: headers(), rawBody, key, now: farFuture }).ok).toBe(true);

    const at = (offsetMs: number, opts: { maxAgeMs?: number; maxFutureSkewMs?: number }) =>
      verifyKickWebhook({ headers: headers(), rawBody, key, now: new Date(sent + offsetMs), ...opts });
    expect(at(5 * 60_000, { maxAgeMs: 5 * 60_000 }).ok).toBe(true);
    expect(at(5 * 60_000 + 1, { maxAgeMs: 5 * 60_000 })).toMatchObject({ ok: false, reason: 'stale_timestamp' });
    expect(at(-30_000, { maxFutureSkewMs: 30_000 }).ok).toBe(true);
    expect(at(-30_001, { maxFutureSkewMs: 30_000 })).toMatchObject({ ok: false, reason: 'future_timestamp' });
    // Only the requested bound is enforced.
    expect(at(-10 * 60_000, { maxAgeMs: 60_000 }).ok).toBe(true);
    expect(at(10 * 60_000, { maxFutureSkewMs: 1000 }).ok).toBe(true);
  });

  it('verifies a delivery signed with a freshly signed body via signKickWebhook round trip', () => {
    const body = Buffer.from('{"a":1}');
    const signature = signKickWebhook({ messageId: 'id-1', timestamp: '2026-01-01T00:00:00Z', rawBody: body, privateKey: FIXTURE_PRIVATE_KEY_PEM });
    const h = headers({ 'Kick-Event-Message-Id': 'id-1', 'Kick-Event-Message-Timestamp': '2026-01-01T00:00:00Z', 'Kick-Event-Signature': signature });
    expect(verifyKickWebhook({ headers: h, rawBody: body, key })).toMatchObject({ ok: true, messageId: 'id-1' });
    expect(verifyKickWebhook({ headers: h, rawBody: body, key: otherKey })).toMatchObject({ ok: false, reason: 'unknown_key' });
  });
});

describe('WebhookKeyProvider', () => {
  let server: Server;
  let apiUrl: string;
  let requests = 0;
  let mode: 'ok' | 'fail' | 'other' = 'ok';

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      if (req.url !== '/public/v1/public-key' || mode === 'fail') {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { public_key: mode === 'ok' ? FIXTURE_PUBLIC_KEY_PEM : OTHER_PUBLIC_KEY_PEM }, message: 'OK' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const pem = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();

  it('prefers an explicit PEM and never fetches', async () => {
    requests = 0;
    const provider = new WebhookKeyProvider({ pem: FIXTURE_PUBLIC_KEY_PEM, apiUrl });
    expect(provider.source).toBe('explicit');
    expect(pem(provider.current()!)).toBe(FIXTURE_PUBLIC_KEY_PEM);
    expect(pem(await provider.getKey())).toBe(FIXTURE_PUBLIC_KEY_PEM);
    expect(requests).toBe(0);
  });

  it('uses the pinned key without apiUrl', async () => {
    const provider = new WebhookKeyProvider();
    expect(provider.source).toBe('pinned');
    expect(pem(await provider.getKey())).toBe(KICK_PUBLIC_KEY_PEM);
  });

  it('accepts the public half derived from a private key PEM', () => {
    const derived = createPublicKey(FIXTURE_PRIVATE_KEY_PEM);
    expect(verifyKickWebhook({ headers: headers(), rawBody, key: derived }).ok).toBe(true);
  });

  it('rejects an unreadable explicit PEM with a KickValidationError', () => {
    expect(() => new WebhookKeyProvider({ pem: 'not a key' })).toThrow(KickValidationError);
  });

  it('fetches once, caches for 24 h and shares a concurrent fetch', async () => {
    requests = 0;
    mode = 'ok';
    let now = 1_000_000;
    const provider = new WebhookKeyProvider({ apiUrl, now: () => now });
    expect(provider.current()).toBeUndefined();
    const keys = await Promise.all([provider.getKey(), provider.getKey(), provider.getKey()]);
    expect(requests).toBe(1);
    expect(provider.source).toBe('fetched');
    expect(keys.every((k) => pem(k) === FIXTURE_PUBLIC_KEY_PEM)).toBe(true);
    expect(pem(provider.current()!)).toBe(FIXTURE_PUBLIC_KEY_PEM);

    now += 23 * 3600_000;
    await provider.getKey();
    expect(requests).toBe(1);

    mode = 'other';
    now += 2 * 3600_000;
    expect(pem(await provider.getKey())).toBe(OTHER_PUBLIC_KEY_PEM);
    expect(requests).toBe(2);
  });

  it('falls back to the pinned key when the fetch fails, and keeps a previously fetched key', async () => {
    mode = 'fail';
    const provider = new WebhookKeyProvider({ apiUrl });
    expect(pem(await provider.getKey())).toBe(KICK_PUBLIC_KEY_PEM);
    expect(provider.source).toBe('pinned');

    mode = 'ok';
    let now = 0;
    const refreshing = new WebhookKeyProvider({ apiUrl, now: () => now });
    await refreshing.getKey();
    mode = 'fail';
    now += 25 * 3600_000;
    expect(pem(await refreshing.getKey())).toBe(FIXTURE_PUBLIC_KEY_PEM);
    expect(refreshing.source).toBe('fetched');
  });

  it('falls back to the pinned key when nothing listens', async () => {
    const provider = new WebhookKeyProvider({ apiUrl: await closedPortUrl(), timeoutMs: 2000 });
    expect(pem(await provider.getKey())).toBe(KICK_PUBLIC_KEY_PEM);
  });
});
