import { KickError } from './KickError.ts';

/** A request to Kick did not answer within `timeoutMs` (after any retries). */
export class KickTimeoutError extends KickError {
  override name = 'KickTimeoutError' as const;

  readonly method: string;
  /** Path without query string, e.g. `/public/v1/channels`. */
  readonly path: string;
  readonly timeoutMs: number;

  constructor(input: { method: string; path: string; timeoutMs: number; cause?: unknown }) {
    super(
      `Kick did not answer ${input.method} ${input.path} within ${input.timeoutMs} ms — Kick may be slow or down; retry later or raise timeoutMs`,
      { cause: input.cause },
    );
    this.method = input.method;
    this.path = input.path;
    this.timeoutMs = input.timeoutMs;
  }
}
