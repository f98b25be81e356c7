/**
 * Runs at most `limit` of the given tasks at once, the rest in arrival order. A gateway that becomes ready in
 * thousands of guilds at once syncs them through one of these, so the guild upserts never ask the database
 * pool for more connections than it has.
 */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be an integer ≥ 1 (got ${limit})`);
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finishing task hands its slot straight to the next waiter, so a newcomer can never squeeze in between.
  const release = () => {
    const handOver = waiting.shift();
    if (handOver) handOver();
    else running--;
  };
  return async (task) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}
