import type { RedisConnection } from './connection.ts';

/**
 * OBS overlays: the bot publishes what overlays show into one Redis stream per guild, and every web replica reads
 * those streams and serves them to browser sources over Server-Sent Events. A stream entry's id is the SSE event id,
 * so a reconnecting overlay resumes after `Last-Event-ID` with nothing lost or repeated. All overlay streams share the
 * hash tag `{overlay}` under the install prefix, so one blocking XREAD covers every guild in a Redis Cluster too.
 */

/** The alert kinds an alerts box shows. */
export const OVERLAY_ALERT_KINDS = ['follow', 'sub', 'resub', 'gift', 'kicks', 'redemption'] as const;
export type OverlayAlertKind = (typeof OVERLAY_ALERT_KINDS)[number];

/** How each alert kind is named to people (`/overlay` and the dashboard). */
export const OVERLAY_ALERT_LABELS: Readonly<Record<OverlayAlertKind, string>> = {
  follow: 'Follow',
  sub: 'New subscriber',
  resub: 'Resubscription',
  gift: 'Gifted subs',
  kicks: 'Kicks',
  redemption: 'Reward redemption',
};

/** The sounds the web app bundles for alerts (no external files are ever fetched). */
export const OVERLAY_SOUNDS = ['chime', 'coin', 'pop', 'fanfare'] as const;
export type OverlaySound = (typeof OVERLAY_SOUNDS)[number];

/**
 * The overlay browser sources, each at `${PUBLIC_URL}/overlay/<token>/<widget>`; `<token>` is the guild's overlay key
 * (32 random bytes, base64url), stored only as the SHA-256 hex of the token in `OverlayToken.tokenHash`.
 */
export const OVERLAY_WIDGETS = ['alerts', 'events', 'leaderboard', 'game', 'chat', 'goal'] as const;
export type OverlayWidget = (typeof OVERLAY_WIDGETS)[number];

/** One alert, already rendered from the guild's template, with how to play it. */
export interface OverlayAlert {
  type: 'alert';
  kind: OverlayAlertKind;
  /** The rendered text (from the guild's alert template). */
  text: string;
  /** Who it is about (Kick username), for the event list. */
  user: string;
  /** Subs gifted, months subscribed, Kicks sent… when the kind has one. */
  amount?: number;
  /** A message the viewer attached (Kicks, redemptions), already length-limited. */
  message?: string;
  /** A bundled sound, or null for silence. */
  sound: OverlaySound | null;
  durationMs: number;
  /** Sent by a moderator's test (the event list does not keep it). */
  test?: boolean;
}

/** One Kick chat line for the chat box. */
export interface OverlayChatLine {
  type: 'chat';
  user: string;
  text: string;
  /** The viewer's Kick username colour, when Kick sent one. */
  color?: string;
}

/** The live leaderboard's rows (top N), sent when it changes. */
export interface OverlayLeaderboard {
  type: 'leaderboard';
  rows: { rank: number; name: string; points: number; minutes: number }[];
}

/** A raffle or guess-the-balance round's state. */
export interface OverlayGame {
  type: 'game';
  game: 'raffle' | 'gtb';
  state: 'open' | 'closed' | 'drawn' | 'cancelled';
  /** What viewers type to join (a raffle's keyword), or null. */
  keyword: string | null;
  entries: number;
  /** The winner(s), when drawn. */
  winners: string[];
}

/** The goal bar. */
export interface OverlayGoal {
  type: 'goal';
  kind: 'subs' | 'followers' | 'kicks' | 'points';
  label: string;
  current: number;
  target: number;
}

/** Everything an overlay stream carries. */
export type OverlayEvent = OverlayAlert | OverlayChatLine | OverlayLeaderboard | OverlayGame | OverlayGoal;

/** Entries kept per guild stream (older ones are trimmed; a client gone longer than that starts fresh). */
export const OVERLAY_STREAM_MAX_LENGTH = 1_000;

/** The Redis stream of one guild's overlay events. */
export function overlayStreamKey(installPrefix: string, guildId: string): string {
  return `${installPrefix}:{overlay}:${guildId}`;
}

/** The guild id of an overlay stream key, or null. */
export function guildIdOfOverlayStream(installPrefix: string, key: string): string | null {
  const head = `${installPrefix}:{overlay}:`;
  return key.startsWith(head) ? key.slice(head.length) : null;
}

/** Appends one event to a guild's overlay stream (trimmed to about {@link OVERLAY_STREAM_MAX_LENGTH}); returns its id. */
export async function publishOverlayEvent(redis: RedisConnection, installPrefix: string, guildId: string, event: OverlayEvent): Promise<string> {
  const id = await redis.xadd(overlayStreamKey(installPrefix, guildId), 'MAXLEN', '~', String(OVERLAY_STREAM_MAX_LENGTH), '*', 'e', JSON.stringify(event));
  if (!id) throw new Error('XADD returned no id');
  return id;
}

/** Reads an event back from a stream entry's fields (`['e', json]`); null when it is not one. */
export function readOverlayEntry(fields: readonly string[]): OverlayEvent | null {
  const at = fields.indexOf('e');
  const json = at >= 0 ? fields[at + 1] : undefined;
  if (!json) return null;
  try {
    const value = JSON.parse(json) as { type?: unknown };
    return value && typeof value === 'object' && typeof value.type === 'string' ? (value as OverlayEvent) : null;
  } catch {
    return null;
  }
}

/** What a goal bar counts from the bot's tallies (followers and points are read from PostgreSQL). */
export type OverlayTallyKind = 'subs' | 'kicks';

/** How long tallied events are kept (a goal may count from up to this long ago). */
export const OVERLAY_TALLY_RETENTION_MS = 400 * 24 * 3600 * 1000;

/** The sorted set of a guild's tallied subs or Kicks: member `<Kick message id>:<amount>`, score = when (ms). */
export function overlayTallyKey(installPrefix: string, guildId: string, kind: OverlayTallyKind): string {
  return `${installPrefix}:{overlay}:tally:${kind}:${guildId}`;
}

/**
 * Counts one Kick event towards a guild's sub or Kicks goals. The member is the Kick message id with the amount, so a
 * redelivered message is counted once; entries past {@link OVERLAY_TALLY_RETENTION_MS} are dropped as new ones come.
 */
export async function recordOverlayTally(redis: RedisConnection, installPrefix: string, guildId: string, kind: OverlayTallyKind, messageId: string, amount: number, atMs: number): Promise<void> {
  const key = overlayTallyKey(installPrefix, guildId, kind);
  await redis.multi().zadd(key, String(atMs), `${messageId}:${Math.max(0, Math.floor(amount))}`).zremrangebyscore(key, '-inf', String(atMs - OVERLAY_TALLY_RETENTION_MS)).exec();
}

/** The sum of a guild's tallied subs or Kicks since `sinceMs`. */
export async function readOverlayTally(redis: RedisConnection, installPrefix: string, guildId: string, kind: OverlayTallyKind, sinceMs: number): Promise<number> {
  const members = await redis.zrangebyscore(overlayTallyKey(installPrefix, guildId, kind), String(sinceMs), '+inf');
  let total = 0;
  for (const m of members) total += Number(m.slice(m.lastIndexOf(':') + 1)) || 0;
  return total;
}
