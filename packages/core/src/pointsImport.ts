/**
 * Points import/export rules: reading the CSV exports of kickcord, StreamElements, Streamlabs Chatbot and
 * BotRix; writing kickcord's own format; and the fingerprint that makes re-importing a file a no-op.
 *
 * Columns are found by header name (see {@link POINTS_CSV_COLUMNS}); the reported format is decided by:
 * | format | recognised by | example header |
 * |---|---|---|
 * | `kickcord` | a `kick_user_id` column | `kick_user_id,username,points,active_minutes` |
 * | `streamlabs-chatbot` | an hours column, or `Name` with `Group`/`Rank` | `Name,Group,Points,Hours` (hours → minutes, rounded) |
 * | `streamelements` | an `alltime` column (all-time points are ignored) | `username,points,alltime[,watchtime]` |
 * | `botrix` | a `watchtime` column (minutes) | `user,points,watchtime` |
 * | `generic` | anything else with a username and a points column | `username,points` (StreamElements/BotRix basic) |
 * Watchtime/minutes columns are read as minutes. CSV itself is read by csv-parse (`csvRecords.ts`) and written
 * by csv-stringify.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { type CsvLineError, parseCsvRecords } from './csvRecords.ts';
import { MAX_INT32 } from './watchtime/loyaltySettings.ts';

/** Which tool's layout a file was recognised as (by its header). */
export type PointsCsvFormat = 'kickcord' | 'streamelements' | 'streamlabs-chatbot' | 'botrix' | 'generic';

/** Human names of {@link PointsCsvFormat}. */
export const POINTS_CSV_FORMAT_NAMES: Readonly<Record<PointsCsvFormat, string>> = {
  kickcord: 'kickcord export',
  streamelements: 'StreamElements',
  'streamlabs-chatbot': 'Streamlabs Chatbot',
  botrix: 'BotRix',
  generic: 'generic (username + points)',
};

/** kickcord's export header, in order. */
export const KICKCORD_CSV_HEADER = ['kick_user_id', 'username', 'points', 'active_minutes'] as const;

/** Largest points (and minutes) value one row may carry (Postgres int). */
export const MAX_IMPORT_POINTS = MAX_INT32;

/** Largest file accepted, in rows (header excluded). */
export const MAX_IMPORT_ROWS = 100_000;

/**
 * Header names recognised for each column (compared lower-cased with spaces, `-` and `_` removed).
 * Minutes columns hold minutes; hours columns hold (possibly fractional) hours.
 */
export const POINTS_CSV_COLUMNS = {
  kickUserId: ['kickuserid', 'kickid'],
  username: ['username', 'user', 'name', 'viewer', 'kickusername'],
  points: ['points', 'currentpoints', 'current', 'balance'],
  minutes: ['activeminutes', 'minutes', 'watchtime', 'watchtimeminutes', 'watchminutes'],
  hours: ['hours', 'watchhours', 'watchtimehours'],
} as const;

/** One valid row of an import file. */
export interface PointsImportRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  /** Kick user id when the file has one (kickcord format), else null: the app matches by username. */
  kickUserId: number | null;
  username: string;
  points: number;
  activeMinutes: number;
}

/** Result of {@link parsePointsCsv}: rows only when the whole file is valid. */
export type ParsePointsCsvResult =
  | { ok: true; format: PointsCsvFormat; rows: PointsImportRow[] }
  | { ok: false; format: PointsCsvFormat | null; errors: CsvLineError[] };

const headerKey = (h: string): string => h.trim().toLowerCase().replace(/[\s_\-().]/gu, '');

function findColumn(header: string[], names: readonly string[]): number {
  return header.findIndex((h) => names.includes(h));
}

function detectFormat(header: string[], cols: { kickUserId: number; minutes: number; hours: number }): PointsCsvFormat {
  if (header.includes('kickuserid')) return 'kickcord';
  if (cols.hours >= 0 || (header.includes('name') && (header.includes('group') || header.includes('rank')))) return 'streamlabs-chatbot';
  if (header.includes('alltime') || header.includes('alltimepoints')) return 'streamelements';
  if (cols.minutes >= 0 && header.includes('watchtime')) return 'botrix';
  return 'generic';
}

/** Parses a non-negative whole number (`1234`, `1234.0`); thousands separators are not accepted inside CSV fields. */
function parseWhole(raw: string): number | null {
  const s = raw.trim();
  if (!/^\d+(?:\.0+)?$/u.test(s)) return null;
  const n = Number(s.split('.')[0]);
  return Number.isSafeInteger(n) ? n : null;
}

/** Why a points field was refused, as specifically as possible. */
function pointsProblem(raw: string): string {
  if (raw === '') return 'missing points';
  if (/^[-−]\s*\d/u.test(raw)) return `points "${raw}" can't be negative`;
  if (/^\d+$/u.test(raw)) return `points "${raw}" is above the limit of ${MAX_IMPORT_POINTS}`;
  return `points "${raw}" must be a whole number from 0 to ${MAX_IMPORT_POINTS}`;
}

/**
 * Reads a points CSV in kickcord's format or the export layouts of StreamElements, Streamlabs Chatbot and
 * BotRix. The first line must be a header; columns are found by name (see {@link POINTS_CSV_COLUMNS}), extra
 * columns are ignored, `,` `;` or tab delimit, a UTF-8 BOM is skipped. Every row must have a username
 * (`@` stripped; letters, digits, `_`, `-`, `.`), whole points 0–2,147,483,647, and whole minutes (or hours,
 * converted and rounded) when the file has them; a username may appear once. When any row is bad the result
 * lists every bad line and no rows — a malformed file is never half-applied.
 */
export function parsePointsCsv(text: string): ParsePointsCsvResult {
  const parsed = parseCsvRecords(text);
  if (!parsed.ok) return { ok: false, format: null, errors: [parsed.error] };
  const { records, delimiter } = parsed;
  const head = records[0];
  if (!head) return { ok: false, format: null, errors: [{ line: 1, message: 'The file is empty: expected a header line like "username,points".' }] };
  const header = head.fields.map(headerKey);
  const cols = {
    kickUserId: findColumn(header, POINTS_CSV_COLUMNS.kickUserId),
    username: findColumn(header, POINTS_CSV_COLUMNS.username),
    points: findColumn(header, POINTS_CSV_COLUMNS.points),
    minutes: findColumn(header, POINTS_CSV_COLUMNS.minutes),
    hours: findColumn(header, POINTS_CSV_COLUMNS.hours),
  };
  if (cols.username < 0 || cols.points < 0) {
    return {
      ok: false,
      format: null,
      errors: [{ line: head.line, message: `Header "${head.fields.join(delimiter)}" has no ${cols.username < 0 ? 'username' : 'points'} column. Expected e.g. "${KICKCORD_CSV_HEADER.join(',')}" or "username,points".` }],
    };
  }
  const format = detectFormat(header, cols);
  const body = records.slice(1);
  if (body.length === 0) return { ok: false, format, errors: [{ line: head.line, message: 'The file has a header but no rows.' }] };
  if (body.length > MAX_IMPORT_ROWS) return { ok: false, format, errors: [{ line: head.line, message: `The file has ${body.length} rows; at most ${MAX_IMPORT_ROWS} can be imported at once — split it.` }] };

  const rows: PointsImportRow[] = [];
  const errors: CsvLineError[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of body) {
    const problems: string[] = [];
    const get = (index: number): string => (index >= 0 ? (fields[index] ?? '').trim() : '');
    const username = unneutraliseCsvCell(get(cols.username)).replace(/^@/u, '');
    if (!/^[A-Za-z0-9_.-]{1,64}$/u.test(username)) problems.push(username === '' ? 'missing username' : `"${username}" is not a Kick username`);
    let kickUserId: number | null = null;
    if (cols.kickUserId >= 0 && get(cols.kickUserId) !== '') {
      const id = parseWhole(get(cols.kickUserId));
      if (id === null || id < 1 || id > MAX_IMPORT_POINTS) problems.push(`kick_user_id "${get(cols.kickUserId)}" is not a Kick user id`);
      else kickUserId = id;
    }
    const points = parseWhole(get(cols.points));
    if (points === null || points > MAX_IMPORT_POINTS) problems.push(pointsProblem(get(cols.points)));
    let activeMinutes = 0;
    if (cols.minutes >= 0 && get(cols.minutes) !== '') {
      const m = parseWhole(get(cols.minutes));
      if (m === null || m > MAX_IMPORT_POINTS) problems.push(`minutes "${get(cols.minutes)}" must be a whole number ≥ 0`);
      else activeMinutes = m;
    } else if (cols.hours >= 0 && get(cols.hours) !== '') {
      const raw = get(cols.hours).replace(',', '.');
      const h = /^\d+(?:\.\d+)?$/u.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(h) || h * 60 > MAX_IMPORT_POINTS) problems.push(`hours "${get(cols.hours)}" must be a number ≥ 0`);
      else activeMinutes = Math.round(h * 60);
    }
    const key = username.toLowerCase();
    const earlier = seen.get(key);
    if (username !== '' && earlier !== undefined) problems.push(`"${username}" already appears on line ${earlier}`);
    else if (username !== '') seen.set(key, line);
    if (problems.length > 0) errors.push({ line, message: problems.join('; ') });
    else rows.push({ line, kickUserId, username, points: points ?? 0, activeMinutes });
  }
  if (errors.length > 0) return { ok: false, format, errors };
  return { ok: true, format, rows };
}

/** One viewer in an export. */
export interface PointsExportRow {
  kickUserId: number;
  username: string;
  points: number;
  activeMinutes: number;
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/u;

/**
 * Makes a text cell safe to open in a spreadsheet, as OWASP's "CSV Injection" page advises: a cell that starts
 * with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (and is quoted when written), so it is shown as text and
 * never evaluated. {@link parsePointsCsv} drops that `'` again, so an export still imports back unchanged.
 */
export function neutraliseCsvCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes {@link neutraliseCsvCell}: a `'` followed by a formula character is dropped. */
function unneutraliseCsvCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}

/**
 * Writes kickcord's export CSV (header {@link KICKCORD_CSV_HEADER}, CRLF line ends as RFC 4180 says); it imports
 * back as is. Usernames that a spreadsheet would read as a formula are neutralised ({@link neutraliseCsvCell}).
 */
export function toPointsCsv(rows: readonly PointsExportRow[]): string {
  return stringify(
    rows.map((r) => [r.kickUserId, neutraliseCsvCell(r.username), r.points, r.activeMinutes]),
    // csv-stringify quotes the record delimiter but not a lone CR or LF; quote those too, and neutralised cells.
    { header: true, columns: [...KICKCORD_CSV_HEADER], record_delimiter: '\r\n', quoted_match: /[\r\n]|^'/u },
  );
}

/**
 * A short fingerprint of an import's content (16 hex chars): the same rows give the same fingerprint
 * whatever their order, spelling of the header or line ends, so ledger keys `import:<fingerprint>:<user>`
 * make importing the same file twice a no-op, while a file with different numbers imports anew.
 */
export function importFingerprint(rows: readonly Pick<PointsImportRow, 'kickUserId' | 'username' | 'points' | 'activeMinutes'>[]): string {
  const canonical = rows
    .map((r) => `${r.kickUserId ?? ''}|${r.username.toLowerCase()}|${r.points}|${r.activeMinutes}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/**
 * How an import applies a file: `set` makes each balance (and active minutes) equal the file's value — what
 * re-importing an export means; `add` adds the file's values to current balances — what moving from another bot
 * into a server that already has points means.
 */
export type PointsImportMode = 'set' | 'add';

/** The mode an import uses when none is chosen: `set` for kickcord's own export (it restores), `add` for other tools. */
export function defaultImportMode(format: PointsCsvFormat): PointsImportMode {
  return format === 'kickcord' ? 'set' : 'add';
}

/**
 * The ledger idempotency key of one imported row: `import:<fingerprint>:<lower-cased username>` when adding,
 * `import:<fingerprint>:set:<lower-cased username>` when setting (usernames hold no `:`), so a file applied in
 * one mode does not count as applied in the other.
 */
export function importKey(fingerprint: string, row: Pick<PointsImportRow, 'username'>, mode: PointsImportMode = 'add'): string {
  return `import:${fingerprint}:${mode === 'set' ? 'set:' : ''}${row.username.toLowerCase()}`;
}
