/** Fitting a reply into a chat platform's message length limit. */

/**
 * Shortens `text` to at most `max` UTF-16 code units (for Kick chat: `KICK_CHAT_MAX_LENGTH` from
 * `@kickcord/kick`, which this leaf package does not import), cutting at the last word
 * boundary when one exists in the second half of the allowed length, and appending `…`. Never splits a
 * surrogate pair (emoji). Text that already fits is returned unchanged.
 */
export function fitChatMessage(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut -= 1;
  let head = text.slice(0, cut);
  const next = text[cut] ?? '';
  if (!/\s/u.test(next)) {
    const boundary = head.search(/\s\S*$/u);
    if (boundary >= Math.floor(max / 2)) head = head.slice(0, boundary);
  }
  return `${head.trimEnd()}…`;
}
