/**
 * Folding chat text so tricks do not hide words: compatibility forms (fullwidth, 𝓯𝓪𝓷𝓬𝔂 letters), accents and
 * zalgo marks, invisible characters, Cyrillic and Greek look-alikes, and common digit/symbol substitutions
 * (`$c4m` → `scam`) all become plain lower-case Latin.
 */

/** Kick emotes as they appear in message content: `[emote:123:name]`. */
export const EMOTE_PATTERN = /\[emote:\d+:[^\]\s]{0,100}\]/g;

/** Characters that render as nothing (or as a blank) and are used to split words invisibly. */
// Escaped single code points on purpose (joiners, selectors): no character is meant to combine here.
// eslint-disable-next-line no-misleading-character-class
export const INVISIBLE_CHARACTERS = /[\u00AD\u034F\u115F\u1160\u180E\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0]/gu;

/** Cyrillic and Greek letters that look like Latin ones (lower case; the text is lower-cased first). */
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', ɡ: 'g', һ: 'h', ӏ: 'l', ԛ: 'q', ԝ: 'w', ү: 'y',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', γ: 'y', ω: 'w',
};
const LOOKALIKE_PATTERN = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'gu');

/** Digits and symbols standing in for letters. */
const SUBSTITUTES: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };
const SUBSTITUTE_PATTERN = /[013457@$]/g;

// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\x00-\x7F]*$/;
const MARKS = /\p{M}/gu;

/** True when `text` is plain ASCII (most chat): folding then skips the Unicode work. */
export function isAscii(text: string): boolean {
  return ASCII_ONLY.test(text);
}

/**
 * Folds `text` for matching: lower case, compatibility forms and accents removed, invisible characters
 * dropped, look-alike letters and `0 1 3 4 5 7 @ $` read as letters, runs of white space as one space.
 */
export function foldText(text: string): string {
  let out = text;
  if (!isAscii(out)) {
    out = out.normalize('NFKC').replace(INVISIBLE_CHARACTERS, '').normalize('NFD').replace(MARKS, '').toLowerCase().replace(LOOKALIKE_PATTERN, (c) => LOOKALIKES[c] ?? c);
  } else {
    out = out.toLowerCase();
  }
  return out.replace(SUBSTITUTE_PATTERN, (c) => SUBSTITUTES[c] ?? c).replace(/\s+/g, ' ').trim();
}

const SPACED_LETTERS = /(?<![\p{L}\p{N}])\p{L}(?:[ .\-_*+~|]\p{L}){2,}(?![\p{L}\p{N}])/gu;
const LETTER_RUNS = /(\p{L})\1{2,}/gu;

/**
 * Other readings of folded text that hide words: letters spaced out (`s c a m`, `s.c.a.m` → `scam`) and
 * letters held down (`scaaaam` → `scam`). Empty when there is nothing of the kind (most messages).
 */
export function foldedVariants(folded: string): string[] {
  const variants: string[] = [];
  const joined = folded.replace(SPACED_LETTERS, (m) => m.replace(/[^\p{L}]/gu, ''));
  if (joined !== folded) variants.push(joined);
  for (const base of [folded, ...variants]) {
    const squeezed = base.replace(LETTER_RUNS, '$1');
    if (squeezed !== base) variants.push(squeezed);
  }
  return variants;
}

/** Folded text with everything but letters and digits removed (for substring terms: `s-c-a-m` still contains `scam`). */
export function lettersOnly(folded: string): string {
  return folded.replace(/[^\p{L}\p{N}]/gu, '');
}
