import type { IncomingMessage } from 'node:http';

/**
 * Result of {@link BodyReader.read}: the body, or why reading stopped — over the size limit, the client
 * went away, the body did not arrive in time, or it was ended to make room for others.
 */
export type RawBodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' | 'timed_out' | 'evicted' };

const TOO_LARGE: RawBodyResult = { ok: false, reason: 'too_large' };
const ABORTED: RawBodyResult = { ok: false, reason: 'aborted' };
const TIMED_OUT: RawBodyResult = { ok: false, reason: 'timed_out' };
const EVICTED: RawBodyResult = { ok: false, reason: 'evicted' };

/** Limits of a {@link BodyReader}. */
export interface BodyReaderOptions {
  /** Largest body accepted (bytes); known bigger from `Content-Length` → refused without reading. */
  maxBytes: number;
  /** A body must be complete this long after reading starts. */
  timeoutMs: number;
  /** Bodies read at once; starting one more ends the oldest unfinished one (`evicted`). */
  maxPending: number;
  /** Bytes all unfinished bodies may buffer together; past it the oldest others are ended (`evicted`). */
  maxPendingBytes: number;
}

/** Reads request bodies under a size limit, a deadline and a shared budget; see {@link createBodyReader}. */
export interface BodyReader {
  /** Reads `req`'s body into one Buffer and calls `done` exactly once. */
  read(req: IncomingMessage, done: (result: RawBodyResult) => void): void;
  /** Bodies being read now. */
  readonly pending: number;
  /** Bytes those bodies have buffered. */
  readonly pendingBytes: number;
  /** Stops the deadline timer (bodies still being read are left to the server's own timeouts). */
  close(): void;
}

interface BodyState {
  size: number;
  first: Buffer | undefined;
  more: Buffer[] | undefined;
  startedAt: number;
  done: ((result: RawBodyResult) => void) | undefined;
}
const STATE = Symbol('kickcord.rawBody');
type Reading = IncomingMessage & { [STATE]?: BodyState };

/**
 * A body reader for the webhook route. Per request it keeps one small state object and shares four
 * listeners (`this` is the request): no closures, no promise, no timer. Most webhook bodies arrive as one
 * chunk and finish in the turn they started.
 *
 * Unfinished bodies are kept in start order, which with one deadline for all is also deadline order: a
 * single interval (a quarter of the deadline, at most 1 s) ends the overdue ones from the front, and when
 * the count or the buffered bytes reach their limits the front (oldest) ones are ended first. A sender
 * that trickles or stalls thus holds a slot and its bytes for at most the deadline, and a crowd of them
 * cannot keep a real delivery — which arrives at once — from being read.
 */
export function createBodyReader(options: BodyReaderOptions): BodyReader {
  const { maxBytes, timeoutMs, maxPending, maxPendingBytes } = options;
  const pending = new Set<Reading>();
  let pendingBytes = 0;
  let sweeper: NodeJS.Timeout | undefined;
  let closed = false;

  function finish(req: Reading, result: RawBodyResult): void {
    const state = req[STATE];
    const done = state?.done;
    if (!state || !done) return;
    state.done = undefined;
    pending.delete(req);
    pendingBytes -= state.size;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onAbort);
    req.off('aborted', onAbort);
    if (!result.ok && result.reason !== 'aborted') {
      // Stop buffering; the caller answers with `Connection: close`.
      req.pause();
      state.first = undefined;
      state.more = undefined;
    }
    done(result);
  }

  function evictOldest(except: Reading | undefined): boolean {
    for (const oldest of pending) {
      if (oldest === except) continue;
      finish(oldest, EVICTED);
      return true;
    }
    return false;
  }

  function onData(this: Reading, chunk: Buffer): void {
    const state = this[STATE]!;
    state.size += chunk.length;
    pendingBytes += chunk.length;
    if (state.size > maxBytes) {
      finish(this, TOO_LARGE);
      return;
    }
    if (state.first === undefined) state.first = chunk;
    else (state.more ??= [state.first]).push(chunk);
    while (pendingBytes > maxPendingBytes && evictOldest(this));
  }

  function onEnd(this: Reading): void {
    const state = this[STATE]!;
    const body = state.more ? Buffer.concat(state.more, state.size) : (state.first ?? Buffer.alloc(0));
    finish(this, { ok: true, body });
  }

  function onAbort(this: Reading): void {
    finish(this, ABORTED);
  }

  function sweep(): void {
    const now = performance.now();
    for (const req of pending) {
      if (now - req[STATE]!.startedAt < timeoutMs) break;
      finish(req, TIMED_OUT);
    }
  }

  return {
    read(req: Reading, done) {
      const declared = req.headers['content-length'];
      if (declared !== undefined && Number(declared) > maxBytes) {
        done(TOO_LARGE);
        return;
      }
      while (pending.size >= maxPending && evictOldest(undefined));
      req[STATE] = { size: 0, first: undefined, more: undefined, startedAt: performance.now(), done };
      pending.add(req);
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onAbort);
      req.on('aborted', onAbort);
      if (sweeper === undefined && !closed) {
        sweeper = setInterval(sweep, Math.max(10, Math.min(1_000, Math.floor(timeoutMs / 4))));
        sweeper.unref();
      }
    },
    get pending() {
      return pending.size;
    },
    get pendingBytes() {
      return pendingBytes;
    },
    close() {
      closed = true;
      clearInterval(sweeper);
      sweeper = undefined;
    },
  };
}
