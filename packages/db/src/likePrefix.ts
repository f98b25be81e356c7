/**
 * A text for Prisma's `startsWith` (SQL `LIKE 'text%'`) that matches the text literally: the wildcards `%` and `_`
 * (`_` is common in Kick usernames) and the escape `\` are escaped, so `a_b` finds `a_b…`, never `axb…`.
 */
export function likePrefix(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
