import { verify, type KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { classifyFailure, prepareVerification, verifyKickWebhook, type VerifyKickWebhookInput, type WebhookVerification } from './verifyKickWebhook.ts';

/** Options of {@link KickWebhookVerifier}. */
export interface KickWebhookVerifierOptions {
  /**
   * Worker threads doing the RSA checks; default 1. 0 = check on the calling thread, synchronously
   * (less CPU and memory in all — no hand-off, no second V8 heap — but the caller's thread does the
   * ~25 µs RSA work per delivery; better where cores are few, see docs/performance.md).
   */
  threads?: number;
  /** At most this many signatures per message to a worker; default 64. */
  maxBatch?: number;
}

// CommonJS, evaluated in the worker: verify each (data, signature) pair of a packed batch.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { verify } = require('node:crypto');
let key;
parentPort.on('message', (m) => {
  if (m.key) key = m.key;
  const bytes = new Uint8Array(m.buffer);
  const offsets = m.offsets;
  const n = offsets.length / 3;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const start = offsets[3 * i], split = offsets[3 * i + 1], end = offsets[3 * i + 2];
    try {
      out[i] = verify('sha256', bytes.subarray(start, split), key, bytes.subarray(split, end)) ? 1 : 0;
    } catch {
      out[i] = 0;
    }
  }
  parentPort.postMessage({ id: m.id, out }, [out.buffer]);
});
`;

interface Pending {
  data: Buffer;
  sig: Buffer;
  key: KeyObject;
  accepted: WebhookVerification;
  resolve: (result: WebhookVerification) => void;
}

interface Lane {
  worker: Worker | undefined;
  key: KeyObject | undefined;
  inflight: Map<number, Pending[]>;
}

/**
 * {@link verifyKickWebhookAsync} with batching: the RSA checks requested in one event-loop turn go to
 * a worker thread in one message (one packed, transferred buffer) instead of one libuv thread-pool
 * task each, so a busy webhook route wakes one thread per batch, not per delivery. Same checks, same
 * results. Workers are unref'd; {@link close} terminates them.
 */
export class KickWebhookVerifier {
  readonly #lanes: Lane[];
  readonly #inline: boolean;
  readonly #maxBatch: number;
  #next = 0;
  #batchId = 0;
  #batch: Pending[] = [];
  #scheduled = false;
  #closed = false;

  constructor(options: KickWebhookVerifierOptions = {}) {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 0) throw new RangeError(`threads must be a whole number ≥ 0, got ${threads}`);
    this.#inline = threads === 0;
    this.#lanes = Array.from({ length: threads }, () => ({ worker: undefined, key: undefined, inflight: new Map() }));
    this.#maxBatch = options.maxBatch ?? 64;
  }

  /** Verifies one delivery (header, timestamp and freshness checks at once; the RSA check batched). */
  verify(input: VerifyKickWebhookInput): Promise<WebhookVerification> {
    if (this.#inline) return Promise.resolve(verifyKickWebhook(input));
    const prepared = prepareVerification(input);
    if (prepared.rejected) return Promise.resolve(prepared.rejected);
    return new Promise((resolve) => {
      this.#batch.push({ data: prepared.data, sig: prepared.sig, key: input.key, accepted: prepared.accepted, resolve });
      if (this.#batch.length >= this.#maxBatch) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#onImmediate);
      }
    });
  }

  /** Terminates the worker threads (pending checks finish on the libuv thread pool). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      this.#lanes.map(async (lane) => {
        const worker = lane.worker;
        lane.worker = undefined;
        if (worker) await worker.terminate();
      }),
    );
  }

  readonly #onImmediate = () => {
    this.#scheduled = false;
    this.#flush();
  };

  #flush(): void {
    const all = this.#batch;
    if (all.length === 0) return;
    this.#batch = [];
    // A batch is checked with one key; a key change mid-batch (rotation) splits it.
    let from = 0;
    for (let i = 1; i <= all.length; i++) {
      if (i === all.length || all[i]!.key !== all[from]!.key) {
        this.#send(from === 0 && i === all.length ? all : all.slice(from, i));
        from = i;
      }
    }
  }

  #send(batch: Pending[]): void {
    if (this.#closed) {
      for (const p of batch) fallback(p);
      return;
    }
    const lane = this.#lanes[this.#next]!;
    this.#next = (this.#next + 1) % this.#lanes.length;
    const worker = lane.worker ?? this.#start(lane);
    let total = 0;
    for (const p of batch) total += p.data.length + p.sig.length;
    const bytes = new Uint8Array(total);
    const offsets = new Int32Array(batch.length * 3);
    let at = 0;
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      offsets[3 * i] = at;
      bytes.set(p.data, at);
      at += p.data.length;
      offsets[3 * i + 1] = at;
      bytes.set(p.sig, at);
      at += p.sig.length;
      offsets[3 * i + 2] = at;
    }
    const id = ++this.#batchId;
    lane.inflight.set(id, batch);
    const key = batch[0]!.key;
    const newKey = lane.key !== key;
    lane.key = key;
    worker.postMessage({ id, key: newKey ? key : undefined, buffer: bytes.buffer, offsets }, [bytes.buffer, offsets.buffer]);
  }

  #start(lane: Lane): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    lane.worker = worker;
    lane.key = undefined;
    worker.on('message', (m: { id: number; out: Uint8Array }) => {
      const batch = lane.inflight.get(m.id);
      if (!batch) return;
      lane.inflight.delete(m.id);
      for (let i = 0; i < batch.length; i++) {
        const p = batch[i]!;
        p.resolve(m.out[i] === 1 ? p.accepted : classifyFailure(p.key, p.sig));
      }
    });
    const lost = () => {
      if (lane.worker === worker) lane.worker = undefined;
      // Whatever the worker had not answered is checked on the libuv thread pool instead.
      for (const batch of lane.inflight.values()) for (const p of batch) fallback(p);
      lane.inflight.clear();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    return worker;
  }
}

function fallback(p: Pending): void {
  verify('sha256', p.data, p.key, p.sig, (error, ok) => {
    p.resolve(!error && ok ? p.accepted : classifyFailure(p.key, p.sig));
  });
}
