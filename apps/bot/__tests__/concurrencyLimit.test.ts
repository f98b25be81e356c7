import { describe, expect, it } from 'vitest';
import { concurrencyLimit } from '../src/discord/concurrencyLimit.ts';

/** A task that stays in flight until the test lets it finish. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { done, open };
}

describe('concurrencyLimit (the bound on guild syncs at once)', () => {
  it('never runs more than the limit at once, starts waiters in arrival order, and passes results and errors through', async () => {
    const limit = concurrencyLimit(2);
    let inFlight = 0;
    let most = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 6 }, gate);
    const results = gates.map((g, i) =>
      limit(async () => {
        started.push(i);
        most = Math.max(most, ++inFlight);
        await g.done;
        inFlight--;
        if (i === 3) throw new Error('task 3 failed');
        return i * 10;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    // Finishing one lets exactly the next waiter in; a later arrival queues behind the earlier ones.
    gates[1]!.open();
    const late = limit(async () => 'late');
    await results[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    const settled = await Promise.allSettled(results);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([0, 10, 20, 'task 3 failed', 40, 50]);
    expect(await late).toBe('late');
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('refuses a limit below 1', () => {
    expect(() => concurrencyLimit(0)).toThrow(/limit must be an integer/);
  });
});
