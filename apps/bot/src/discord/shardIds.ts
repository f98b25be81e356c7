/** The highest shard id DISCORD_SHARD_IDS accepts (far above any bot's shard count; it keeps ranges small). */
export const MAX_SHARD_ID = 65_535;

/**
 * Parses DISCORD_SHARD_IDS: comma-separated ids and inclusive ranges, e.g. `0-3` or `0,2,5-7`. Returns the
 * ids sorted and without duplicates, or a message saying what is wrong.
 */
export function parseShardIds(text: string): { ok: true; ids: number[] } | { ok: false; message: string } {
  const ids = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(part);
    if (!match) return { ok: false, message: `"${part}" is not a shard id or range: use ids and ranges such as 0-3 or 0,2,5-7` };
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return { ok: false, message: `the range ${part} runs backwards: write it as ${to}-${from}` };
    if (to > MAX_SHARD_ID) return { ok: false, message: `shard id ${to} is above ${MAX_SHARD_ID}` };
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return { ok: true, ids: [...ids].sort((a, b) => a - b) };
}

/** Writes shard ids back as DISCORD_SHARD_IDS text, folding runs into ranges (`[0,1,2,5]` → `0-2,5`). */
export function formatShardIds(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === (ids[j] as number) + 1) j++;
    parts.push(i === j ? String(ids[i]) : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Discord's routing of a guild to a shard: `(guild_id >> 22) % shard_count`. */
export function shardOfGuild(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
