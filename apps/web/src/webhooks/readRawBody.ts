import type { IncomingMessage } from 'node:http';

/** Result of {@link readRawBody}. */
export type RawBodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

const TOO_LARGE: RawBodyResult = { ok: false, reason: 'too_large' };
const ABORTED: RawBodyResult = { ok: false, reason: 'aborted' };

// One small state object per request and four listeners shared by all requests (`this` is the
// request): no closures, no promise. Most webhook bodies arrive as a single chunk.
interface BodyState {
  limit: number;
  size: number;
  first: Buffer | undefined;
  more: Buffer[] | undefined;
  done: ((result: RawBodyResult) => void) | undefined;
}
const STATE = Symbol('kickcord.rawBody');
type Reading = IncomingMessage & { [STATE]?: BodyState };

function finish(req: Reading, result: RawBodyResult): void {
  const state = req[STATE];
  const done = state?.done;
  if (!state || !done) return;
  state.done = undefined;
  req.off('data', onData);
  req.off('end', onEnd);
  req.off('error', onAbort);
  req.off('aborted', onAbort);
  done(result);
}

function onData(this: Reading, chunk: Buffer): void {
  const state = this[STATE]!;
  state.size += chunk.length;
  if (state.size > state.limit) {
    // Stop buffering: the caller answers 413 with `Connection: close`.
    this.pause();
    finish(this, TOO_LARGE);
    return;
  }
  if (state.first === undefined) state.first = chunk;
  else (state.more ??= [state.first]).push(chunk);
}

function onEnd(this: Reading): void {
  const state = this[STATE]!;
  const body = state.more ? Buffer.concat(state.more, state.size) : (state.first ?? Buffer.alloc(0));
  finish(this, { ok: true, body });
}

function onAbort(this: Reading): void {
  finish(this, ABORTED);
}

/**
 * Reads a request body into one Buffer and calls `done` once, refusing (without reading further) as
 * soon as it is known to exceed `limit` bytes — from `Content-Length` up front, or while streaming a
 * chunked body.
 */
export function readRawBody(req: IncomingMessage, limit: number, done: (result: RawBodyResult) => void): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    done(TOO_LARGE);
    return;
  }
  (req as Reading)[STATE] = { limit, size: 0, first: undefined, more: undefined, done };
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onAbort);
  req.on('aborted', onAbort);
}
