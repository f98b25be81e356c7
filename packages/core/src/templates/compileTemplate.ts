/**
 * The template language for custom command responses, timers and Discord announcements.
 *
 * Syntax:
 * - `{name}` inserts a variable (names are case-insensitive; spaces inside the braces are ignored).
 * - `{random:a|b|c}` picks one option uniformly (options are trimmed; they cannot contain `{`, `}` or `|`).
 * - `{{` and `}}` are a literal `{` and `}`; a lone `}` is also kept literally.
 *
 * Compile once with {@link compileTemplate} (which reports every mistake with its position), store or cache
 * the result, and render it with `renderTemplate` (renderTemplate.ts). Positions are 0-based UTF-16 indexes into the source,
 * like JavaScript string indexes (and `JSON.parse` error positions).
 */
import { ANNOUNCEMENT_VARIABLES, CHAT_COMMAND_VARIABLES } from './variables.ts';

/** Longest template source accepted by default, in UTF-16 code units (Kick chat's message limit). */
export const MAX_TEMPLATE_LENGTH = 500;

/** One piece of a compiled template. */
export type TemplatePart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'variable'; readonly name: string }
  | { readonly type: 'random'; readonly options: readonly string[] };

/** A checked template, ready for {@link renderTemplate}. Plain data: safe to cache or serialize as JSON. */
export interface CompiledTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  /** Distinct variable names used (lower-case, without `random`), in order of first use. */
  readonly variables: readonly string[];
}

/** A mistake in a template; `position` is the 0-based index of the offending `{` (or of the overflow). */
export interface TemplateError {
  readonly position: number;
  readonly message: string;
}

/** Result of {@link compileTemplate}. */
export type CompileTemplateResult =
  | { ok: true; template: CompiledTemplate }
  | { ok: false; errors: TemplateError[] };

/** Options for {@link compileTemplate}. */
export interface CompileTemplateOptions {
  /** Variable names this template may use, e.g. {@link CHAT_COMMAND_VARIABLES}. Include `random` to allow `{random:…}`. */
  readonly allowed: readonly string[];
  /** Longest accepted source (default {@link MAX_TEMPLATE_LENGTH}; Discord announcements may pass 2000). */
  readonly maxLength?: number;
}

const KNOWN_VARIABLES: ReadonlySet<string> = new Set([...CHAT_COMMAND_VARIABLES, ...ANNOUNCEMENT_VARIABLES]);

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = v;
    }
  }
  return at(a.length, b.length);
}

function closestName(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= 2 && bestDistance < name.length ? best : undefined;
}

function listVariables(allowed: readonly string[]): string {
  return allowed.map((v) => (v === 'random' ? '{random:a|b}' : `{${v}}`)).join(', ');
}

/**
 * Checks and compiles a template against the variables allowed in its context.
 *
 * Every error is reported (not just the first), sorted by position, with one of these messages:
 * - `Unknown variable {poinst} at 12 — did you mean {points}?` (or `— available: {user}, …` when nothing is close)
 * - `{viewers} at 5 is not available here — available: …` (a real variable from another context)
 * - `Unclosed { at 3 — close it with } or write {{ for a literal brace.`
 * - `Empty variable {} at 0 — put a name inside, e.g. {user}, or write {{}} for literal braces.`
 * - `Empty random list at 7 — write {random:a|b|c}.` / `{random} at 7 needs options — write {random:a|b|c}.`
 * - `Template is 523 characters long — the limit is 500.` (position = the limit)
 */
export function compileTemplate(source: string, options: CompileTemplateOptions): CompileTemplateResult {
  const allowed = options.allowed.map((v) => v.toLowerCase());
  const allowedSet = new Set(allowed);
  const maxLength = options.maxLength ?? MAX_TEMPLATE_LENGTH;
  const errors: TemplateError[] = [];
  const parts: TemplatePart[] = [];
  const variables: string[] = [];
  let text = '';
  const flushText = (): void => {
    if (text.length > 0) parts.push({ type: 'text', text });
    text = '';
  };

  if (source.length > maxLength) {
    errors.push({ position: maxLength, message: `Template is ${source.length} characters long — the limit is ${maxLength}.` });
  }

  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '}') {
      text += '}';
      i += source[i + 1] === '}' ? 2 : 1;
      continue;
    }
    if (c !== '{') {
      text += c;
      i += 1;
      continue;
    }
    if (source[i + 1] === '{') {
      text += '{';
      i += 2;
      continue;
    }
    let j = i + 1;
    while (j < source.length && source[j] !== '}' && source[j] !== '{') j++;
    if (j >= source.length || source[j] === '{') {
      errors.push({ position: i, message: `Unclosed { at ${i} — close it with } or write {{ for a literal brace.` });
      text += '{';
      i += 1;
      continue;
    }
    const inner = source.slice(i + 1, j).trim();
    const position = i;
    i = j + 1;
    if (inner.length === 0) {
      errors.push({ position, message: `Empty variable {} at ${position} — put a name inside, e.g. {user}, or write {{}} for literal braces.` });
      continue;
    }
    const randomMatch = /^random\s*:([\s\S]*)$/i.exec(inner);
    if (randomMatch) {
      const opts = (randomMatch[1] ?? '').split('|').map((o) => o.trim());
      if (!allowedSet.has('random')) {
        errors.push({ position, message: `{random:…} at ${position} is not available here — available: ${listVariables(allowed)}.` });
      } else if (opts.every((o) => o.length === 0)) {
        errors.push({ position, message: `Empty random list at ${position} — write {random:a|b|c}.` });
      } else {
        flushText();
        parts.push({ type: 'random', options: opts });
      }
      continue;
    }
    const name = inner.toLowerCase();
    if (name === 'random') {
      errors.push({ position, message: `{random} at ${position} needs options — write {random:a|b|c}.` });
      continue;
    }
    if (allowedSet.has(name)) {
      flushText();
      parts.push({ type: 'variable', name });
      if (!variables.includes(name)) variables.push(name);
      continue;
    }
    if (KNOWN_VARIABLES.has(name)) {
      errors.push({ position, message: `{${inner}} at ${position} is not available here — available: ${listVariables(allowed)}.` });
      continue;
    }
    const suggestion = closestName(name, allowed.filter((v) => v !== 'random'));
    errors.push({
      position,
      message: suggestion
        ? `Unknown variable {${inner}} at ${position} — did you mean {${suggestion}}?`
        : `Unknown variable {${inner}} at ${position} — available: ${listVariables(allowed)}.`,
    });
  }
  flushText();

  if (errors.length > 0) {
    errors.sort((a, b) => a.position - b.position);
    return { ok: false, errors };
  }
  return { ok: true, template: { source, parts, variables } };
}
