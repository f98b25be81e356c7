import { randomBytes } from 'node:crypto';

/** A BullMQ prefix of a test file's own, so parallel test files never share queues. */
export function testQueuePrefix(label = 't'): string {
  return `kc-test-${label}-${randomBytes(4).toString('hex')}`;
}

/**
 * Polls `check` until it returns a truthy value (returned) or the deadline passes (throws with
 * `description`). For tests and the sandbox: never sleep to wait for work.
 */
export async function waitFor<T>(check: () => T | Promise<T>, options: { timeoutMs?: number; intervalMs?: number; description?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${options.timeoutMs ?? 10_000} ms waiting for ${options.description ?? 'condition'}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}
