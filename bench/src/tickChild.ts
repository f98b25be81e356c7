/** Child process: runs `benchTick()` from bench/tick.ts and reports its result. */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TickBenchResult } from '../tick.ts';
import { BENCH_DIR } from './pool.ts';

/** What bench/tick.ts's `benchTick()` reports. */
export type TickResult = TickBenchResult;

try {
  const mod = (await import(pathToFileURL(join(BENCH_DIR, 'tick.ts')).href)) as { benchTick: () => Promise<TickResult> };
  const result = await mod.benchTick();
  process.send?.({ type: 'tick', result });
} catch (error) {
  process.send?.({ type: 'tick', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
process.exit(0);
