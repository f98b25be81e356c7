import { defaultImportMode, importFingerprint, importKey, parsePointsCsv, toPointsCsv, type CsvLineError, type PointsCsvFormat, type PointsImportMode } from '@kickcord/core';
import { appendLedgerEntries, BalanceLimitError, MAX_BALANCE, type LedgerEntryInput } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** How long a dry run waits for its Confirm click. */
export const IMPORT_TTL_SECONDS = 15 * 60;
/** Largest upload accepted. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const LEDGER_CHUNK = 1000;

/** Human names of the recognised layouts. */
export const IMPORT_FORMAT_NAMES: Readonly<Record<PointsCsvFormat, string>> = {
  kickcord: 'kickcord export',
  streamelements: 'StreamElements',
  'streamlabs-chatbot': 'Streamlabs Chatbot',
  botrix: 'BotRix',
  generic: 'generic (username + points)',
};

/** The guild's viewers as kickcord's CSV (`kick_user_id,username,points,active_minutes`), highest balance first. */
export async function exportPointsCsv(ctx: BotContext, guildId: string): Promise<{ csv: string; rows: number }> {
  const stats = await ctx.prisma.viewerStats.findMany({ where: { guildId }, orderBy: [{ points: 'desc' }, { kickUserId: 'asc' }] });
  return { csv: toPointsCsv(stats.map((s) => ({ kickUserId: s.kickUserId, username: s.username, points: s.points, activeMinutes: s.activeMinutes }))), rows: stats.length };
}

/** One ledger entry an import would write. */
interface PendingEntry {
  kickUserId: number;
  username: string;
  points: number;
  minutes: number;
  key: string;
  line: number;
}

/** A dry run kept in Redis until Confirm/Cancel (or expiry). */
interface PendingImport {
  guildId: string;
  fingerprint: string;
  format: PointsCsvFormat;
  /** Absent in imports prepared before modes existed: those add. */
  mode?: PointsImportMode;
  entries: PendingEntry[];
}

/** A row left out because adding it would pass the largest balance. */
export interface OverLimitRow {
  line: number;
  username: string;
  balance: number;
  points: number;
}

/** What the dry run found. */
export type ImportDryRun =
  | { ok: false; format: PointsCsvFormat | null; errors: CsvLineError[] }
  | {
      ok: true;
      importId: string;
      format: PointsCsvFormat;
      /** `set`: balances become the file's values; `add`: the file's values are added. */
      mode: PointsImportMode;
      fingerprint: string;
      rows: number;
      /** Rows that will be imported (matched, not imported before). */
      toImport: number;
      /** Net change of the balances (with `set`, the file's values minus the current ones, as of the dry run). */
      points: number;
      /** Net change of the active minutes. */
      minutes: number;
      /** Rows left out (`add` only) because the balance would pass {@link MAX_BALANCE}. */
      overLimit: OverLimitRow[];
      /** Rows whose user already got this file's entry (re-import): skipped. */
      alreadyImported: number;
      /** Usernames without a Kick id that match no viewer we know: skipped. */
      unmatched: { line: number; username: string }[];
    };

/** Redis key namespace of prepared imports (the same keys across upgrades). */

/**
 * Parses an uploaded CSV and prepares an import without changing anything, in `mode` (default: `set` for
 * kickcord's export, `add` for other tools' files — {@link defaultImportMode}). Rows with a Kick user id use it;
 * rows with only a username match this guild's viewers (then any Kick viewer kickcord has seen) case-insensitively;
 * usernames that match nobody are reported and skipped (Kick ids can't be looked up by name with the public API).
 * The prepared entries are kept in Redis for {@link IMPORT_TTL_SECONDS} under `importId`.
 */
export async function prepareImport(ctx: BotContext, input: { guildId: string; importId: string; csvText: string; mode?: PointsImportMode }): Promise<ImportDryRun> {
  const parsed = parsePointsCsv(input.csvText);
  if (!parsed.ok) return { ok: false, format: parsed.format, errors: parsed.errors };
  const mode = input.mode ?? defaultImportMode(parsed.format);
  const fingerprint = importFingerprint(parsed.rows);
  const byName = parsed.rows.filter((r) => r.kickUserId === null).map((r) => r.username.toLowerCase());
  const known = new Map<string, { kickUserId: number; username: string }>();
  if (byName.length > 0) {
    const viewers = await ctx.prisma.$queryRaw<{ kickUserId: number; username: string; lname: string }[]>`
      SELECT DISTINCT ON (lower(username)) "kickUserId", username, lower(username) AS lname
      FROM "ViewerStats" WHERE "guildId" = ${input.guildId} AND lower(username) = ANY(${byName}::text[])
      ORDER BY lower(username), "updatedAt" DESC`;
    for (const v of viewers) known.set(v.lname, { kickUserId: v.kickUserId, username: v.username });
    const missing = byName.filter((n) => !known.has(n));
    if (missing.length > 0) {
      const seen = await ctx.prisma.$queryRaw<{ userId: number; username: string; lname: string }[]>`
        SELECT DISTINCT ON (lower(username)) "userId", username, lower(username) AS lname
        FROM "KickViewer" WHERE lower(username) = ANY(${missing}::text[])
        ORDER BY lower(username), "lastSeenAt" DESC`;
      for (const v of seen) known.set(v.lname, { kickUserId: v.userId, username: v.username });
    }
  }
  const entries: PendingEntry[] = [];
  const unmatched: { line: number; username: string }[] = [];
  for (const row of parsed.rows) {
    const match = row.kickUserId !== null ? { kickUserId: row.kickUserId, username: row.username } : known.get(row.username.toLowerCase());
    if (!match) {
      unmatched.push({ line: row.line, username: row.username });
      continue;
    }
    entries.push({ kickUserId: match.kickUserId, username: match.username, points: row.points, minutes: row.activeMinutes, key: importKey(fingerprint, row, mode), line: row.line });
  }
  const keys = entries.map((e) => e.key);
  const done = keys.length === 0 ? [] : await ctx.prisma.pointsLedger.findMany({ where: { guildId: input.guildId, idempotencyKey: { in: keys } }, select: { idempotencyKey: true } });
  const doneKeys = new Set(done.map((d) => d.idempotencyKey));
  const current = await currentStats(ctx.prisma, input.guildId, entries.map((e) => e.kickUserId));
  const overLimit: OverLimitRow[] = [];
  const fresh = entries.filter((e) => {
    if (doneKeys.has(e.key)) return false;
    const balance = current.get(e.kickUserId)?.points ?? 0;
    if (mode === 'add' && balance + e.points > MAX_BALANCE) {
      overLimit.push({ line: e.line, username: e.username, balance, points: e.points });
      return false;
    }
    return true;
  });
  const skipLines = new Set(overLimit.map((o) => o.line));
  const pending: PendingImport = { guildId: input.guildId, fingerprint, format: parsed.format, mode, entries: entries.filter((e) => !skipLines.has(e.line)) };
  await ctx.redis.set(ctx.keys.pendingImport(input.importId), JSON.stringify(pending), 'EX', IMPORT_TTL_SECONDS);
  const change = (e: PendingEntry, field: 'points' | 'minutes'): number => {
    if (mode === 'add') return e[field];
    const now = current.get(e.kickUserId);
    return e[field] - (field === 'points' ? (now?.points ?? 0) : (now?.activeMinutes ?? 0));
  };
  return {
    ok: true,
    importId: input.importId,
    format: parsed.format,
    mode,
    fingerprint,
    rows: parsed.rows.length,
    toImport: fresh.length,
    points: fresh.reduce((s, e) => s + change(e, 'points'), 0),
    minutes: fresh.reduce((s, e) => s + change(e, 'minutes'), 0),
    overLimit,
    alreadyImported: entries.length - fresh.length - overLimit.length,
    unmatched,
  };
}

type StatsReader = Pick<BotContext['prisma'], '$queryRawUnsafe'>;

/** Current balance and active minutes of these viewers in the guild (optionally locked until the transaction ends). */
async function currentStats(db: StatsReader, guildId: string, kickUserIds: readonly number[], lock = false): Promise<Map<number, { points: number; activeMinutes: number }>> {
  const out = new Map<number, { points: number; activeMinutes: number }>();
  if (kickUserIds.length === 0) return out;
  const rows = await db.$queryRawUnsafe<{ kickUserId: number; points: number; activeMinutes: number }[]>(
    `SELECT "kickUserId", points, "activeMinutes" FROM "ViewerStats" WHERE "guildId" = $1 AND "kickUserId" = ANY($2::int[]) ORDER BY "kickUserId"${lock ? ' FOR UPDATE' : ''}`,
    guildId,
    [...new Set(kickUserIds)],
  );
  for (const r of rows) out.set(r.kickUserId, { points: r.points, activeMinutes: r.activeMinutes });
  return out;
}

/**
 * Applies a prepared import as ledger entries (kind `import`, keys from `importKey`), all in one transaction:
 * - `add`: each entry adds the file's points and minutes;
 * - `set`: each entry adds the difference between the file's values and the balance at this moment (the
 *   viewers' rows are locked meanwhile), so the balances end equal to the file.
 * Entries already written are skipped, so confirming twice — or importing the same file again — changes
 * nothing. If a balance would now pass the largest balance (it grew since the dry run), nothing is applied and
 * the error says so. Only the guild that prepared the import can apply it.
 */
export async function confirmImport(
  ctx: BotContext,
  input: { guildId: string; importId: string; actorDiscordId: string },
): Promise<{ inserted: number; skipped: number; fingerprint: string; mode: PointsImportMode }> {
  const raw = await ctx.redis.get(ctx.keys.pendingImport(input.importId));
  if (!raw) throw new UserFacingError('This import has expired or was already handled. Run `/points import` again.');
  const pending = JSON.parse(raw) as PendingImport;
  if (pending.guildId !== input.guildId) throw new UserFacingError('This import belongs to another server.');
  const mode = pending.mode ?? 'add';
  let inserted = 0;
  let skipped = 0;
  try {
    await ctx.prisma.$transaction(
      async (tx) => {
        for (let i = 0; i < pending.entries.length; i += LEDGER_CHUNK) {
          const slice = pending.entries.slice(i, i + LEDGER_CHUNK);
          const current = mode === 'set' ? await currentStats(tx, input.guildId, slice.map((e) => e.kickUserId), true) : new Map<number, { points: number; activeMinutes: number }>();
          const chunk: LedgerEntryInput[] = slice.map((e) => ({
            guildId: input.guildId,
            kickUserId: e.kickUserId,
            username: e.username,
            kind: 'import',
            points: mode === 'set' ? e.points - (current.get(e.kickUserId)?.points ?? 0) : e.points,
            minutes: mode === 'set' ? e.minutes - (current.get(e.kickUserId)?.activeMinutes ?? 0) : e.minutes,
            idempotencyKey: e.key,
            reason: `points import ${pending.fingerprint} (${mode}, line ${e.line})`,
            actorDiscordId: input.actorDiscordId,
          }));
          const result = await appendLedgerEntries(tx, chunk, { overLimit: 'refuse' });
          inserted += result.inserted;
          skipped += result.skipped;
        }
      },
      { timeout: 120_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (error instanceof BalanceLimitError) {
      throw new UserFacingError(`Nothing was imported: ${error.message.replace(/ — nothing was written\. Give at most the difference\./u, '')} — a balance grew since the dry run. Run \`/points import\` again to see which rows are left out.`);
    }
    throw error;
  }
  await ctx.redis.del(ctx.keys.pendingImport(input.importId));
  return { inserted, skipped, fingerprint: pending.fingerprint, mode };
}

/** Drops a prepared import. */
export async function cancelImport(ctx: BotContext, input: { guildId: string; importId: string }): Promise<boolean> {
  const raw = await ctx.redis.get(ctx.keys.pendingImport(input.importId));
  if (!raw) return false;
  const pending = JSON.parse(raw) as PendingImport;
  if (pending.guildId !== input.guildId) throw new UserFacingError('This import belongs to another server.');
  await ctx.redis.del(ctx.keys.pendingImport(input.importId));
  return true;
}

/** The refusal of a file over {@link MAX_IMPORT_BYTES}, whether uploaded to Discord or to the dashboard. */
export function describeTooLarge(bytes: number): string {
  return `That file is ${Math.ceil(bytes / 1024)} KiB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MiB. Split it into smaller files.`;
}

/** Downloads an uploaded attachment (size-checked) as UTF-8 text. */
export async function downloadAttachment(url: string, size: number): Promise<string> {
  if (size > MAX_IMPORT_BYTES) throw new UserFacingError(describeTooLarge(size));
  const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new UserFacingError(`Could not download the attachment (HTTP ${response.status}). Try uploading it again.`);
  const buffer = Buffer.from(await response.arrayBuffer());
  if (buffer.length > MAX_IMPORT_BYTES) throw new UserFacingError(`That file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB. Split it into smaller files.`);
  return buffer.toString('utf8');
}
