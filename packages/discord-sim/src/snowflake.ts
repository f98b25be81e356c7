/** Discord's epoch (2015-01-01T00:00:00.000Z) in milliseconds. */
const DISCORD_EPOCH = 1_420_070_400_000n;

let increment = 0n;
let lastMs = 0n;

/** A real-looking, timestamp-based Discord snowflake, strictly increasing within this process. */
export function snowflake(): string {
  let ms = BigInt(Date.now());
  if (ms <= lastMs) {
    ms = lastMs;
    increment += 1n;
    if (increment > 0xfffn) {
      increment = 0n;
      ms += 1n;
    }
  } else {
    increment = 0n;
  }
  lastMs = ms;
  // worker 1, process 1, like a real Discord id
  return (((ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | increment).toString();
}

/** The millisecond timestamp embedded in a snowflake. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** Millisecond cursor of {@link spreadSnowflakes}; starts well in the past so ids never collide with {@link snowflake}'s. */
let spreadCursorMs: bigint | null = null;

/**
 * `count` distinct snowflakes, each with its own millisecond timestamp (consecutive), so `id >> 22`
 * differs from one id to the next and guilds created with them spread evenly over shards.
 * They carry worker id 2, so they never equal an id from {@link snowflake}.
 */
export function spreadSnowflakes(count: number): string[] {
  spreadCursorMs ??= BigInt(Date.now()) - 400n * 86_400_000n;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push((((spreadCursorMs - DISCORD_EPOCH) << 22n) | (2n << 17n) | (1n << 12n)).toString());
    spreadCursorMs += 1n;
  }
  return ids;
}
