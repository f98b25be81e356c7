/**
 * Child process: a keep-alive HTTP/1.1 load generator on raw `net` sockets (no pipelining: one request
 * in flight per connection, `connections` in flight in all). Requests are the pool's exact bytes, built
 * once up front; each response is parsed just enough (status, Content-Length, body) to classify it.
 * Records every request's latency (write → last byte of the response).
 */
import { connect, type Socket } from 'node:net';
import { readPool, requestBytes, type Pool } from './pool.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** A run request from the orchestrator. */
export interface LoadRunCommand {
  type: 'run';
  port: number;
  connections: number;
  /** Stop issuing new requests after this long (in-flight ones complete). */
  seconds: number;
  /** Pool slice [from, to); with `wrap`, loop over it until the time is up (baselines). */
  from: number;
  to: number;
  wrap: boolean;
  /** Send exactly these pool indices instead (replay). */
  indices?: number[];
}

/** Outcome codes per pool index (in {@link LoadRunResult.outcomes}). */
export const Outcome = { NotSent: 0, Enqueued: 1, Duplicate: 2, Other200: 3, Error: 4 } as const;

/** What a run reports. */
export interface LoadRunResult {
  type: 'result';
  sent: number;
  completed: number;
  elapsedMs: number;
  perSecond: number;
  latency: LatencySummary;
  byStatus: Record<string, number>;
  counts: { enqueued: number; duplicate: number; other200: number; errors: number };
  /** Base64 of one byte per pool index (last outcome seen); only for non-wrapping runs. */
  outcomes?: string;
  poolExhausted: boolean;
}

let pool: Pool | undefined;
let requests: Buffer[] = [];

const CRLFCRLF = Buffer.from('\r\n\r\n');

function run(cmd: LoadRunCommand): Promise<LoadRunResult> {
  if (!pool) throw new Error('no pool loaded');
  const expected = cmd.indices ? cmd.indices.length : cmd.to - cmd.from;
  const capacity = cmd.wrap ? 1 << 22 : expected;
  const latencies = new Float64Array(capacity);
  const outcomes = new Uint8Array(pool.size);
  const byStatus: Record<string, number> = {};
  const counts = { enqueued: 0, duplicate: 0, other200: 0, errors: 0 };
  let sent = 0;
  let completed = 0;
  let next = cmd.from;
  let pos = 0;
  let exhausted = false;
  const started = performance.now();
  const deadline = started + cmd.seconds * 1000;
  let lastDone = started;

  const nextIndex = (): number | undefined => {
    if (cmd.indices) return pos < cmd.indices.length ? cmd.indices[pos++] : undefined;
    if (next >= cmd.to) {
      if (!cmd.wrap) {
        exhausted = true;
        return undefined;
      }
      next = cmd.from;
    }
    return next++;
  };

  return new Promise((resolve) => {
    let open = 0;
    const finishOne = () => {
      open--;
      if (open > 0) return;
      const elapsedMs = lastDone - started;
      const latency = summarize(latencies.subarray(0, Math.min(completed, capacity)));
      resolve({
        type: 'result',
        sent,
        completed,
        elapsedMs,
        perSecond: (completed * 1000) / elapsedMs,
        latency,
        byStatus,
        counts,
        ...(cmd.wrap ? {} : { outcomes: Buffer.from(outcomes).toString('base64') }),
        poolExhausted: exhausted,
      });
    };

    const startConnection = () => {
      open++;
      const socket: Socket = connect({ port: cmd.port, host: '127.0.0.1', noDelay: true });
      let buf: Buffer | undefined;
      let current = -1;
      let t0 = 0;
      let done = false;
      const stop = () => {
        if (done) return;
        done = true;
        socket.destroy();
        finishOne();
      };
      const send = () => {
        if (performance.now() >= deadline) return stop();
        const i = nextIndex();
        if (i === undefined) return stop();
        current = i;
        sent++;
        t0 = performance.now();
        socket.write(requests[i]!);
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        buf = buf ? Buffer.concat([buf, chunk]) : chunk;
        for (;;) {
          const headerEnd: number = buf.indexOf(CRLFCRLF);
          if (headerEnd === -1) return;
          const status = (buf[9]! - 48) * 100 + (buf[10]! - 48) * 10 + (buf[11]! - 48);
          const head = buf.toString('latin1', 0, headerEnd).toLowerCase();
          const cl = head.indexOf('content-length:');
          if (cl === -1) throw new Error(`response without Content-Length: ${head}`);
          const length = Number.parseInt(head.slice(cl + 15, head.indexOf('\r\n', cl) === -1 ? undefined : head.indexOf('\r\n', cl)), 10);
          const total: number = headerEnd + 4 + length;
          if (buf.length < total) return;
          const now = performance.now();
          if (completed < capacity) latencies[completed] = now - t0;
          completed++;
          lastDone = now;
          byStatus[status] = (byStatus[status] ?? 0) + 1;
          let outcome: number = Outcome.Error;
          if (status === 200) {
            const body = buf.toString('latin1', headerEnd + 4, total);
            outcome = body.includes('enqueued') ? Outcome.Enqueued : body.includes('duplicate') ? Outcome.Duplicate : Outcome.Other200;
          }
          if (outcome === Outcome.Enqueued) counts.enqueued++;
          else if (outcome === Outcome.Duplicate) counts.duplicate++;
          else if (outcome === Outcome.Other200) counts.other200++;
          else counts.errors++;
          outcomes[current] = outcome;
          current = -1;
          buf = buf.length === total ? undefined : buf.subarray(total);
          if (head.includes('connection: close')) return stop();
          send();
          if (!buf) return;
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        if (current !== -1) {
          counts.errors++;
          outcomes[current] = Outcome.Error;
          byStatus.closed = (byStatus.closed ?? 0) + 1;
        }
        stop();
      });
    };
    for (let c = 0; c < cmd.connections; c++) startConnection();
  });
}

process.on('message', (message) => {
  const m = message as { type: string };
  if (m.type === 'load') {
    pool = readPool();
    if (!pool) throw new Error('delivery pool missing: run bench/run.ts');
    const p = pool;
    requests = Array.from({ length: p.size }, (_, i) => requestBytes(p, i, '127.0.0.1'));
    process.send?.({ type: 'loaded', size: p.size });
  } else if (m.type === 'run') {
    void run(m as unknown as LoadRunCommand).then((result) => process.send?.(result));
  } else if (m.type === 'stop') {
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
