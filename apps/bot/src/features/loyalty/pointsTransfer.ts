import { importFingerprint, importKey, parsePointsCsv, toPointsCsv, type CsvLineError, type PointsCsvFormat } from '@kickcord/core';
import { appendLedgerEntries, type LedgerEntryInput } from '@kickcord/db';
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
  entries: PendingEntry[];
}

/** What the dry run found. */
export type ImportDryRun =
  | { ok: false; format: PointsCsvFormat | null; errors: CsvLineError[] }
  | {
      ok: true;
      importId: string;
      format: PointsCsvFormat;
      fingerprint: string;
      rows: number;
      /** Rows that will be imported (matched, not imported before). */
      toImport: number;
      points: number;
      minutes: number;
      /** Rows whose user already got this file's entry (re-import): skipped. */
      alreadyImported: number;
      /** Usernames without a Kick id that match no viewer we know: skipped. */
      unmatched: { line: number; username: string }[];
    };

/** Redis key namespace of prepared imports (the same keys across upgrades). */

/**
 * Parses an uploaded CSV and prepares an import without changing anything. Rows with a Kick user id use it;
 * rows with only a username match this guild's viewers (then any Kick viewer kickcord has seen) case-insensitively;
 * usernames that match nobody are reported and skipped (Kick ids can't be looked up by name with the public API).
 * The prepared entries are kept in Redis for {@link IMPORT_TTL_SECONDS} under `importId`.
 */
export async function prepareImport(ctx: BotContext, input: { guildId: string; importId: string; csvText: string }): Promise<ImportDryRun> {
  const parsed = parsePointsCsv(input.csvText);
  if (!parsed.ok) return { ok: false, format: parsed.format, errors: parsed.errors };
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
    entries.push({ kickUserId: match.kickUserId, username: match.username, points: row.points, minutes: row.activeMinutes, key: importKey(fingerprint, row), line: row.line });
  }
  const keys = entries.map((e) => e.key);
  const done = keys.length === 0 ? [] : await ctx.prisma.pointsLedger.findMany({ where: { guildId: input.guildId, idempotencyKey: { in: keys } }, select: { idempotencyKey: true } });
  const doneKeys = new Set(done.map((d) => d.idempotencyKey));
  const fresh = entries.filter((e) => !doneKeys.has(e.key));
  const pending: PendingImport = { guildId: input.guildId, fingerprint, format: parsed.format, entries };
  await ctx.redis.set(ctx.keys.pendingImport(input.importId), JSON.stringify(pending), 'EX', IMPORT_TTL_SECONDS);
  return {
    ok: true,
    importId: input.importId,
    format: parsed.format,
    fingerprint,
    rows: parsed.rows.length,
    toImport: fresh.length,
    points: fresh.reduce((s, e) => s + e.points, 0),
    minutes: fresh.reduce((s, e) => s + e.minutes, 0),
    alreadyImported: entries.length - fresh.length,
    unmatched,
  };
}

/**
 * Applies a prepared import as ledger entries (kind `import`, keys `import:<fingerprint>:<username>`): entries
 * already written are skipped, so confirming twice — or importing the same file again — changes nothing.
 * Only the guild that prepared the import can apply it.
 */
export async function confirmImport(ctx: BotContext, input: { guildId: string; importId: string; actorDiscordId: string }): Promise<{ inserted: number; skipped: number; fingerprint: string }> {
  const raw = await ctx.redis.get(ctx.keys.pendingImport(input.importId));
  if (!raw) throw new UserFacingError('This import has expired or was already handled. Run `/points import` again.');
  const pending = JSON.parse(raw) as PendingImport;
  if (pending.guildId !== input.guildId) throw new UserFacingError('This import belongs to another server.');
  let inserted = 0;
  let skipped = 0;
  for (let i = 0; i < pending.entries.length; i += LEDGER_CHUNK) {
    const chunk: LedgerEntryInput[] = pending.entries.slice(i, i + LEDGER_CHUNK).map((e) => ({
      guildId: input.guildId,
      kickUserId: e.kickUserId,
      username: e.username,
      kind: 'import',
      points: e.points,
      minutes: e.minutes,
      idempotencyKey: e.key,
      reason: `points import ${pending.fingerprint} (line ${e.line})`,
      actorDiscordId: input.actorDiscordId,
    }));
    const result = await appendLedgerEntries(ctx.prisma, chunk);
    inserted += result.inserted;
    skipped += result.skipped;
  }
  await ctx.redis.del(ctx.keys.pendingImport(input.importId));
  return { inserted, skipped, fingerprint: pending.fingerprint };
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

/** Downloads an uploaded attachment (size-checked) as UTF-8 text. */
export async function downloadAttachment(url: string, size: number): Promise<string> {
  if (size > MAX_IMPORT_BYTES) throw new UserFacingError(`That file is ${Math.ceil(size / 1024)} KiB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MiB. Split it into smaller files.`);
  const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  if (!response.ok) throw new UserFacingError(`Could not download the attachment (HTTP ${response.status}). Try uploading it again.`);
  const buffer = Buffer.from(await response.arrayBuffer());
  if (buffer.length > MAX_IMPORT_BYTES) throw new UserFacingError(`That file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB. Split it into smaller files.`);
  return buffer.toString('utf8');
}
