import { formatPointsAmount } from '@kickcord/core';
import { MAX_BALANCE } from '@kickcord/db';
import { z } from 'zod';
import { formatPoints } from '../../formatPoints.ts';
import { auditAction, defineGuildAction, type GuildActionCall } from '../../guildActions/GuildAction.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { cancelImport, confirmImport, describeTooLarge, IMPORT_FORMAT_NAMES, IMPORT_TTL_SECONDS, MAX_IMPORT_BYTES, prepareImport, type ImportDryRun } from './pointsTransfer.ts';

/** Bad lines listed in a refusal (the rest are counted). */
const SHOWN_BAD_LINES = 20;
/** Longest refusal or summary sent back (a Discord message holds 2,000 characters). */
const MAX_MESSAGE_LENGTH = 2000;

/** A change with its sign (`+5`, `−3`, `0`). */
function signed(n: number): string {
  return n > 0 ? `+${formatPoints(n)}` : n < 0 ? `−${formatPoints(-n)}` : '0';
}

/** A signed change of points with the right noun (`+1 point`, `−3 points`, `0 points`). */
function signedPoints(n: number): string {
  return `${signed(n)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;
}

/** How the file is named in messages: `` `points.csv` ``, or "the pasted text". */
function describeSource(fileName: string | undefined): string {
  const name = (fileName ?? '').replace(/[`\r\n]/gu, '').trim().slice(0, 100);
  return name ? `\`${name}\`` : 'the pasted text';
}

/** How the other mode is named where the person chooses it: the slash command's option, or the page's field. */
function otherMode(call: Pick<GuildActionCall, 'source'>, mode: 'set' | 'add'): string {
  return call.source === 'discord' ? `\`mode:${mode}\`` : `Mode **${mode}**`;
}

/**
 * The dry-run summary `/points import` and the dashboard show: format and rows, what the mode will do and the net
 * change, rows over the largest balance, rows already imported, usernames nobody knows, and the time to confirm.
 */
export function describeDryRun(dry: Extract<ImportDryRun, { ok: true }>, fileName: string | undefined, call: Pick<GuildActionCall, 'source'>): string {
  const lines = [
    `📥 **Dry run** of ${describeSource(fileName)} — format: ${IMPORT_FORMAT_NAMES[dry.format]}, ${dry.rows} rows.`,
    dry.mode === 'set'
      ? `Mode **set**: ${dry.toImport} ${dry.toImport === 1 ? 'balance' : 'balances'} (and active minutes) will **become the file's values** — a net change of ${signedPoints(dry.points)} and ${signed(dry.minutes)} ${Math.abs(dry.minutes) === 1 ? 'minute' : 'minutes'} right now. (${otherMode(call, 'add')} would add them instead.)`
      : `Mode **add**: will **add ${formatPointsAmount(dry.points)}** and ${formatPoints(dry.minutes)} active ${dry.minutes === 1 ? 'minute' : 'minutes'} for ${dry.toImport} ${dry.toImport === 1 ? 'viewer' : 'viewers'} to their current balances. (${otherMode(call, 'set')} would make the balances equal the file instead.)`,
  ];
  if (dry.overLimit.length > 0) {
    const names = dry.overLimit.slice(0, 10).map((o) => `${o.username} (line ${o.line}: ${formatPoints(o.balance)} + ${formatPoints(o.points)})`);
    lines.push(`⚠️ ${dry.overLimit.length} ${dry.overLimit.length === 1 ? 'row' : 'rows'} would pass the maximum balance of ${formatPoints(MAX_BALANCE)} and will be **skipped**: ${names.join(', ')}${dry.overLimit.length > 10 ? ', …' : ''}.`);
  }
  if (dry.alreadyImported > 0) lines.push(`${dry.alreadyImported} rows were already imported from this file and will be skipped.`);
  if (dry.unmatched.length > 0) {
    const names = dry.unmatched.slice(0, 15).map((u) => `${u.username} (line ${u.line})`);
    lines.push(`⚠️ ${dry.unmatched.length} usernames match no Kick viewer kickcord knows and will be **skipped**: ${names.join(', ')}${dry.unmatched.length > 15 ? ', …' : ''}. They can be imported later, once they have chatted.`);
  }
  lines.push(dry.toImport > 0 ? `Confirm within ${IMPORT_TTL_SECONDS / 60} minutes.` : 'Nothing to import: no row would change a balance.');
  return lines.join('\n').slice(0, MAX_MESSAGE_LENGTH);
}

/** The refusal of a file with bad lines: every problem (the first {@link SHOWN_BAD_LINES}), nothing imported. */
export function describeBadFile(errors: readonly { line: number; message: string }[], fileName: string | undefined): string {
  const shown = errors.slice(0, SHOWN_BAD_LINES).map((e) => `• line ${e.line}: ${e.message}`);
  if (errors.length > SHOWN_BAD_LINES) shown.push(`…and ${errors.length - SHOWN_BAD_LINES} more bad lines`);
  return `Nothing was imported — ${describeSource(fileName)} has problems:\n${shown.join('\n')}`.slice(0, MAX_MESSAGE_LENGTH - 10);
}

const checkInput = z.object({
  /** The CSV file's text (UTF-8). */
  csvText: z.string().max(MAX_IMPORT_BYTES, `That file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB. Split it into smaller files.`),
  /** `set`, `add`, or left out / empty for the file's default (`set` for kickcord exports, `add` for other tools). */
  mode: z.enum(['set', 'add', ''], { error: 'Choose the mode: set or add.' }).optional(),
  /** The uploaded file's name, shown in the summary (left out for pasted text). */
  fileName: z.string().max(255).optional(),
});

/** What `points.import.check` answers besides its summary. */
export interface PointsImportCheckData {
  [key: string]: string | number;
  /** Give it to `points.import.confirm` (or `.cancel`) within {@link IMPORT_TTL_SECONDS}. */
  importId: string;
  /** Rows a Confirm would write; 0 = nothing to confirm. */
  toImport: number;
  mode: 'set' | 'add';
  format: string;
  rows: number;
}

/**
 * `/points import` and the dashboard's points import: reads the CSV (kickcord, StreamElements, Streamlabs Chatbot,
 * BotRix or username + points), changes nothing, and keeps the prepared import for {@link IMPORT_TTL_SECONDS} under
 * the request's id (the interaction id, or the dashboard form's one-time id). A file with any bad line is refused,
 * listing the lines.
 */
export const checkPointsImport = defineGuildAction({
  name: 'points.import.check',
  input: checkInput,
  async run(ctx, call, input) {
    const bytes = Buffer.byteLength(input.csvText, 'utf8');
    if (bytes > MAX_IMPORT_BYTES) throw new UserFacingError(describeTooLarge(bytes));
    const mode = input.mode === 'set' || input.mode === 'add' ? input.mode : undefined;
    const dry = await prepareImport(ctx, { guildId: call.guildId, importId: call.requestId, csvText: input.csvText, ...(mode ? { mode } : {}) });
    if (!dry.ok) throw new UserFacingError(describeBadFile(dry.errors, input.fileName));
    const data: PointsImportCheckData = { importId: dry.importId, toImport: dry.toImport, mode: dry.mode, format: dry.format, rows: dry.rows };
    return { message: describeDryRun(dry, input.fileName, call), data };
  },
});

/** A prepared import's id as the check answered it (an interaction id, or `dash-` and a form's one-time id). */
const importIdInput = z.object({ importId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/u, 'This import id is not valid. Upload the file again.') });

/**
 * The Confirm of a dry run: applies the prepared import of this server exactly once (ledger keys from the file's
 * fingerprint, so a second Confirm or the same file again changes nothing) and records an audit entry when rows were
 * written. An import prepared in another server is refused.
 */
export const confirmPointsImport = defineGuildAction({
  name: 'points.import.confirm',
  input: importIdInput,
  async run(ctx, call, input) {
    const out = await confirmImport(ctx, { guildId: call.guildId, importId: input.importId, actorDiscordId: call.actor.id });
    if (out.inserted > 0) await auditAction(ctx, call, 'points.import', { fingerprint: out.fingerprint, mode: out.mode, rows: out.inserted, skipped: out.skipped });
    return {
      message: `✅ Imported ${out.inserted} ${out.inserted === 1 ? 'row' : 'rows'} (mode ${out.mode}: ${out.mode === 'set' ? 'balances set to the file' : 'added to balances'})${out.skipped > 0 ? ` (${out.skipped} already imported, skipped)` : ''}. Import id \`${out.fingerprint}\`.`,
      data: { inserted: out.inserted, skipped: out.skipped, fingerprint: out.fingerprint, mode: out.mode },
    };
  },
});

/** The Cancel of a dry run: drops the prepared import (nothing had changed). */
export const cancelPointsImport = defineGuildAction({
  name: 'points.import.cancel',
  input: importIdInput,
  async run(ctx, call, input) {
    await cancelImport(ctx, { guildId: call.guildId, importId: input.importId });
    return { message: 'Import cancelled — nothing was changed.' };
  },
});

/** The points import's actions. */
export const pointsTransferActions = [checkPointsImport, confirmPointsImport, cancelPointsImport] as const;
