/** `@name` list for chat, e.g. `@a, @b and @c`. */
export function mentionList(usernames: readonly string[]): string {
  const at = usernames.map((u) => `@${u}`);
  if (at.length <= 1) return at.join('');
  return `${at.slice(0, -1).join(', ')} and ${at[at.length - 1] ?? ''}`;
}
