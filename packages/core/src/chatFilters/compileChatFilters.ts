/**
 * The chat filter engine: a guild's rules and banned terms compiled once into one object that checks a
 * message in microseconds (plain messages take an ASCII fast path). Regular expressions from moderators run
 * on RE2 (re2js: linear time, no backtracking), never on the JavaScript engine.
 */
import { RE2JS } from 're2js';
import { meetsLevel, type UserLevel } from '../userLevel.ts';
import { CHAT_FILTER_KINDS, type ChatFilterConfig, type ChatFilterKind, type FilterRule } from './filterConfig.ts';
import { findLinkHosts, isAllowedHost } from './findLinks.ts';
import { EMOTE_PATTERN, foldText, foldedVariants, isAscii, lettersOnly } from './foldText.ts';
import { unicodeAbuseCheck } from './unicodeAbuse.ts';

/** How a banned term matches: whole words/phrases, anywhere (even inside words), or an RE2 regular expression. */
export type BannedTermMode = 'word' | 'substring' | 'regex';
/** One banned term of the `words` filter (as stored: see {@link prepareBannedTerm}). */
export interface BannedTerm {
  readonly pattern: string;
  readonly mode: BannedTermMode;
}

/** Limits on banned terms. */
export const BANNED_TERM_LIMITS = { maxLength: 200, maxTerms: 500, maxRegexTerms: 50 } as const;

/** A chat message as the filters see it. */
export interface ChatFilterMessage {
  readonly content: string;
  readonly senderLevel: UserLevel;
}

/** A filter that fired: which, and why in words that never quote the message. */
export interface ChatFilterHit {
  readonly filter: ChatFilterKind;
  readonly reason: string;
  /** For moderators only (mod log, dry run): the banned term or link host that matched. */
  readonly detail?: string | undefined;
  /** Links: the hosts that are not allowed (a `!permit` lets one message through). */
  readonly hosts?: readonly string[] | undefined;
}

/** A guild's filters, compiled. */
export interface CompiledChatFilters {
  readonly config: ChatFilterConfig;
  /** False when every filter is off: the chat path stops here. */
  readonly active: boolean;
  /** The rule of one filter. */
  rule(kind: ChatFilterKind): FilterRule;
  /** True when `kind` is on and a sender at `level` is not exempt from it by level. */
  applies(kind: ChatFilterKind, level: UserLevel): boolean;
  /** Every stateless filter that fires for `message`, in check order (repeats need state: see {@link fingerprint}). */
  check(message: ChatFilterMessage): ChatFilterHit[];
  /** What makes two messages "the same" for the repeats filter (folded, letters and digits, emotes). */
  fingerprint(content: string): string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Checks a term a moderator typed and returns what to store: word and substring terms folded (lower case,
 * look-alikes replaced — what they are matched against), a regex compiled by RE2 to prove it is valid.
 */
export function prepareBannedTerm(pattern: string, mode: BannedTermMode): { ok: true; term: BannedTerm } | { ok: false; problem: string } {
  const trimmed = pattern.trim();
  if (!trimmed) return { ok: false, problem: 'The term is empty.' };
  if (trimmed.length > BANNED_TERM_LIMITS.maxLength) return { ok: false, problem: `A term has at most ${BANNED_TERM_LIMITS.maxLength} characters.` };
  if (mode === 'regex') {
    try {
      RE2JS.compile(trimmed, RE2JS.CASE_INSENSITIVE);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { ok: false, problem: `That regular expression is not valid RE2 syntax (${why.slice(0, 120)}). RE2 has no look-around or back-references.` };
    }
    return { ok: true, term: { pattern: trimmed, mode } };
  }
  const folded = mode === 'substring' ? lettersOnly(foldText(trimmed)) : foldText(trimmed);
  if (folded.length < 2) return { ok: false, problem: 'A word or phrase needs at least 2 letters or digits.' };
  return { ok: true, term: { pattern: folded, mode } };
}

/** Compiles the banned terms into matchers: one regex for all words, one for all substrings, RE2 for patterns. */
function compileTerms(terms: readonly BannedTerm[]): (folded: string) => string | undefined {
  const words = terms.filter((t) => t.mode === 'word').map((t) => t.pattern);
  const substrings = terms.filter((t) => t.mode === 'substring').map((t) => t.pattern);
  const patterns = terms
    .filter((t) => t.mode === 'regex')
    .slice(0, BANNED_TERM_LIMITS.maxRegexTerms)
    .flatMap((t) => {
      try {
        return [{ source: t.pattern, re: RE2JS.compile(t.pattern, RE2JS.CASE_INSENSITIVE) }];
      } catch {
        return []; // refused when added; one stored before a syntax change must not break the rest
      }
    });
  const byLength = (a: string, b: string) => b.length - a.length;
  // Literal alternations (escaped, no quantifiers) match in linear time on the JavaScript engine too.
  const wordRe = words.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...new Set(words)].sort(byLength).map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'u') : null;
  const substringRe = substrings.length ? new RegExp([...new Set(substrings)].sort(byLength).map(escapeRegExp).join('|'), 'u') : null;
  if (!wordRe && !substringRe && patterns.length === 0) return () => undefined;
  return (folded) => {
    const readings = [folded, ...foldedVariants(folded)];
    for (const text of readings) {
      const word = wordRe?.exec(text);
      if (word) return word[0];
      const sub = substringRe?.exec(lettersOnly(text));
      if (sub) return sub[0];
      for (const p of patterns) if (p.re.matcher(text).find()) return p.source;
    }
    return undefined;
  };
}

/** Capital letters in percent of all letters, and the number of letters (cased letters only). */
function capsShare(text: string): { letters: number; percent: number } {
  let letters = 0;
  let upper = 0;
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lower === up) continue;
    letters++;
    if (ch === up) upper++;
  }
  return { letters, percent: letters ? (upper * 100) / letters : 0 };
}

// Escaped single code points on purpose (joiners, selectors): no character is meant to combine here.
// eslint-disable-next-line no-misleading-character-class
const SYMBOL = /[^\p{L}\p{N}\p{M}\s\p{Extended_Pictographic}\u200D\uFE0F]/gu;
const EMOTE_TEST = /\[emote:/;

/** Compiles a guild's rules and banned terms (once; reuse the result until they change). */
export function compileChatFilters(config: ChatFilterConfig, terms: readonly BannedTerm[]): CompiledChatFilters {
  const rules = config.rules;
  const on = (kind: ChatFilterKind) => rules[kind].enabled;
  const matchTerm = compileTerms(terms);
  const unicode = unicodeAbuseCheck(rules.unicode.limit);
  const allowed = config.allowedDomains.map((d) => d.toLowerCase());
  const active = CHAT_FILTER_KINDS.some(on);
  const applies = (kind: ChatFilterKind, level: UserLevel) => on(kind) && level !== 'broadcaster' && !meetsLevel(level, rules[kind].exemptLevel);

  return {
    config,
    active,
    rule: (kind) => rules[kind],
    applies,
    fingerprint(content) {
      const emotes = content.match(EMOTE_PATTERN)?.join('') ?? '';
      const text = lettersOnly(foldText(content.replace(EMOTE_PATTERN, ' ')));
      return `${text}|${emotes}`;
    },
    check({ content, senderLevel }) {
      const hits: ChatFilterHit[] = [];
      if (!active || senderLevel === 'broadcaster') return hits;
      const hasEmotes = EMOTE_TEST.test(content);
      const text = hasEmotes ? content.replace(EMOTE_PATTERN, ' ') : content;
      if (applies('words', senderLevel)) {
        const term = matchTerm(foldText(text));
        if (term !== undefined) hits.push({ filter: 'words', reason: 'a banned word or phrase', detail: term });
      }
      if (applies('links', senderLevel)) {
        const hosts = findLinkHosts(text).filter((h) => !isAllowedHost(h, allowed));
        if (hosts.length) hits.push({ filter: 'links', reason: 'a link', detail: [...new Set(hosts)].join(', '), hosts });
      }
      if (applies('unicode', senderLevel) && !isAscii(content)) {
        const why = unicode(content);
        if (why) hits.push({ filter: 'unicode', reason: why });
      }
      if (applies('length', senderLevel)) {
        const length = [...content].length;
        if (length > rules.length.limit) hits.push({ filter: 'length', reason: 'a message that is too long', detail: `${length} characters` });
      }
      if (applies('emotes', senderLevel) && hasEmotes) {
        const count = content.match(EMOTE_PATTERN)?.length ?? 0;
        if (count > rules.emotes.limit) hits.push({ filter: 'emotes', reason: 'too many emotes', detail: `${count} emotes` });
      }
      if (applies('caps', senderLevel)) {
        const caps = capsShare(text);
        if (caps.letters >= rules.caps.minLength && caps.percent > rules.caps.limit) hits.push({ filter: 'caps', reason: 'too many capital letters', detail: `${Math.round(caps.percent)}% capitals` });
      }
      if (applies('symbols', senderLevel)) {
        const visible = text.replace(/\s+/g, '');
        const length = [...visible].length;
        if (length >= rules.symbols.minLength) {
          const symbols = visible.match(SYMBOL)?.length ?? 0;
          const percent = (symbols * 100) / length;
          if (percent > rules.symbols.limit) hits.push({ filter: 'symbols', reason: 'too many symbols', detail: `${Math.round(percent)}% symbols` });
        }
      }
      return hits;
    },
  };
}

/** Excerpt of a message for moderators: at most `max` characters, line breaks flattened. */
export function messageExcerpt(content: string, max = 200): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}
