import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import type { KickIdentityObject, KickKnownUserObject, KickUserObject, SimBadge, SimUser } from './types.ts';
import type { WirePayload } from './wireTypes.ts';

/** A JSON object payload (what is serialized into a webhook body). */
export type JsonObject = { [key: string]: unknown };

/** Kick's user object for a sim user; `identity` only for chat senders. */
export function kickUser(user: SimUser, identity: KickIdentityObject | null = null): KickKnownUserObject {
  return {
    is_anonymous: false,
    user_id: user.userId,
    username: user.username,
    is_verified: user.isVerified,
    profile_picture: user.profilePicture,
    channel_slug: user.channel.slug,
    identity,
  };
}

/** The user object Kick sends for an anonymous gifter: every field null. */
export function anonymousKickUser(): KickUserObject {
  return { is_anonymous: true, user_id: null, username: null, is_verified: null, profile_picture: null, channel_slug: null, identity: null };
}

/** A user that is not in sim state (fills defaults of `emit` overrides). */
export function placeholderKickUser(userId: number, username: string): KickKnownUserObject {
  return {
    is_anonymous: false,
    user_id: userId,
    username,
    is_verified: false,
    profile_picture: `https://files.kick.com/images/user/${userId}/profile_image/sim.webp`,
    channel_slug: username.toLowerCase(),
    identity: null,
  };
}

/** A chat sender's identity: deterministic colour per user id, badges as given. */
export function chatIdentity(userId: number, badges: SimBadge[] = []): KickIdentityObject {
  const palette = ['#FF6B6B', '#4ECDC4', '#FFD93D', '#6BCB77', '#4D96FF', '#C77DFF', '#FF9F1C', '#2EC4B6'];
  return { username_color: palette[Math.abs(userId) % palette.length] ?? '#FFFFFF', badges: badges.map((b) => ({ ...b })) };
}

function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

/** RFC 3339 timestamp as Kick sends it. */
export function rfc3339(date: Date): string {
  return date.toISOString();
}

/** RFC 3339 to the second, as Kick's subscription events carry `created_at` and `expires_at` (`2025-01-14T16:08:06Z`). */
export function rfc3339Seconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** A subscription's `created_at` and `expires_at` (one month later), as Kick documents them. */
export function subscriptionTimes(at: Date): { created_at: string; expires_at: string } {
  return { created_at: rfc3339Seconds(at), expires_at: rfc3339Seconds(addMonths(at, 1)) };
}

/**
 * A realistic default payload for `type` in `broadcaster`'s channel at `now`. Other people in it are
 * placeholders; `emit` deep-merges the caller's overrides on top. Unknown types → `{ broadcaster }`.
 */
export function defaultPayload(type: string, broadcaster: KickKnownUserObject, now: Date): JsonObject {
  const viewer = placeholderKickUser(900_001, 'sim_viewer');
  const created = rfc3339(now);
  switch (type) {
    case 'chat.message.sent':
      // Every documented field, `replies_to` null when the message replies to nothing (as Kick sends it).
      return {
        message_id: randomUUID(),
        replies_to: null,
        broadcaster,
        sender: { ...viewer, identity: chatIdentity(900_001) },
        content: 'hello from kick-sim',
        emotes: [],
        created_at: created,
      } satisfies WirePayload<'chat.message.sent'>;
    case 'channel.followed':
      return { broadcaster, follower: viewer } satisfies WirePayload<'channel.followed'>;
    case 'channel.subscription.new':
    case 'channel.subscription.renewal':
      return { broadcaster, subscriber: viewer, duration: 1, ...subscriptionTimes(now) } satisfies WirePayload<'channel.subscription.new'>;
    case 'channel.subscription.gifts':
      return { broadcaster, gifter: viewer, giftees: [placeholderKickUser(900_002, 'sim_giftee')], ...subscriptionTimes(now) } satisfies WirePayload<'channel.subscription.gifts'>;
    case 'channel.reward.redemption.updated':
      return {
        id: ulid(),
        user_input: '',
        status: 'pending',
        redeemed_at: created,
        reward: { id: ulid(), title: 'Hydrate', cost: 100, description: 'Make the streamer drink water' },
        redeemer: viewer,
        broadcaster,
      } satisfies WirePayload<'channel.reward.redemption.updated'>;
    case 'livestream.status.updated':
      return { broadcaster, is_live: true, title: 'Live from kick-sim', started_at: created, ended_at: null } satisfies WirePayload<'livestream.status.updated'>;
    case 'livestream.metadata.updated':
      return {
        broadcaster,
        metadata: { title: 'Live from kick-sim', language: 'en', has_mature_content: false, category: { id: 15, name: 'Just Chatting', thumbnail: 'https://files.kick.com/images/subcategories/15/banner/sim.webp' } },
      } satisfies WirePayload<'livestream.metadata.updated'>;
    case 'moderation.banned':
      return { broadcaster, moderator: broadcaster, banned_user: viewer, metadata: { reason: 'spam', created_at: created, expires_at: null } } satisfies WirePayload<'moderation.banned'>;
    case 'kicks.gifted':
      return { broadcaster, sender: viewer, gift: { amount: 100, name: 'Full Send', type: 'BASIC', tier: 'BASIC', message: '', pinned_time_seconds: 0 }, created_at: created } satisfies WirePayload<'kicks.gifted'>;
    default:
      return { broadcaster };
  }
}

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Deep merge: plain objects merge key by key; arrays, null and primitives replace. Inputs untouched. */
export function deepMerge(base: JsonObject, overrides: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/** Sets `obj.a.b.c = value` for path `a.b.c`, creating objects on the way. Array indexes work (`giftees.0.username`). */
export function setPath(obj: JsonObject, path: string, value: unknown): void {
  const keys = path.split('.').filter((k) => k.length > 0);
  if (keys.length === 0) throw new RangeError(`Empty field path in "${path}"`);
  let cursor: { [key: string]: unknown } = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cursor[key];
    if (typeof next === 'object' && next !== null) {
      cursor = next as { [key: string]: unknown };
    } else {
      const created: JsonObject = {};
      cursor[key] = created;
      cursor = created;
    }
  }
  cursor[keys[keys.length - 1] as string] = value;
}

/** `--field` values: JSON when it parses (numbers, booleans, null, objects), else the raw string. */
export function parseFieldValue(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** `broadcaster.user_id` of a payload, if it has one. */
export function payloadBroadcasterId(payload: JsonObject): number | null {
  const b = payload['broadcaster'];
  if (isPlainObject(b) && typeof b['user_id'] === 'number') return b['user_id'];
  return null;
}
