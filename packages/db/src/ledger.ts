import type { LedgerKind } from './generated/prisma/enums.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { BalanceLimitError, type BalanceOverLimit } from './BalanceLimitError.ts';
import { MAX_BALANCE } from './watchTicks.ts';

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

/** Options of {@link appendLedgerEntries}. */
export interface AppendLedgerOptions {
  /**
   * What to do with an entry that would carry a balance past {@link MAX_BALANCE}:
   * - `'cap'` (default): write it with the points cut to what fits (0 at the limit), so the ledger still
   *   equals the balance and an event bonus never fails its job;
   * - `'refuse'`: write nothing of the whole append and throw {@link BalanceLimitError} naming the viewers
   *   (moderator grants, imports: the person asking gets a clear error).
   */
  overLimit?: 'cap' | 'refuse';
}

/**
 * Appends ledger entries and updates per-viewer balances in ONE SQL statement, so a balance can
 * never drift from its ledger: entries whose (guildId, idempotencyKey) exists are skipped and add
 * nothing; concurrent appends of the same key wait for each other and only one wins. No balance passes
 * {@link MAX_BALANCE} (see {@link AppendLedgerOptions.overLimit}).
 */
export async function appendLedgerEntries(db: Queryable, entries: readonly LedgerEntryInput[], options: AppendLedgerOptions = {}): Promise<LedgerAppendResult> {
  if (entries.length === 0) return { inserted: 0, skipped: 0 };
  const refuse = options.overLimit === 'refuse';
  const rows = await db.$queryRawUnsafe<{ inserted: number; over: string | null }[]>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::"LedgerKind"[], $5::int[], $6::int[], $7::text[], $8::text[], $9::text[])
         WITH ORDINALITY AS t("guildId", "kickUserId", username, kind, points, minutes, "idempotencyKey", reason, "actorDiscordId", ord)
     ),
     fresh AS MATERIALIZED (
       -- entries not yet in the ledger, with the balance they start from (one primary-key lookup each)
       SELECT i.*, COALESCE(vs.points, 0)::bigint AS balance0 FROM input i
       LEFT JOIN LATERAL (SELECT s.points FROM "ViewerStats" s WHERE s."guildId" = i."guildId" AND s."kickUserId" = i."kickUserId") vs ON true
       WHERE NOT EXISTS (SELECT 1 FROM "PointsLedger" l WHERE l."guildId" = i."guildId" AND l."idempotencyKey" = i."idempotencyKey")
     ),
     sized AS MATERIALIZED (
       SELECT f.*, f.balance0 + (sum(f.points) OVER run)::bigint AS after FROM fresh f
       WINDOW run AS (PARTITION BY f."guildId", f."kickUserId" ORDER BY f.ord ROWS UNBOUNDED PRECEDING)
     ),
     over AS (
       SELECT s."guildId", s."kickUserId", min(s.username) AS username, min(s.balance0) AS balance, sum(s.points) FILTER (WHERE s.points > 0) AS adding
       FROM sized s GROUP BY s."guildId", s."kickUserId" HAVING bool_or(s.points > 0 AND s.after > ${MAX_BALANCE})
     ),
     ins AS (
       INSERT INTO "PointsLedger" ("guildId", "kickUserId", kind, points, minutes, "idempotencyKey", reason, "actorDiscordId")
       SELECT "guildId", "kickUserId", kind,
              CASE WHEN points > 0 THEN least(after, ${MAX_BALANCE}) - least(after - points, ${MAX_BALANCE}) ELSE points END,
              minutes, "idempotencyKey", reason, "actorDiscordId"
       FROM sized WHERE NOT ($10::bool AND EXISTS (SELECT 1 FROM over))
       ORDER BY ord
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
         -- LEAST: a balance written meanwhile must not make this statement fail
         points = LEAST("ViewerStats".points::bigint + EXCLUDED.points, ${MAX_BALANCE})::int,
         "activeMinutes" = LEAST("ViewerStats"."activeMinutes"::bigint + EXCLUDED."activeMinutes", ${MAX_BALANCE})::int,
         username = EXCLUDED.username,
         "updatedAt" = now()
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM ins)::int AS inserted,
            CASE WHEN $10::bool THEN (SELECT json_agg(json_build_object('guildId', "guildId", 'kickUserId', "kickUserId", 'username', username, 'balance', balance, 'adding', adding))::text FROM over) END AS over`,
    entries.map((e) => e.guildId),
    entries.map((e) => e.kickUserId),
    entries.map((e) => e.username),
    entries.map((e) => e.kind),
    entries.map((e) => e.points),
    entries.map((e) => e.minutes ?? 0),
    entries.map((e) => e.idempotencyKey),
    entries.map((e) => e.reason ?? null),
    entries.map((e) => e.actorDiscordId ?? null),
    refuse,
  );
  const over = rows[0]?.over;
  if (over) throw new BalanceLimitError(JSON.parse(over) as BalanceOverLimit[], MAX_BALANCE);
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
