import type { PrismaClient } from './generated/prisma/client.ts';

/**
 * One viewer's active minutes of one payout block (see {@link appendWatchTicks}). With a 1-minute payout
 * interval a row is one minute; with B minutes it is the viewer's active minutes within `[minute, minute + B)`.
 */
export interface WatchTickRow {
  kickUserId: number;
  /** Kick username, kept on the per-guild stats row. */
  username: string;
  /** Minute index (`floor(epochMs / 60000)`) the block starts at: it names the ledger row and dates it. */
  minute: number;
  /** Active minutes of the viewer in this block (default 1). All must fall on the same UTC day as `minute`. */
  minutes?: number;
  /** The viewer's last active minute in this block (default `minute`), for `lastActiveAt`. */
  lastMinute?: number;
  /** Subscriber at the time of their latest chat message (multiplier applies). */
  isSubscriber: boolean;
}

/** The guild's accrual tunables, as stored in `GuildSettings`. */
export interface WatchTickSettings {
  pointsPerMinute: number;
  /** 1–10; applied in integer hundredths, whole points paid and the fraction carried per viewer. */
  subscriberMultiplier: number;
  /** 0 = no cap. */
  maxMinutesPerStream: number;
  /** 0 = no cap; counts `watch` points of the UTC day of each minute. */
  maxPointsPerDay: number;
}

/** Input of {@link appendWatchTicks}: one channel's stream session and the minutes to pay. */
export interface WatchTickInput {
  guildId: string;
  sessionId: string;
  /** Start of the stream session: its ledger rows are looked up from here. */
  sessionStartedAt: Date;
  settings: WatchTickSettings;
  rows: readonly WatchTickRow[];
}

/** What {@link appendWatchTicks} changed (rows = ledger rows). `skipped` rows were already paid (or capped to nothing). */
export interface WatchTickResult {
  inserted: number;
  skipped: number;
  minutes: number;
  points: number;
}

type Queryable = Pick<PrismaClient, '$queryRawUnsafe'>;

/** Largest balance (and active minutes) a viewer can hold: PostgreSQL's `integer`. */
export const MAX_BALANCE = 2_147_483_647;

/** Rejects session ids that would break the `tick:<session>:…` key pattern (and its LIKE prefix). */
function checkSessionId(sessionId: string): void {
  if (/[%_\\\s:]/.test(sessionId) || sessionId.length === 0) {
    throw new RangeError(`appendWatchTicks: sessionId must be non-empty without spaces, ":", "%", "_" or "\\" (got "${sessionId}")`);
  }
}

/**
 * Pays active minutes for one stream session in ONE SQL statement, exactly once per
 * (session, minute, viewer) — see {@link appendWatchTickBatch}, which does the same for many sessions.
 */
export async function appendWatchTicks(db: Queryable, input: WatchTickInput): Promise<WatchTickResult> {
  return appendWatchTickBatch(db, [input]);
}

/**
 * Pays active minutes for one or more stream sessions (of any guilds) in ONE SQL statement, exactly once
 * per (session, block, viewer) — the ledger key is `tick:<session>:<block start minute>:<kickUserId>`, one
 * row holding the block's minutes — with the caps applied from the ledger itself:
 * - per-stream minutes: `watch` minutes of this stream session already in the ledger + earlier rows of this batch;
 *   minutes past `maxMinutesPerStream` earn nothing and are not recorded (a block is cut to what is left);
 * - per-day points: `watch` points of the block's UTC day already in the ledger (in that guild) + earlier
 *   rows of this batch; the minutes still count as watchtime with points cut to what is left. A block never
 *   straddles a day, so this equals `awardForMinute` in @kickcord/core applied minute by minute in order.
 * - subscriber multiplier: a block earns `rate × multiplier × minutes` in hundredths of a point, added to the
 *   viewer's carried fraction (`ViewerStats.carryHundredths`); whole points are paid, the rest carried (0–99),
 *   so 1.5× at 1 point a minute pays 7 then 8 over two 5-minute blocks (`accrueWatchPoints` in @kickcord/core);
 * - balance limit: a balance never passes {@link MAX_BALANCE}; the points that would are not paid (the minutes
 *   count), so one viewer at the limit can never make the statement — and the channel's tick — fail.
 * Rows whose key is already in the ledger take no part in the caps, so a repeated or overlapping tick
 * pays nothing extra and never consumes a cap twice. Ledger rows are dated at their minute (so the day
 * cap follows the tick's clock). The same statement updates `ViewerStats` (points, active minutes,
 * last active) — a balance cannot drift from its ledger. (`KickViewer` is kept by the chat path, on first sight.)
 */
export async function appendWatchTickBatch(db: Queryable, sessions: readonly WatchTickInput[]): Promise<WatchTickResult> {
  const used = sessions.filter((x) => x.rows.length > 0);
  const total = used.reduce((n, x) => n + x.rows.length, 0);
  if (total === 0) return { inserted: 0, skipped: 0, minutes: 0, points: 0 };
  for (const x of used) checkSessionId(x.sessionId);
  const rowSession: number[] = [];
  const rowUser: number[] = [];
  const rowName: string[] = [];
  const rowMinute: number[] = [];
  const rowCount: number[] = [];
  const rowLast: number[] = [];
  const rowSub: boolean[] = [];
  used.forEach((x, i) => {
    for (const r of x.rows) {
      rowSession.push(i + 1);
      rowUser.push(r.kickUserId);
      rowName.push(r.username);
      rowMinute.push(r.minute);
      rowCount.push(Math.max(1, Math.floor(r.minutes ?? 1)));
      rowLast.push(Math.max(r.minute, r.lastMinute ?? r.minute));
      rowSub.push(r.isSubscriber);
    }
  });
  const rows = await db.$queryRawUnsafe<{ inserted: number; minutes: number; points: number }[]>(
    `WITH input AS (
       -- per-stream-session values by array subscript (no join against the list of stream sessions)
       SELECT ($1::text[])[t.idx] AS "guildId", ($2::text[])[t.idx] AS sid, ($3::timestamptz[])[t.idx] AS since,
              ($4::int[])[t.idx] AS rate, ($5::int[])[t.idx] AS hundredths, ($6::int[])[t.idx] AS max_minutes, ($7::int[])[t.idx] AS max_day,
              t."kickUserId", t.username, t.minute, t.n, t.sub,
              'tick:' || ($2::text[])[t.idx] || ':' || t.minute::text || ':' || t."kickUserId"::text AS key,
              to_timestamp(t.minute::bigint * 60) AS at, to_timestamp(t.last::bigint * 60) AS last_at
       FROM unnest($8::int[], $9::int[], $10::text[], $11::bigint[], $12::int[], $13::bigint[], $14::bool[]) AS t(idx, "kickUserId", username, minute, n, last, sub)
     ),
     fresh AS MATERIALIZED (
       SELECT DISTINCT ON (i."guildId", i.key) i.* FROM input i
       -- already-paid rows must not consume caps nor move the carried fraction (ON CONFLICT stays the guard)
       WHERE NOT EXISTS (SELECT 1 FROM "PointsLedger" l WHERE l."guildId" = i."guildId" AND l."idempotencyKey" = i.key)
     ),
     ranked AS MATERIALIZED (
       SELECT f.*, date_trunc('day', f.at, 'UTC') AS day,
              COALESCE(vs.points, 0)::bigint AS balance0,
              COALESCE(vs."carryHundredths", 0)::bigint AS carry0,
              CASE WHEN f.max_minutes > 0 THEN
                COALESCE((SELECT sum(l.minutes) FROM "PointsLedger" l
                          WHERE l."guildId" = f."guildId" AND l."kickUserId" = f."kickUserId" AND l.kind = 'watch'
                            AND l."createdAt" >= f.since AND l."idempotencyKey" LIKE 'tick:' || f.sid || ':%'), 0)
              ELSE 0 END::int AS prior_minutes,
              CASE WHEN f.max_day > 0 THEN
                COALESCE((SELECT sum(l.points) FROM "PointsLedger" l
                          WHERE l."guildId" = f."guildId" AND l."kickUserId" = f."kickUserId" AND l.kind = 'watch'
                            AND l."createdAt" >= date_trunc('day', f.at, 'UTC') AND l."createdAt" < date_trunc('day', f.at, 'UTC') + interval '1 day'), 0)
              ELSE 0 END::bigint AS prior_points,
              COALESCE(sum(f.n) OVER (PARTITION BY f."guildId", f.sid, f."kickUserId" ORDER BY f.minute ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int AS cum_before,
              (f.rate::bigint * (CASE WHEN f.sub THEN f.hundredths ELSE 100 END))::bigint AS per_minute_h
       FROM fresh f
       -- LATERAL: one primary-key lookup per row, whatever the planner guesses about the unnest sizes
       LEFT JOIN LATERAL (SELECT s.points, s."carryHundredths" FROM "ViewerStats" s WHERE s."guildId" = f."guildId" AND s."kickUserId" = f."kickUserId") vs ON true
     ),
     capped AS (
       SELECT r.*, CASE WHEN r.max_minutes = 0 THEN r.n ELSE least(r.n, r.max_minutes - r.prior_minutes - r.cum_before) END AS allowed
       FROM ranked r
     ),
     earned AS (
       SELECT c.*, c.per_minute_h * c.allowed AS raw_h FROM capped c WHERE c.allowed > 0
     ),
     within_stream AS (
       -- hundredths of a point add up per viewer (from the carried fraction, in block order); whole points are
       -- paid, the rest is carried: 1.5 × 5 minutes = 7.50 pays 7 and carries 50, the next block pays 8
       SELECT e.*,
              (e.carry0 + (sum(e.raw_h) OVER run)::bigint) / 100 - (e.carry0 + (sum(e.raw_h) OVER run)::bigint - e.raw_h) / 100 AS base,
              ((e.carry0 + (sum(e.raw_h) OVER (PARTITION BY e."guildId", e."kickUserId"))::bigint) % 100)::int AS carry_end
       FROM earned e
       WINDOW run AS (PARTITION BY e."guildId", e."kickUserId" ORDER BY e.minute, e.sid ROWS UNBOUNDED PRECEDING)
     ),
     day_capped AS (
       SELECT w.*,
              CASE WHEN w.max_day = 0 THEN w.base
                   ELSE least(w.prior_points + sum(w.base) OVER win, greatest(w.prior_points, w.max_day))
                      - least(w.prior_points + sum(w.base) OVER win - w.base, greatest(w.prior_points, w.max_day))
              END AS day_award
       FROM within_stream w
       WINDOW win AS (PARTITION BY w."guildId", w."kickUserId", w.day ORDER BY w.minute, w.sid ROWS UNBOUNDED PRECEDING)
     ),
     awarded AS (
       -- a balance never passes the largest int: what would, is not paid (the minutes still count)
       SELECT d.*,
              least(d.balance0 + sum(d.day_award) OVER run, ${MAX_BALANCE}) - least(d.balance0 + sum(d.day_award) OVER run - d.day_award, ${MAX_BALANCE}) AS award
       FROM day_capped d
       WINDOW run AS (PARTITION BY d."guildId", d."kickUserId" ORDER BY d.minute, d.sid ROWS UNBOUNDED PRECEDING)
     ),
     ins AS (
       INSERT INTO "PointsLedger" ("guildId", "kickUserId", kind, points, minutes, "idempotencyKey", "createdAt")
       SELECT "guildId", "kickUserId", 'watch', award::int, allowed, key, at FROM awarded ORDER BY "guildId", "kickUserId", minute
       ON CONFLICT ("guildId", "idempotencyKey") DO NOTHING
       RETURNING "guildId", "kickUserId", points, minutes, "createdAt"
     ),
     agg AS (
       -- paid rows and the latest username per viewer, merged by grouping (no join: the planner cannot estimate unnest sizes)
       SELECT x."guildId", x."kickUserId", least(sum(x.points), ${MAX_BALANCE})::int AS points, least(sum(x.minutes), ${MAX_BALANCE})::int AS minutes, max(x.at) AS last_at,
              (array_agg(x.username ORDER BY x.minute DESC) FILTER (WHERE x.username IS NOT NULL))[1] AS username,
              max(x.carry) AS carry
       FROM (
         SELECT ins."guildId", ins."kickUserId", ins.points, ins.minutes, NULL::timestamptz AS at, NULL::text AS username, NULL::bigint AS minute, NULL::int AS carry, true AS paid FROM ins
         UNION ALL
         SELECT i."guildId", i."kickUserId", 0, 0, i.last_at, i.username, i.minute, NULL, false FROM input i
         UNION ALL
         SELECT DISTINCT a."guildId", a."kickUserId", 0, 0, NULL::timestamptz, NULL::text, NULL::bigint, a.carry_end, false FROM awarded a
       ) x
       GROUP BY x."guildId", x."kickUserId"
       HAVING bool_or(x.paid)
     ),
     upd AS (
       INSERT INTO "ViewerStats" ("guildId", "kickUserId", username, points, "activeMinutes", "carryHundredths", "lastActiveAt", "updatedAt")
       SELECT a."guildId", a."kickUserId", a.username, a.points, a.minutes, COALESCE(a.carry, 0), a.last_at, now()
       FROM agg a ORDER BY a."guildId", a."kickUserId"
       ON CONFLICT ("guildId", "kickUserId") DO UPDATE SET
         -- LEAST: a balance written meanwhile (a grant, an import) must not make this statement fail for the channel
         points = LEAST("ViewerStats".points::bigint + EXCLUDED.points, ${MAX_BALANCE})::int,
         "activeMinutes" = LEAST("ViewerStats"."activeMinutes"::bigint + EXCLUDED."activeMinutes", ${MAX_BALANCE})::int,
         "carryHundredths" = EXCLUDED."carryHundredths",
         "lastActiveAt" = GREATEST("ViewerStats"."lastActiveAt", EXCLUDED."lastActiveAt"),
         username = EXCLUDED.username,
         "updatedAt" = now()
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted,
            COALESCE((SELECT sum(minutes) FROM ins), 0)::float8 AS minutes,
            COALESCE((SELECT sum(points) FROM ins), 0)::float8 AS points,
            (SELECT count(*) FROM upd)::int AS stats`,
    used.map((x) => x.guildId),
    used.map((x) => x.sessionId),
    used.map((x) => new Date(Math.floor(x.sessionStartedAt.getTime() / 60_000) * 60_000)),
    used.map((x) => Math.max(0, Math.floor(x.settings.pointsPerMinute))),
    used.map((x) => Math.max(100, Math.round(x.settings.subscriberMultiplier * 100))),
    used.map((x) => Math.max(0, Math.floor(x.settings.maxMinutesPerStream))),
    used.map((x) => Math.max(0, Math.floor(x.settings.maxPointsPerDay))),
    rowSession,
    rowUser,
    rowName,
    rowMinute,
    rowCount,
    rowLast,
    rowSub,
  );
  const row = rows[0] ?? { inserted: 0, minutes: 0, points: 0 };
  return { inserted: row.inserted, skipped: total - row.inserted, minutes: row.minutes, points: row.points };
}
