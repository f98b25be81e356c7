import type { PrismaClient } from './generated/prisma/client.ts';

/** One viewer's active minute to pay (see {@link appendWatchTicks}). */
export interface WatchTickRow {
  kickUserId: number;
  /** Kick username, kept on the per-guild stats row and on `KickViewer`. */
  username: string;
  /** Minute index (`floor(epochMs / 60000)`) being paid. */
  minute: number;
  /** Subscriber at the time of their latest chat message (multiplier applies). */
  isSubscriber: boolean;
}

/** The guild's accrual tunables, as stored in `GuildSettings`. */
export interface WatchTickSettings {
  pointsPerMinute: number;
  /** 1–10; applied in integer hundredths, points floored. */
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
  /** Start of the session: ledger rows of this session are looked up from here. */
  sessionStartedAt: Date;
  settings: WatchTickSettings;
  rows: readonly WatchTickRow[];
}

/** What {@link appendWatchTicks} changed. `skipped` rows were already paid (or capped to nothing). */
export interface WatchTickResult {
  inserted: number;
  skipped: number;
  minutes: number;
  points: number;
}

type Queryable = Pick<PrismaClient, '$queryRawUnsafe'>;

/**
 * Pays active minutes for one stream session in ONE SQL statement, exactly once per
 * (session, minute, viewer) — the ledger key is `tick:<session>:<minute>:<kickUserId>` — with the
 * caps applied from the ledger itself:
 * - per-stream minutes: `watch` minutes of this session already in the ledger + earlier rows of this batch;
 *   a minute past `maxMinutesPerStream` earns nothing and is not recorded;
 * - per-day points: `watch` points of the minute's UTC day already in the ledger + earlier rows of this
 *   batch; the minute still counts as watchtime with points cut to what is left (the same rules as
 *   `awardForMinute` in @kickcord/core, applied minute by minute in order).
 * Rows whose key is already in the ledger take no part in the caps, so a repeated or overlapping tick
 * pays nothing extra and never consumes a cap twice. Ledger rows are dated at their minute (so the day
 * cap follows the tick's clock). The same statement updates `ViewerStats` (points, active minutes,
 * last active) and `KickViewer` — a balance cannot drift from its ledger.
 */
export async function appendWatchTicks(db: Queryable, input: WatchTickInput): Promise<WatchTickResult> {
  if (input.rows.length === 0) return { inserted: 0, skipped: 0, minutes: 0, points: 0 };
  if (/[%_\\\s:]/.test(input.sessionId) || input.sessionId.length === 0) {
    throw new RangeError(`appendWatchTicks: sessionId must be non-empty without spaces, ":", "%", "_" or "\\" (got "${input.sessionId}")`);
  }
  const s = input.settings;
  const hundredths = Math.max(100, Math.round(s.subscriberMultiplier * 100));
  const rows = await db.$queryRawUnsafe<{ inserted: number; minutes: number; points: number }[]>(
    `WITH input AS (
       SELECT t."kickUserId", t.username, t.minute, t.sub,
              'tick:' || $2::text || ':' || t.minute::text || ':' || t."kickUserId"::text AS key,
              to_timestamp(t.minute::bigint * 60) AS at
       FROM unnest($3::int[], $4::text[], $5::bigint[], $6::bool[]) AS t("kickUserId", username, minute, sub)
     ),
     fresh AS (
       SELECT DISTINCT ON (i.key) i.* FROM input i
       WHERE NOT EXISTS (SELECT 1 FROM "PointsLedger" l WHERE l."guildId" = $1 AND l."idempotencyKey" = i.key)
     ),
     viewers AS (
       SELECT "kickUserId", min(at) AS first_at FROM fresh GROUP BY "kickUserId"
     ),
     prior_minutes AS (
       SELECT v."kickUserId",
              COALESCE((SELECT sum(l.minutes) FROM "PointsLedger" l
                        WHERE l."guildId" = $1 AND l."kickUserId" = v."kickUserId" AND l.kind = 'watch'
                          AND l."createdAt" >= $7::timestamptz AND l."idempotencyKey" LIKE $8), 0)::int AS minutes
       FROM viewers v
     ),
     days AS (
       SELECT DISTINCT "kickUserId", date_trunc('day', at, 'UTC') AS day FROM fresh
     ),
     prior_points AS (
       SELECT d."kickUserId", d.day,
              CASE WHEN $12::int > 0 THEN
                COALESCE((SELECT sum(l.points) FROM "PointsLedger" l
                          WHERE l."guildId" = $1 AND l."kickUserId" = d."kickUserId" AND l.kind = 'watch'
                            AND l."createdAt" >= d.day AND l."createdAt" < d.day + interval '1 day'), 0)
              ELSE 0 END::bigint AS points
       FROM days d
     ),
     ranked AS (
       SELECT f.*, pm.minutes AS prior_minutes,
              row_number() OVER (PARTITION BY f."kickUserId" ORDER BY f.minute) AS rn,
              (floor(($9::int * (CASE WHEN f.sub THEN $10::int ELSE 100 END))::numeric / 100))::bigint AS base
       FROM fresh f JOIN prior_minutes pm ON pm."kickUserId" = f."kickUserId"
     ),
     within_stream AS (
       SELECT r.*, date_trunc('day', r.at, 'UTC') AS day FROM ranked r
       WHERE $11::int = 0 OR r.prior_minutes + r.rn <= $11::int
     ),
     awarded AS (
       SELECT w.*,
              CASE WHEN $12::int = 0 THEN w.base
                   ELSE least(pp.points + sum(w.base) OVER win, greatest(pp.points, $12::int))
                      - least(pp.points + sum(w.base) OVER win - w.base, greatest(pp.points, $12::int))
              END AS award
       FROM within_stream w JOIN prior_points pp ON pp."kickUserId" = w."kickUserId" AND pp.day = w.day
       WINDOW win AS (PARTITION BY w."kickUserId", w.day ORDER BY w.minute ROWS UNBOUNDED PRECEDING)
     ),
     ins AS (
       INSERT INTO "PointsLedger" ("guildId", "kickUserId", kind, points, minutes, "idempotencyKey", "createdAt")
       SELECT $1, "kickUserId", 'watch', award::int, 1, key, at FROM awarded ORDER BY "kickUserId", minute
       ON CONFLICT ("guildId", "idempotencyKey") DO NOTHING
       RETURNING "kickUserId", points, minutes, "createdAt"
     ),
     agg AS (
       SELECT ins."kickUserId", sum(ins.points)::int AS points, sum(ins.minutes)::int AS minutes, max(ins."createdAt") AS last_at,
              (SELECT i.username FROM input i WHERE i."kickUserId" = ins."kickUserId" ORDER BY i.minute DESC LIMIT 1) AS username
       FROM ins GROUP BY ins."kickUserId"
     ),
     upd AS (
       INSERT INTO "ViewerStats" ("guildId", "kickUserId", username, points, "activeMinutes", "lastActiveAt", "updatedAt")
       SELECT $1, "kickUserId", username, points, minutes, last_at, now() FROM agg ORDER BY "kickUserId"
       ON CONFLICT ("guildId", "kickUserId") DO UPDATE SET
         points = "ViewerStats".points + EXCLUDED.points,
         "activeMinutes" = "ViewerStats"."activeMinutes" + EXCLUDED."activeMinutes",
         "lastActiveAt" = GREATEST("ViewerStats"."lastActiveAt", EXCLUDED."lastActiveAt"),
         username = EXCLUDED.username,
         "updatedAt" = now()
       RETURNING 1
     ),
     seen AS (
       INSERT INTO "KickViewer" ("userId", username, "lastSeenAt")
       SELECT "kickUserId", username, last_at FROM agg ORDER BY "kickUserId"
       ON CONFLICT ("userId") DO UPDATE SET username = EXCLUDED.username, "lastSeenAt" = EXCLUDED."lastSeenAt"
         WHERE "KickViewer".username <> EXCLUDED.username OR "KickViewer"."lastSeenAt" < EXCLUDED."lastSeenAt" - interval '10 minutes'
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted,
            COALESCE((SELECT sum(minutes) FROM ins), 0)::int AS minutes,
            COALESCE((SELECT sum(points) FROM ins), 0)::int AS points,
            (SELECT count(*) FROM upd)::int AS stats,
            (SELECT count(*) FROM seen)::int AS seen`,
    input.guildId,
    input.sessionId,
    input.rows.map((r) => r.kickUserId),
    input.rows.map((r) => r.username),
    input.rows.map((r) => r.minute),
    input.rows.map((r) => r.isSubscriber),
    new Date(Math.floor(input.sessionStartedAt.getTime() / 60_000) * 60_000),
    `tick:${input.sessionId}:%`,
    Math.max(0, Math.floor(s.pointsPerMinute)),
    hundredths,
    Math.max(0, Math.floor(s.maxMinutesPerStream)),
    Math.max(0, Math.floor(s.maxPointsPerDay)),
  );
  const row = rows[0] ?? { inserted: 0, minutes: 0, points: 0 };
  return { inserted: row.inserted, skipped: input.rows.length - row.inserted, minutes: row.minutes, points: row.points };
}
