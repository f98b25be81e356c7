/**
 * Chat activity for watchtime, kept in Redis (never one Postgres write per chat message).
 *
 * Per (owner guild, broadcaster):
 * - `<prefix>:act:{<guild>}:<broadcaster>:z` — sorted set of viewer ids scored by their last chat (epoch ms);
 * - `<prefix>:act:{<guild>}:<broadcaster>:h` — hash viewer id → `<sub 0|1>|<latest ms>|<chat minutes,…>|<username>`:
 *   the subscriber flag and username of their latest message, and the distinct minutes in which they
 *   chatted during the last {@link ACTIVITY_KEEP_MINUTES} minutes, so a catch-up tick can tell exactly who was active in each past minute.
 * Both keys expire {@link ACTIVITY_TTL_SECONDS} after the last chat. Updates are one Lua script, so
 * late and reordered deliveries can only add information (a stale message never lowers "last chat"). On the chat
 * path that script is a fragment of the per-message chat tally (kickChat/chatTally.ts). Reads also merge in the
 * keys releases before 2026-12-06 wrote (`RedisKeys.legacyActivity`), until they expire.
 */
import { redisScript, runScript, type RedisConnection } from '@kickcord/queue';
import { tallyScript } from '../../kickChat/chatTally.ts';
import type { RedisKeys } from '../../redisKeys.ts';

/**
 * Chat minutes kept per viewer: the widest activity window (60) plus three of the longest payout blocks
 * (15): a block is settled up to 2B − 2 minutes after its first minute's window closed, and a minute's
 * window reaches 59 minutes back.
 */
export const ACTIVITY_KEEP_MINUTES = 60 + 3 * 15 + 1;
/** Activity keys expire this long after the channel's last chat. */
export const ACTIVITY_TTL_SECONDS = 3 * 3600;

/** Where activity lives: the connection and the install's key names. */
export interface ActivityStore {
  redis: RedisConnection;
  keys: Pick<RedisKeys, 'activity' | 'legacyActivity'>;
}

/**
 * Records one message's activity (a chat tally fragment, see kickChat/chatTally.ts). K: the channel's sorted set and
 * hash; A: viewer id, epoch ms (an integer), minute index, minutes kept, subscriber flag (0/1), username, ttl seconds.
 * Returns 1 when it changed something, 0 when the viewer's record already held this message's information (a
 * retry, or an older message in a minute already counted). A message in a minute already on the viewer's list
 * rewrites only the latest time, flag and name; only a new minute parses and prunes the list.
 */
export const RECORD_ACTIVITY_LUA = `local uid = A[1]
local ms = tonumber(A[2])
local minute = tonumber(A[3])
local keep = tonumber(A[4])
local old = redis.call('HGET', K[2], uid)
local sub = A[5]
local name = A[6]
local latest = ms
local minutes = {}
local maxMinute = minute
if old then
  local s1 = string.find(old, '|', 1, true)
  local s2 = string.find(old, '|', s1 + 1, true)
  local s3 = string.find(old, '|', s2 + 1, true)
  local oldLatest = tonumber(string.sub(old, s1 + 1, s2 - 1))
  local list = string.sub(old, s2 + 1, s3 - 1)
  if string.find(',' .. list .. ',', ',' .. A[3] .. ',', 1, true) then
    -- The minute is already recorded (most messages): the list stays as it is.
    if oldLatest >= ms then return 0 end
    redis.call('ZADD', K[1], 'GT', ms, uid)
    redis.call('HSET', K[2], uid, sub .. '|' .. A[2] .. '|' .. list .. '|' .. name)
    redis.call('EXPIRE', K[1], A[7])
    redis.call('EXPIRE', K[2], A[7])
    return 1
  end
  if oldLatest > ms then
    latest = oldLatest
    sub = string.sub(old, 1, s1 - 1)
    name = string.sub(old, s3 + 1)
  end
  for m in string.gmatch(list, '[^,]+') do
    local n = tonumber(m)
    if n > maxMinute then maxMinute = n end
    minutes[#minutes + 1] = n
  end
end
minutes[#minutes + 1] = minute
local kept = {}
for _, n in ipairs(minutes) do if n > maxMinute - keep then kept[#kept + 1] = tostring(n) end end
redis.call('ZADD', K[1], 'GT', latest, uid)
redis.call('HSET', K[2], uid, sub .. '|' .. string.format('%d', latest) .. '|' .. table.concat(kept, ',') .. '|' .. name)
redis.call('EXPIRE', K[1], A[7])
redis.call('EXPIRE', K[2], A[7])
return 1`;
const RECORD_SCRIPT = tallyScript(RECORD_ACTIVITY_LUA);

const PRUNE_SCRIPT = redisScript(`
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if #stale > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
  for i = 1, #stale, 500 do
    redis.call('HDEL', KEYS[2], unpack(stale, i, math.min(i + 499, #stale)))
  end
end
return #stale
`);

/** One chat message that marks its sender active. */
export interface ChatActivity {
  guildId: string;
  broadcasterUserId: number;
  userId: number;
  username: string;
  isSubscriber: boolean;
  /** When the message was sent (Kick's `created_at`, never later than now). */
  at: Date;
}

/** A viewer's activity as the tick reads it. */
export interface ViewerActivity {
  userId: number;
  username: string;
  isSubscriber: boolean;
  /** Epoch ms of their latest chat message. */
  lastChatAt: number;
  /** Distinct minute indexes (last hour) in which they chatted, ascending. */
  chatMinutes: number[];
}

/** The keys and arguments of {@link RECORD_ACTIVITY_LUA} for one message. */
export function recordActivityInput(keyNames: Pick<RedisKeys, 'activity'>, activity: ChatActivity): { keys: string[]; args: (string | number)[] } {
  const keys = keyNames.activity(activity.guildId, activity.broadcasterUserId);
  const ms = activity.at.getTime();
  return {
    keys: [keys.zset, keys.hash],
    args: [String(activity.userId), ms, Math.floor(ms / 60_000), ACTIVITY_KEEP_MINUTES, activity.isSubscriber ? '1' : '0', activity.username, ACTIVITY_TTL_SECONDS],
  };
}

/** Marks a chat sender active (idempotent: recording the same message twice changes nothing). */
export async function recordChatActivity(store: ActivityStore, activity: ChatActivity): Promise<void> {
  const input = recordActivityInput(store.keys, activity);
  await runScript(store.redis, RECORD_SCRIPT, input.keys, input.args);
}

function parseEntry(userId: number, lastChatAt: number, raw: string | null): ViewerActivity | null {
  if (!raw) return null;
  const s1 = raw.indexOf('|');
  const s2 = raw.indexOf('|', s1 + 1);
  const s3 = raw.indexOf('|', s2 + 1);
  if (s1 < 0 || s2 < 0 || s3 < 0) return null;
  const chatMinutes = raw
    .slice(s2 + 1, s3)
    .split(',')
    .filter((m) => m.length > 0)
    .map(Number)
    .sort((a, b) => a - b);
  return { userId, username: raw.slice(s3 + 1), isSubscriber: raw.slice(0, s1) === '1', lastChatAt, chatMinutes };
}

/** A channel to read activity for, with the oldest chat time that can still matter. */
export interface ActivityQuery {
  guildId: string;
  broadcasterUserId: number;
  /** Only viewers whose last chat is at or after this epoch ms are returned. */
  sinceMs: number;
}

/** Reads the recent chatters of many channels from one pair of keys each (`keys[i]` for `queries[i]`). */
async function readActivityKeys(redis: RedisConnection, queries: readonly ActivityQuery[], keys: readonly { zset: string; hash: string }[]): Promise<ViewerActivity[][]> {
  const ranges = await Promise.all(queries.map((q, i) => redis.zrangebyscore(keys[i]!.zset, q.sinceMs, '+inf', 'WITHSCORES')));
  const ids: { userId: number; score: number }[][] = ranges.map((flat) => {
    const out: { userId: number; score: number }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) out.push({ userId: Number(flat[i]), score: Number(flat[i + 1]) });
    return out;
  });
  const details = await Promise.all(
    ids.map((list, i) => (list.length > 0 ? redis.hmget(keys[i]!.hash, ...list.map((v) => String(v.userId))) : Promise.resolve([] as (string | null)[]))),
  );
  return ids.map((list, i) => {
    const raws = details[i] ?? [];
    const out: ViewerActivity[] = [];
    list.forEach((v, j) => {
      const entry = parseEntry(v.userId, v.score, raws[j] ?? null);
      if (entry) out.push(entry);
    });
    return out;
  });
}

/** One viewer's activity from two records of it: the latest chat's name and flag, every chat minute of both. */
export function mergeViewerActivity(a: ViewerActivity, b: ViewerActivity): ViewerActivity {
  const latest = b.lastChatAt > a.lastChatAt ? b : a;
  return { ...latest, chatMinutes: [...new Set([...a.chatMinutes, ...b.chatMinutes])].sort((x, y) => x - y) };
}

/**
 * Reads the recent chatters of many channels: all ZRANGEBYSCOREs at once, then all HMGETs at once (the
 * connection auto-pipelines them; on a Redis Cluster each goes to its channel's node), for the current keys and for
 * the keys earlier releases wrote (merged per viewer). Result order matches `queries`.
 */
export async function readActivity(store: ActivityStore, queries: readonly ActivityQuery[]): Promise<ViewerActivity[][]> {
  if (queries.length === 0) return [];
  const [current, legacy] = await Promise.all([
    readActivityKeys(store.redis, queries, queries.map((q) => store.keys.activity(q.guildId, q.broadcasterUserId))),
    readActivityKeys(store.redis, queries, queries.map((q) => store.keys.legacyActivity(q.guildId, q.broadcasterUserId))),
  ]);
  return current.map((viewers, i) => {
    const older = legacy[i] ?? [];
    if (older.length === 0) return viewers;
    const byId = new Map(viewers.map((v) => [v.userId, v]));
    for (const v of older) {
      const known = byId.get(v.userId);
      byId.set(v.userId, known ? mergeViewerActivity(known, v) : v);
    }
    return [...byId.values()];
  });
}

/** Drops viewers whose last chat is older than `cutoffMs` from a channel's activity. Returns how many. */
export async function pruneActivity(store: ActivityStore, guildId: string, broadcasterUserId: number, cutoffMs: number): Promise<number> {
  const keys = store.keys.activity(guildId, broadcasterUserId);
  return Number(await runScript(store.redis, PRUNE_SCRIPT, [keys.zset, keys.hash], [cutoffMs]));
}
