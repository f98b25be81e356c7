/**
 * Unicode abuse in chat: zalgo (stacks of combining marks), invisible characters splitting words, text
 * direction overrides, and words that mix Latin letters with Cyrillic or Greek look-alikes.
 * Emoji sequences (zero-width joiners between emoji, variation selectors, keycaps) are not abuse.
 */
import { isAscii } from './foldText.ts';

// Escaped single code points on purpose (joiners, selectors): no character is meant to combine here.
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\u00AD\u034F\u115F\u1160\u180E\u200B\u200C\u200E\u200F\u2060-\u2064\uFEFF\u3164\uFFA0]/u;
const DIRECTION_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/u;
const JOINER_IN_WORD = /[\p{L}\p{N}]\u200D|\u200D[\p{L}\p{N}]/u;
const LATIN = /\p{Script=Latin}/u;
const LOOKALIKE_SCRIPT = /[\p{Script=Cyrillic}\p{Script=Greek}]/u;
const WORDS = /\p{L}{2,}/gu;

/**
 * A check that tells why a message is Unicode abuse, or null; `maxMarks` is the most combining marks allowed
 * on one character (the pattern is built once).
 */
export function unicodeAbuseCheck(maxMarks: number): (text: string) => string | null {
  // Variation selectors and the keycap mark belong to emoji.
  const stack = new RegExp(`(?:(?![\\uFE0E\\uFE0F\\u20E3])\\p{M}){${Math.max(1, maxMarks) + 1},}`, 'u');
  return (text) => unicodeAbuse(text, stack);
}

function unicodeAbuse(text: string, stack: RegExp): string | null {
  if (isAscii(text)) return null;
  const nfc = text.normalize('NFC');
  // Counted decomposed, so precomposed letters hide no marks (Vietnamese needs at most 2 on one letter).
  if (stack.test(text.normalize('NFD'))) return 'stacked accents (zalgo text)';
  if (INVISIBLE.test(nfc) || JOINER_IN_WORD.test(nfc)) return 'invisible characters';
  if (DIRECTION_OVERRIDE.test(nfc)) return 'text direction overrides';
  for (const [word] of nfc.matchAll(WORDS)) {
    if (LATIN.test(word) && LOOKALIKE_SCRIPT.test(word)) return 'look-alike letters from another alphabet';
  }
  return null;
}
