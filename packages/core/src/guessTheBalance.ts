/**
 * Guess-the-balance: lenient amount parsing for chat guesses (to integer cents) and picking the winner.
 *
 * Amounts are handled as integer cents in a JavaScript `number` (always a safe integer below
 * {@link MAX_AMOUNT_CENTS}), never as floating-point currency values.
 */
import { CoreInputError } from './CoreInputError.ts';

/** Largest accepted amount: 1,000,000,000,000.00 (fits the database's DECIMAL(18,2) and a safe integer). */
export const MAX_AMOUNT_CENTS = 100_000_000_000_000;

/**
 * Result of {@link parseAmount}. A refusal has `reason` (a whole sentence with examples, fit for a moderator) and
 * `problem` (a short phrase that neither quotes the text nor gives examples, e.g. `at most 2 decimals (cents)`), so
 * a reply that adds its own example says it once and never repeats what a viewer typed.
 */
export type ParseAmountResult = { ok: true; cents: number } | { ok: false; reason: string; problem: string };

const CURRENCY = String.raw`(?:[$€£¥₹]|usd|eur|gbp|cad|aud)`;
const LEADING_CURRENCY = new RegExp(`^${CURRENCY}\\s*`, 'i');
const TRAILING_CURRENCY = new RegExp(`\\s*${CURRENCY}$`, 'i');
const GROUP_CHARS = /['\u00a0\u202f ]/;

/** The formats {@link parseAmount} reads, as a hint: `try 1234.50, 1,234.50, 1.234,50 or 1.2k`. */
export const AMOUNT_EXAMPLES = 'try 1234.50, 1,234.50, 1.234,50 or 1.2k';
const EXAMPLES = AMOUNT_EXAMPLES;

function refuse(reason: string, problem: string): ParseAmountResult {
  return { ok: false, reason, problem };
}

/**
 * Parses a chat guess such as `1,234.50`, `1234,50`, `1.2k`, `3m`, `$1,000`, `€250` or ` 12 ` into cents.
 *
 * Rules (where the spec left room):
 * - One currency sign or code (`$ € £ ¥ ₹ USD EUR GBP CAD AUD`) may lead or trail; a `k` (×1,000) or
 *   `m` (×1,000,000) suffix may follow the number (any case).
 * - When both `.` and `,` appear, the last one is the decimal separator (`1.234,50` = `1,234.50`).
 * - A separator that appears several times is a thousands separator (`1,234,567`).
 * - A single separator followed by exactly 3 digits is a thousands separator (`1,234` and `1.234` are 1234),
 *   unless the integer part is `0` or empty (`0.125` is a decimal and then too precise) or a suffix follows
 *   (`1.234k` = 1234). Otherwise it is the decimal separator (`1234,50` = 1234.50, `12.5` = 12.50).
 * - Spaces and `'` may group thousands (`1 234,50`, `1'234.50`); groups after the first must be 3 digits.
 * - At most 2 decimals (after applying a suffix); negative amounts and amounts above
 *   {@link MAX_AMOUNT_CENTS} are refused. Each refusal has a `reason` to show the viewer.
 */
export function parseAmount(text: string): ParseAmountResult {
  let s = text.trim();
  if (s.length === 0) return refuse(`Type an amount — ${EXAMPLES}.`, 'no amount');
  if (s.length > 40) return refuse('That is too long to be an amount.', 'too long to be an amount');
  const shown = s;
  const nonsense = refuse(`"${shown}" is not an amount — ${EXAMPLES}.`, 'not an amount');

  let negative = false;
  const stripSign = (): void => {
    if (/^[-−]/.test(s)) {
      negative = true;
      s = s.replace(/^[-−]\s*/, '');
    }
  };
  stripSign();
  if (LEADING_CURRENCY.test(s)) s = s.replace(LEADING_CURRENCY, '');
  else if (TRAILING_CURRENCY.test(s)) s = s.replace(TRAILING_CURRENCY, '');
  stripSign();

  let exponent = 0;
  const suffix = /\s*([km])$/i.exec(s);
  if (suffix?.[1]) {
    exponent = suffix[1].toLowerCase() === 'k' ? 3 : 6;
    s = s.slice(0, suffix.index);
  }
  if (!/^[\d.,'\u00a0\u202f ]*\d[\d.,'\u00a0\u202f ]*$/.test(s) || /^[' \u00a0\u202f]|[' \u00a0\u202f]$/.test(s)) {
    return nonsense;
  }
  if (negative) return refuse('Negative amounts are not allowed.', 'negative amounts are not allowed');

  const dots = s.split('.').length - 1;
  const commas = s.split(',').length - 1;
  let decimalSep: '.' | ',' | null = null;
  let groupSep: '.' | ',' | null = null;
  if (dots > 0 && commas > 0) {
    decimalSep = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    groupSep = decimalSep === '.' ? ',' : '.';
    if ((decimalSep === '.' ? dots : commas) > 1) {
      return refuse(`"${shown}" has more than one decimal separator — ${EXAMPLES}.`, 'more than one decimal separator');
    }
  } else if (dots + commas > 1) {
    groupSep = dots > 0 ? '.' : ',';
  } else if (dots + commas === 1) {
    const sep = dots > 0 ? '.' : ',';
    const [before = '', after = ''] = s.split(sep);
    const intDigits = before.replace(/\D/g, '');
    const thousands = exponent === 0 && /^\d{3}$/.test(after) && intDigits.length > 0 && !/^0+$/.test(intDigits);
    if (thousands) groupSep = sep;
    else decimalSep = sep;
  }

  const decimalAt = decimalSep === null ? -1 : s.lastIndexOf(decimalSep);
  const intText = decimalAt === -1 ? s : s.slice(0, decimalAt);
  const fracText = decimalAt === -1 ? '' : s.slice(decimalAt + 1);
  if (!/^\d*$/.test(fracText)) return refuse(`"${shown}" has misplaced separators — ${EXAMPLES}.`, 'misplaced separators');

  const groups = intText.split(new RegExp(`[${groupSep === null ? '' : `\\${groupSep}`}'\\u00a0\\u202f ]`));
  const grouped = groups.length > 1;
  for (const [i, group] of groups.entries()) {
    const ok = grouped ? (i === 0 ? /^\d{1,3}$/.test(group) : /^\d{3}$/.test(group)) : /^\d*$/.test(group);
    if (!ok) return refuse(`"${shown}" has misplaced thousands separators — ${EXAMPLES}.`, 'misplaced thousands separators');
  }
  if (GROUP_CHARS.test(fracText)) return nonsense;

  const scale = exponent + 2;
  if (fracText.length > scale) {
    return refuse('Use at most 2 decimals (cents), e.g. 12.34.', 'at most 2 decimals (cents)');
  }
  const digits = `${groups.join('') || '0'}${fracText.padEnd(scale, '0')}`;
  const cents = BigInt(digits);
  if (cents > BigInt(MAX_AMOUNT_CENTS)) {
    return refuse(`That is more than ${formatCents(MAX_AMOUNT_CENTS)} — guess a smaller amount.`, `more than ${formatCents(MAX_AMOUNT_CENTS)}`);
  }
  return { ok: true, cents: Number(cents) };
}

function checkCents(cents: number): void {
  if (!Number.isSafeInteger(cents)) throw new CoreInputError(`Cents must be a safe integer (got ${cents}).`);
}

/** Formats cents for people: `123450` → `1,234.50` (`-` sign kept for negative differences). */
export function formatCents(cents: number): string {
  checkCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${units}.${String(abs % 100).padStart(2, '0')}`;
}

/** The exact decimal string of an amount for the database's DECIMAL(18,2): `123450` → `1234.50`. */
export function centsToDecimalString(cents: number): string {
  checkCents(cents);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Strictly parses a stored decimal (`1234.5`, `1234.50`, `-3`, as `Prisma.Decimal#toString()` gives it) to
 * cents. Unlike {@link parseAmount} it never guesses separators.
 * @throws {CoreInputError} if the string is not a plain decimal with at most 2 decimals.
 */
export function decimalStringToCents(value: string): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!m) throw new CoreInputError(`"${value}" is not a decimal with at most 2 decimals.`);
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  checkCents(cents);
  return m[1] === '-' ? -cents : cents;
}

/** One viewer's guess; `guessedAt` is epoch milliseconds (or any increasing order number). */
export interface BalanceGuess {
  readonly userId: number | string;
  readonly cents: number;
  readonly guessedAt: number;
}

/**
 * The guesses closest to the result: every guess at the minimum distance `|cents − resultCents|` (over or
 * under counts the same), ordered by earliest `guessedAt` (input order breaks exact ties). Empty input → `[]`.
 */
export function closestGuesses<T extends BalanceGuess>(guesses: readonly T[], resultCents: number): T[] {
  let best = Infinity;
  for (const g of guesses) best = Math.min(best, Math.abs(g.cents - resultCents));
  return guesses.filter((g) => Math.abs(g.cents - resultCents) === best).sort((a, b) => a.guessedAt - b.guessedAt);
}

/** The single winner: the closest guess, ties going to the earliest guess; `null` when nobody guessed. */
export function pickWinner<T extends BalanceGuess>(guesses: readonly T[], resultCents: number): T | null {
  return closestGuesses(guesses, resultCents)[0] ?? null;
}
