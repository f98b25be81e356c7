import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient, TokenCipher } from '@kickcord/db';

/** Default lifetime of a connect link: long enough to open Kick and log in, short enough to be useless if leaked. */
export const CONNECT_LINK_TTL_MS = 15 * 60 * 1000;

/** HMAC key purpose for connect links (see `TokenCipher.deriveKey`). */
const KEY_PURPOSE = 'connect-link';

/** Input of {@link issueConnectLink}. */
export interface IssueConnectLinkInput {
  guildId: string;
  /** The Discord user who ran `/kick connect` (recorded as `connectedByDiscordId`). */
  discordUserId: string;
  /** apps/web's public base URL (PUBLIC_URL), without trailing slash. */
  publicUrl: string;
  /** Lifetime in ms; default {@link CONNECT_LINK_TTL_MS}. */
  ttlMs?: number;
  /** Clock; default now. */
  now?: Date;
}

/** Result of {@link verifyConnectToken}. */
export type ConnectTokenVerification =
  | { ok: true; linkId: string; guildId: string; discordUserId: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

interface ConnectTokenPayload {
  /** ConnectLink id */
  l: string;
  /** guild id */
  g: string;
  /** Discord user id */
  u: string;
  /** expiry, epoch ms */
  e: number;
}

function sign(cipher: TokenCipher, payload: string): string {
  return createHmac('sha256', cipher.deriveKey(KEY_PURPOSE)).update(payload).digest('base64url');
}

/**
 * Issues a one-time connect link for a (guild, Discord user): inserts a `ConnectLink` row with a
 * random id and returns `${publicUrl}/connect/kick?t=<payload>.<hmac>`. The token is signed with a
 * key derived from TOKEN_ENCRYPTION_KEY, so it cannot be forged or altered; the row makes it one-time.
 */
export async function issueConnectLink(
  prisma: PrismaClient,
  cipher: TokenCipher,
  input: IssueConnectLinkInput,
): Promise<{ url: string; expiresAt: Date; linkId: string }> {
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + (input.ttlMs ?? CONNECT_LINK_TTL_MS));
  const linkId = randomBytes(18).toString('base64url');
  await prisma.connectLink.create({
    data: { id: linkId, guildId: input.guildId, discordUserId: input.discordUserId, expiresAt },
  });
  const payload: ConnectTokenPayload = { l: linkId, g: input.guildId, u: input.discordUserId, e: expiresAt.getTime() };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const token = `${encoded}.${sign(cipher, encoded)}`;
  const base = input.publicUrl.replace(/\/+$/, '');
  return { url: `${base}/connect/kick?t=${token}`, expiresAt, linkId };
}

/**
 * Verifies a connect token's signature and expiry (it does not consult the database: the caller
 * still checks that the `ConnectLink` row exists and is unused). Order: shape, signature, expiry.
 */
export function verifyConnectToken(cipher: TokenCipher, token: string, now: Date = new Date()): ConnectTokenVerification {
  const parts = token.split('.');
  const [encoded, mac] = parts;
  if (parts.length !== 2 || !encoded || !mac || !/^[A-Za-z0-9_-]+$/.test(encoded) || !/^[A-Za-z0-9_-]+$/.test(mac)) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = Buffer.from(sign(cipher, encoded), 'base64url');
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isPayload(payload)) return { ok: false, reason: 'malformed' };
  if (payload.e <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, linkId: payload.l, guildId: payload.g, discordUserId: payload.u, expiresAt: new Date(payload.e) };
}

function isPayload(value: unknown): value is ConnectTokenPayload {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.l === 'string' && typeof v.g === 'string' && typeof v.u === 'string' && typeof v.e === 'number' && Number.isFinite(v.e);
}
