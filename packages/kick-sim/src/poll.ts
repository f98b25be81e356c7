import { KickSimError } from './KickSimError.ts';

/** Polls `check` until it returns a value (not undefined/null/false) or the deadline passes. */
export async function pollUntil<T>(check: () => T | null | undefined | false, timeoutMs: number, describe: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) throw new KickSimError(`Timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
