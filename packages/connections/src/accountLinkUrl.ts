import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenCipher } from '@kickcord/db';

/** Lifetime of a "Link with Kick" URL: as long as the `/link` code shown beside it. */
export const ACCOUNT_LINK_URL_TTL_MS = 10 * 60 * 1000;

/** apps/web's path that starts the viewer's Kick OAuth (`user:read`). */
export const ACCOUNT_LINK_PATH = '/link/kick';

/** HMAC key purpose of account link URLs (see `TokenCipher.deriveKey`); distinct from the streamer's connect links. */
const KEY_PURPOSE = 'account-link-url';

/** A verified account link URL token: whose Discord account the Kick account will be linked to. */
export type AccountLinkTokenVerification =
  | { ok: true; discordUserId: string; nonce: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

function sign(cipher: TokenCipher, encoded: string): string {
  return createHmac('sha256', cipher.deriveKey(KEY_PURPOSE)).update(encoded).digest('base64url');
}

/**
 * The URL of the "Link with Kick" button for one Discord user: `${publicUrl}/link/kick?t=<payload>.<hmac>`,
 * signed with a key derived from TOKEN_ENCRYPTION_KEY (it cannot be forged or pointed at another Discord user)
 * and carrying a random nonce that apps/web accepts once.
 */
export function issueAccountLinkUrl(cipher: TokenCipher, input: { discordUserId: string; publicUrl: string; now?: Date; ttlMs?: number }): { url: string; expiresAt: Date } {
  const expiresAt = new Date((input.now ?? new Date()).getTime() + (input.ttlMs ?? ACCOUNT_LINK_URL_TTL_MS));
  const encoded = Buffer.from(JSON.stringify({ u: input.discordUserId, n: randomBytes(12).toString('base64url'), e: expiresAt.getTime() })).toString('base64url');
  return { url: `${input.publicUrl.replace(/\/+$/, '')}${ACCOUNT_LINK_PATH}?t=${encoded}.${sign(cipher, encoded)}`, expiresAt };
}

/** Checks an account link URL token: shape, signature, then expiry. One-time use is the caller's (apps/web keeps the nonce). */
export function verifyAccountLinkToken(cipher: TokenCipher, token: string, now: Date = new Date()): AccountLinkTokenVerification {
  const [encoded, mac, extra] = token.split('.');
  if (extra !== undefined || !encoded || !mac || !/^[A-Za-z0-9_-]+$/.test(encoded) || !/^[A-Za-z0-9_-]+$/.test(mac)) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(sign(cipher, encoded), 'base64url');
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let payload: { u?: unknown; n?: unknown; e?: unknown };
  try {
    payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as typeof payload;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof payload.u !== 'string' || typeof payload.n !== 'string' || typeof payload.e !== 'number' || !Number.isFinite(payload.e)) return { ok: false, reason: 'malformed' };
  if (payload.e <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, discordUserId: payload.u, nonce: payload.n, expiresAt: new Date(payload.e) };
}
