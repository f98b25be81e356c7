/**
 * One-time link codes (`/link start` → `!link CODE` in Kick chat), kept in Redis only: a code's record lives under
 * an HMAC of the code (a Redis dump does not reveal codes), expires after {@link LINK_CODE_TTL_MS}, is taken with
 * GETDEL (single use), and replaces the Discord user's previous code. Issuing is limited per Discord user, wrong codes
 * per Kick user, so guessing 40 random bits is hopeless.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { BotContext } from '../../context.ts';

/** How long a code can be typed in Kick chat. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;
/** Codes one Discord user may ask for per {@link LINK_LIMIT_WINDOW_SEC}. */
export const LINK_CODES_PER_HOUR = 5;
/** Wrong codes one Kick user may type per {@link LINK_LIMIT_WINDOW_SEC} before `!link` stops checking. */
export const LINK_FAILURES_PER_HOUR = 5;
/** The window of both limits. */
export const LINK_LIMIT_WINDOW_SEC = 3600;
/** How long a relink waits for the viewer's confirmation. */
export const PENDING_RELINK_TTL_MS = 10 * 60 * 1000;

/** Crockford base32: no I, L, O, U (typed I/L read as 1, O as 0). 8 characters = 40 random bits. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 8;

/** What a code's Redis record holds: whose code it is and how to edit their ephemeral `/link` reply. */
export interface LinkCodeRecord {
  discordUserId: string;
  guildId: string;
  applicationId: string;
  /** The interaction token of the `/link start` reply, encrypted (it lets anyone edit that reply for 15 minutes). */
  interactionTokenEnc: string;
  expiresAt: number;
}

/** A new random code, shown as `XXXX-XXXX`. */
export function newLinkCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The canonical form of a typed code (case, dashes, spaces and look-alike letters forgiven), or null if it cannot be one. */
export function normalizeLinkCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!ALPHABET.includes(ch)) return null;
  return s;
}

function codeHash(ctx: Pick<BotContext, 'cipher'>, normalized: string): string {
  return createHmac('sha256', ctx.cipher.deriveKey('account-link-code')).update(normalized).digest('hex');
}

function tokenAad(discordUserId: string): string {
  return `link-interaction:${discordUserId}`;
}

/** Decrypts the interaction token of a code's record. */
export function interactionTokenOf(ctx: Pick<BotContext, 'cipher'>, record: Pick<LinkCodeRecord, 'interactionTokenEnc' | 'discordUserId'>): string {
  return ctx.cipher.decrypt(record.interactionTokenEnc, tokenAad(record.discordUserId));
}

/** Counts one use of a windowed limit; returns the count so far and the seconds until the window ends. */
async function countInWindow(ctx: Pick<BotContext, 'redis'>, key: string): Promise<{ count: number; resetSec: number }> {
  const count = await ctx.redis.incr(key);
  if (count === 1) await ctx.redis.expire(key, LINK_LIMIT_WINDOW_SEC);
  let ttl = await ctx.redis.ttl(key);
  if (ttl < 0) {
    // A counter left without expiry (a crash between INCR and EXPIRE) must not block forever.
    await ctx.redis.expire(key, LINK_LIMIT_WINDOW_SEC);
    ttl = LINK_LIMIT_WINDOW_SEC;
  }
  return { count, resetSec: ttl };
}

/** Result of {@link issueLinkCode}. */
export type IssueLinkCodeResult = { ok: true; code: string; expiresAt: Date } | { ok: false; retryInSec: number };

/**
 * Issues a code for a Discord user (at most {@link LINK_CODES_PER_HOUR} per hour); the user's previous code stops
 * working. The interaction token is kept (encrypted) so the worker that sees `!link CODE` can edit the reply.
 */
export async function issueLinkCode(
  ctx: Pick<BotContext, 'redis' | 'keys' | 'cipher' | 'now'>,
  input: { discordUserId: string; guildId: string; applicationId: string; interactionToken: string },
): Promise<IssueLinkCodeResult> {
  const keys = ctx.keys.accountLink();
  const limit = await countInWindow(ctx, keys.issued(input.discordUserId));
  if (limit.count > LINK_CODES_PER_HOUR) return { ok: false, retryInSec: limit.resetSec };
  const code = newLinkCode();
  const hash = codeHash(ctx, normalizeLinkCode(code) as string);
  const expiresAt = ctx.now().getTime() + LINK_CODE_TTL_MS;
  const record: LinkCodeRecord = {
    discordUserId: input.discordUserId,
    guildId: input.guildId,
    applicationId: input.applicationId,
    interactionTokenEnc: ctx.cipher.encrypt(input.interactionToken, tokenAad(input.discordUserId)),
    expiresAt,
  };
  const previous = await ctx.redis.get(keys.userCode(input.discordUserId));
  if (previous) await ctx.redis.del(keys.code(previous));
  // Redis keeps the record a minute past its expiry, so a late `!link` is told "expired" rather than "wrong".
  const ttlMs = LINK_CODE_TTL_MS + 60_000;
  await ctx.redis.set(keys.code(hash), JSON.stringify(record), 'PX', ttlMs);
  await ctx.redis.set(keys.userCode(input.discordUserId), hash, 'PX', ttlMs);
  return { ok: true, code, expiresAt: new Date(expiresAt) };
}

/** Result of {@link redeemLinkCode}. */
export type RedeemLinkCodeResult =
  | { status: 'ok'; record: LinkCodeRecord }
  | { status: 'expired' }
  | { status: 'invalid'; attemptsLeft: number }
  | { status: 'limited'; retryInSec: number };

/**
 * Takes the code a Kick user typed in the message `messageId`. A right code is consumed (single use); a wrong one
 * counts against the Kick user, and after {@link LINK_FAILURES_PER_HOUR} wrong codes no code is checked until the
 * hour is over. The outcome is remembered per message, so a retried job redeems the same way.
 */
export async function redeemLinkCode(
  ctx: Pick<BotContext, 'redis' | 'keys' | 'cipher' | 'now'>,
  input: { kickUserId: number; typed: string; messageId: string },
): Promise<RedeemLinkCodeResult> {
  const keys = ctx.keys.accountLink();
  const done = await ctx.redis.get(keys.redeemed(input.messageId));
  if (done) return JSON.parse(done) as RedeemLinkCodeResult;
  const remember = async (result: RedeemLinkCodeResult): Promise<RedeemLinkCodeResult> => {
    await ctx.redis.set(keys.redeemed(input.messageId), JSON.stringify(result), 'EX', LINK_LIMIT_WINDOW_SEC);
    return result;
  };

  const failuresKey = keys.failures(input.kickUserId);
  const failures = Number((await ctx.redis.get(failuresKey)) ?? 0);
  if (failures >= LINK_FAILURES_PER_HOUR) {
    const ttl = await ctx.redis.ttl(failuresKey);
    return remember({ status: 'limited', retryInSec: ttl > 0 ? ttl : LINK_LIMIT_WINDOW_SEC });
  }
  const normalized = normalizeLinkCode(input.typed);
  const raw = normalized ? await ctx.redis.getdel(keys.code(codeHash(ctx, normalized))) : null;
  if (!raw) {
    const { count } = await countInWindow(ctx, failuresKey);
    return remember({ status: 'invalid', attemptsLeft: Math.max(0, LINK_FAILURES_PER_HOUR - count) });
  }
  const record = JSON.parse(raw) as LinkCodeRecord;
  const userCodeKey = keys.userCode(record.discordUserId);
  if ((await ctx.redis.get(userCodeKey)) === codeHash(ctx, normalized as string)) await ctx.redis.del(userCodeKey);
  if (record.expiresAt <= ctx.now().getTime()) return remember({ status: 'expired' });
  return remember({ status: 'ok', record });
}

/** A relink that waits for the viewer's confirmation (the Discord user or the Kick account is linked elsewhere). */
export interface PendingRelink {
  discordUserId: string;
  kickUserId: number;
  kickUsername: string;
  method: 'code' | 'oauth';
}

/** Keeps a relink for {@link PENDING_RELINK_TTL_MS}; returns the id its buttons carry (random, unguessable). */
export async function savePendingRelink(ctx: Pick<BotContext, 'redis' | 'keys'>, pending: PendingRelink): Promise<string> {
  const id = randomBytes(12).toString('base64url');
  await ctx.redis.set(ctx.keys.accountLink().pending(id), JSON.stringify(pending), 'PX', PENDING_RELINK_TTL_MS);
  return id;
}

/** Reads a waiting relink (null once confirmed, cancelled or expired). */
export async function pendingRelink(ctx: Pick<BotContext, 'redis' | 'keys'>, id: string): Promise<PendingRelink | null> {
  const raw = await ctx.redis.get(ctx.keys.accountLink().pending(id));
  return raw ? (JSON.parse(raw) as PendingRelink) : null;
}

/** Forgets a waiting relink; true when it was still there (so one click acts once). */
export async function dropPendingRelink(ctx: Pick<BotContext, 'redis' | 'keys'>, id: string): Promise<boolean> {
  return (await ctx.redis.del(ctx.keys.accountLink().pending(id))) > 0;
}
