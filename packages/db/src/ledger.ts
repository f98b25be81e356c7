import type { LedgerKind } from './generated/prisma/enums.ts';
import type { PrismaClient } from './generated/prisma/client.ts';

/** One ledger entry to append. `idempotencyKey` is unique per guild: `msg:<id>`, `tick:<stream>:<minute>`, `admin:<interaction>`… */
export interface LedgerEntryInput {
  guildId: string;
  kickUserId: number;
  /** Kick username, kept on the per-guild stats row for leaderboards. */
  username: string;
  kind: LedgerKind;
  points: number;
  /** Active minutes this entry adds (watch ticks); default 0. */
  minutes?: number;
  idempotencyKey: string;
  reason?: string | null;
  actorDiscordId?: string | null;
}

/** What an append changed. Entries whose key was already used are skipped and counted here. */
export interface LedgerAppendResult {
  inserted: number;
  skipped: number;
}

type Queryable = Pick<PrismaClient, '$queryRawUnsafe'>;

/**
 * Appends ledger entries and updates per-viewer balances in ONE SQL statement, so a balance can
 * never drift from its ledger: entries whose (guildId, idempotencyKey) exists are skipped and add
 * nothing; concurrent appends of the same key wait for each other and only one wins.
 */
export async function appendLedgerEntries(db: Queryable, entries: readonly LedgerEntryInput[]): Promise<LedgerAppendResult> {
  if (entries.length === 0) return { inserted: 0, skipped: 0 };
  const rows = await db.$queryRawUnsafe<{ inserted: number }[]>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::"LedgerKind"[], $5::int[], $6::int[], $7::text[], $8::text[], $9::text[])
         AS t("guildId", "kickUserId", username, kind, points, minutes, "idempotencyKey", reason, "actorDiscordId")
     ),
     ins AS (
       INSERT INTO "PointsLedger" ("guildId", "kickUserId", kind, points, minutes, "idempotencyKey", reason, "actorDiscordId")
       SELECT "guildId", "kickUserId", kind, points, minutes, "idempotencyKey", reason, "actorDiscordId" FROM input
       ON CONFLICT ("guildId", "idempotencyKey") DO NOTHING
       RETURNING "guildId", "kickUserId", points, minutes
     ),
     agg AS (
       SELECT ins."guildId", ins."kickUserId", sum(ins.points)::int AS points, sum(ins.minutes)::int AS minutes,
              (SELECT i.username FROM input i WHERE i."guildId" = ins."guildId" AND i."kickUserId" = ins."kickUserId" LIMIT 1) AS username
       FROM ins GROUP BY ins."guildId", ins."kickUserId"
     ),
     upd AS (
       INSERT INTO "ViewerStats" ("guildId", "kickUserId", username, points, "activeMinutes", "updatedAt")
       SELECT "guildId", "kickUserId", username, points, minutes, now() FROM agg
       ON CONFLICT ("guildId", "kickUserId") DO UPDATE SET
         points = "ViewerStats".points + EXCLUDED.points,
         "activeMinutes" = "ViewerStats"."activeMinutes" + EXCLUDED."activeMinutes",
         username = EXCLUDED.username,
         "updatedAt" = now()
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted`,
    entries.map((e) => e.guildId),
    entries.map((e) => e.kickUserId),
    entries.map((e) => e.username),
    entries.map((e) => e.kind),
    entries.map((e) => e.points),
    entries.map((e) => e.minutes ?? 0),
    entries.map((e) => e.idempotencyKey),
    entries.map((e) => e.reason ?? null),
    entries.map((e) => e.actorDiscordId ?? null),
  );
  const inserted = rows[0]?.inserted ?? 0;
  return { inserted, skipped: entries.length - inserted };
}

/** Result of {@link spendPoints}. */
export type SpendResult = { ok: true; balance: number; duplicate: boolean } | { ok: false; reason: 'insufficient'; balance: number };

/**
 * Deducts `cost` points only if the viewer's balance covers it — atomically, in one statement.
 * Idempotent on `idempotencyKey`: a repeat reports `duplicate: true` and charges nothing.
 */
export async function spendPoints(
  db: Queryable,
  input: Omit<LedgerEntryInput, 'points' | 'minutes'> & { cost: number },
): Promise<SpendResult> {
  if (!Number.isInteger(input.cost) || input.cost < 0) throw new RangeError('cost must be a non-negative integer');
  const rows = await db.$queryRawUnsafe<{ status: string; balance: number }[]>(
    `WITH existing AS (
       SELECT 1 FROM "PointsLedger" WHERE "guildId" = $1 AND "idempotencyKey" = $5
     ),
     bal AS (
       SELECT points FROM "ViewerStats" WHERE "guildId" = $1 AND "kickUserId" = $2 FOR UPDATE
     ),
     ins AS (
       INSERT INTO "PointsLedger" ("guildId", "kickUserId", kind, points, minutes, "idempotencyKey", reason, "actorDiscordId")
       SELECT $1, $2, $4::"LedgerKind", -$6::int, 0, $5, $7, $8
       WHERE NOT EXISTS (SELECT 1 FROM existing) AND (SELECT COALESCE(max(points), 0) FROM bal) >= $6::int
       ON CONFLICT ("guildId", "idempotencyKey") DO NOTHING
       RETURNING points
     ),
     upd AS (
       INSERT INTO "ViewerStats" ("guildId", "kickUserId", username, points, "activeMinutes", "updatedAt")
       SELECT $1, $2, $3, points, 0, now() FROM ins
       ON CONFLICT ("guildId", "kickUserId") DO UPDATE SET points = "ViewerStats".points + EXCLUDED.points, "updatedAt" = now()
       RETURNING points
     )
     SELECT CASE WHEN EXISTS (SELECT 1 FROM existing) THEN 'duplicate'
                 WHEN EXISTS (SELECT 1 FROM ins) THEN 'ok' ELSE 'insufficient' END AS status,
            COALESCE((SELECT points FROM upd), (SELECT points FROM bal), 0)::int AS balance`,
    input.guildId,
    input.kickUserId,
    input.username,
    input.kind,
    input.idempotencyKey,
    input.cost,
    input.reason ?? null,
    input.actorDiscordId ?? null,
  );
  const row = rows[0] ?? { status: 'insufficient', balance: 0 };
  if (row.status === 'insufficient') return { ok: false, reason: 'insufficient', balance: row.balance };
  return { ok: true, balance: row.balance, duplicate: row.status === 'duplicate' };
}
