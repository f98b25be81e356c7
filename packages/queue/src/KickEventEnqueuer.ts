import type { Queue } from 'bullmq';
import { whenRedisReady, type RedisConnection } from './connection.ts';
import type { KickEventJob } from './jobs.ts';
import { isSafeJobId } from './keyspace.ts';

/** What {@link KickEventEnqueuer.enqueue} found: a new job, or a message id seen before (nothing written). */
export type EnqueueOutcome = 'enqueued' | 'duplicate';

/** Options of {@link KickEventEnqueuer}. */
export interface KickEventEnqueuerOptions {
  /** The `kick-events` queue (its key names and connection are used; its `add` is not). */
  queue: Queue<KickEventJob>;
  /** The connection to write with (the producer connection the queue uses). */
  redis: RedisConnection;
  /** How long a message id stays deduplicated (BullMQ `deduplication.ttl`), ms. */
  dedupeTtlMs: number;
  /** A batch not written within this long (ms) is rejected with {@link EnqueueTimeoutError}; default 2000. */
  timeoutMs?: number;
  /** At most this many jobs go into one script call; default 128. */
  maxBatch?: number;
}

/** Redis did not confirm a batch within the enqueuer's `timeoutMs` (its jobs may or may not be written). */
export class EnqueueTimeoutError extends Error {
  override readonly name = 'EnqueueTimeoutError';
}

/** The BullMQ version whose job format the enqueuer's script writes (a test compares it with the installed one). */
export const ENQUEUER_BULLMQ_VERSION = '5.81.5';

/** Thrown when an id cannot be a BullMQ job id (integer-looking, or characters outside `[A-Za-z0-9_.-]`). */
export class UnsafeJobIdError extends Error {
  override readonly name = 'UnsafeJobIdError';
}

/**
 * Writes each job exactly as BullMQ 5.81.5's `addStandardJob` (queue.add with `jobId` and
 * `deduplication: { id, ttl }`, no delay/priority/parent) does — job hash fields, wait (or paused)
 * list, marker, `added`/`waiting` events, dedupe key `<prefix>:<queue>:de:<id>` with PX ttl — but for
 * a whole batch in one call, without the job-id counter (only auto-generated ids use it).
 * Per job: 1 = enqueued, 0 = duplicate (job hash still there, or dedupe key alive).
 *
 * KEYS: wait, paused, meta, active, events, marker
 * ARGV: jobKeyPrefix, dedupeKeyPrefix, ttlMs, timestamp, optsHead, optsMid, optsTail, then (id, name, data) per job
 */
const ENQUEUE_BATCH_LUA = `
local rcall = redis.call
local waitKey, pausedKey, metaKey, activeKey, eventsKey, markerKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local jobPrefix, dePrefix, ttl, timestamp = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local optsHead, optsMid, optsTail = ARGV[5], ARGV[6], ARGV[7]

-- getOrSetMaxEvents
local maxEvents = rcall("HGET", metaKey, "opts.maxLenEvents")
if not maxEvents then
  maxEvents = 10000
  rcall("HSET", metaKey, "opts.maxLenEvents", maxEvents)
end

-- getTargetQueueList
local target, pausedOrMaxed = waitKey, false
local attrs = rcall("HMGET", metaKey, "paused", "concurrency")
if attrs[1] then
  target, pausedOrMaxed = pausedKey, true
elseif attrs[2] and rcall("LLEN", activeKey) >= tonumber(attrs[2]) then
  pausedOrMaxed = true
end

local out = {}
local added = false
local n = 0
for i = 8, #ARGV, 3 do
  local id, name, data = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local jobKey = jobPrefix .. id
  local deKey = dePrefix .. id
  n = n + 1
  if rcall("EXISTS", jobKey) == 1 then
    -- handleDuplicatedJob (no parent)
    rcall("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "event", "duplicated", "jobId", id)
    out[n] = 0
  elseif not rcall("SET", deKey, id, "PX", ttl, "NX") then
    -- deduplicateJobWithoutReplace
    local current = rcall("GET", deKey)
    rcall("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "event", "debounced", "jobId", current, "debounceId", id)
    rcall("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "event", "deduplicated", "jobId", current,
      "deduplicationId", id, "deduplicatedJobId", id)
    out[n] = 0
  else
    -- storeJob
    rcall("HMSET", jobKey, "name", name, "data", data, "opts", optsHead .. id .. optsMid .. id .. optsTail,
      "timestamp", timestamp, "delay", 0, "priority", 0, "deid", id)
    rcall("XADD", eventsKey, "*", "event", "added", "jobId", id, "name", name)
    -- addJobInTargetList (FIFO)
    rcall("LPUSH", target, id)
    rcall("XADD", eventsKey, "MAXLEN", "~", maxEvents, "*", "event", "waiting", "jobId", id)
    added = true
    out[n] = 1
  end
end
-- addBaseMarkerIfNeeded, once for the batch
if added and not pausedOrMaxed then
  rcall("ZADD", markerKey, 0, "0")
end
return out
`;

const SCRIPT_NAME = 'kickcordEnqueueBatch';
type ScriptRunner = (...args: (string | number)[]) => Promise<number[]>;

interface Batch {
  args: (string | number)[];
  resolves: ((outcome: EnqueueOutcome) => void)[];
  rejects: ((error: unknown) => void)[];
}

/**
 * Enqueues `kick-events` jobs (jobId = deduplication id = Kick message id) in BullMQ 5.81.5's own
 * format, so an unchanged BullMQ Worker consumes them — without building a BullMQ `Job` per
 * delivery: the jobs requested in the same event-loop turn go to Redis together, in one Lua script
 * call that also tells duplicates apart. A promise settles only once its job is in Redis (or known
 * to be a duplicate); a failed call rejects every job of its batch (nothing is answered as accepted).
 *
 * Coupled to BullMQ's storage format: bullmq is pinned exactly, and
 * `packages/queue/__tests__/enqueuer.test.ts` fails when that format changes. That coupling is kept
 * because it pays: on 2026-12-06 (`pnpm bench`, enqueue section; 2-vCPU AMD EPYC VM, 5 runs × 40,000
 * calls from 32 concurrent callers, ~1 KB jobs, 10% replays) it answered 31,204 calls/s against 10,416
 * for BullMQ's `Queue.add` per job and 9,470 for `Queue.addBulk` per event-loop turn (2.9–3.6× the
 * better one in every run), at 11 µs of client CPU per call against 48–58 µs (0.15–0.29×) and 20 µs of
 * Redis CPU against 43 µs (docs/performance.md).
 */
export class KickEventEnqueuer {
  readonly #redis: RedisConnection;
  readonly #keys: string[];
  readonly #fixedArgs: (string | number)[];
  readonly #maxBatch: number;
  readonly #timeoutMs: number;
  readonly #run: ScriptRunner;
  #batch: Batch | undefined;
  #flushScheduled = false;

  constructor(options: KickEventEnqueuerOptions) {
    const { queue, redis } = options;
    this.#redis = redis;
    this.#maxBatch = options.maxBatch ?? 128;
    this.#timeoutMs = options.timeoutMs ?? 2_000;
    const keys = queue.keys;
    this.#keys = [keys.wait!, keys.paused!, keys.meta!, keys.active!, keys.events!, keys.marker!];
    // Queue.add merges the queue's default options, then jobId and deduplication (stored as `de`).
    // The Job constructor adds `attempts: 0` unless given.
    const defaults = JSON.stringify({ attempts: 0, ...queue.defaultJobOptions });
    const ttl = Math.round(options.dedupeTtlMs);
    this.#fixedArgs = [keys['']!, `${keys.de}:`, ttl, 0, `${defaults.slice(0, -1)},"jobId":"`, '","de":{"id":"', `","ttl":${ttl}}}`];
    if (typeof (redis as unknown as Record<string, unknown>)[SCRIPT_NAME] !== 'function') {
      redis.defineCommand(SCRIPT_NAME, { numberOfKeys: this.#keys.length, lua: ENQUEUE_BATCH_LUA });
    }
    const command = (redis as unknown as Record<string, ScriptRunner>)[SCRIPT_NAME]!;
    this.#run = command.bind(redis);
  }

  /**
   * Adds one job (`data` is the job's JSON text, e.g. from {@link kickEventJobJson}) unless `id` was
   * seen within the dedupe ttl or its job still exists. Settles after the batch's round trip.
   */
  enqueue(id: string, name: string, data: string): Promise<EnqueueOutcome> {
    if (!isSafeJobId(id)) return Promise.reject(new UnsafeJobIdError(`"${id.slice(0, 140)}" cannot be a job id: use 1–128 of [A-Za-z0-9_.-], not only digits`));
    let batch = this.#batch;
    if (!batch) {
      batch = { args: this.#fixedArgs.slice(), resolves: [], rejects: [] };
      this.#batch = batch;
    }
    batch.args.push(id, name, data);
    const promise = new Promise<EnqueueOutcome>((resolve, reject) => {
      batch.resolves.push(resolve);
      batch.rejects.push(reject);
    });
    if (batch.resolves.length >= this.#maxBatch) this.#flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(this.#onImmediate);
    }
    return promise;
  }

  readonly #onImmediate = () => {
    this.#flushScheduled = false;
    this.#flush();
  };

  #flush(): void {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    let settled = false;
    const timer = setTimeout(() => fail(new EnqueueTimeoutError(`Redis did not confirm ${batch.resolves.length} job(s) within ${this.#timeoutMs} ms`)), this.#timeoutMs);
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const reject of batch.rejects) reject(error);
    };
    const send = () => {
      if (settled) return;
      batch.args[3] = Date.now();
      this.#run(...this.#keys, ...batch.args).then((result) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (let i = 0; i < batch.resolves.length; i++) batch.resolves[i]!(result[i] === 1 ? 'enqueued' : 'duplicate');
      }, fail);
    };
    // The producer connection has no offline queue (commands fail at once while it is not ready):
    // right after start or during a reconnect, wait for it within the timeout instead.
    if (this.#redis.status === 'ready') send();
    else whenRedisReady(this.#redis).then(send, fail);
  }
}

/**
 * The JSON text of a {@link KickEventJob} whose payload is `payloadJson` verbatim (already validated
 * JSON, e.g. the delivery's raw body): no parse-and-re-serialize of the payload.
 */
export function kickEventJobJson(job: Omit<KickEventJob, 'payload'>, payloadJson: string): string {
  return `{"messageId":${JSON.stringify(job.messageId)},"subscriptionId":${JSON.stringify(job.subscriptionId)},"eventType":${JSON.stringify(job.eventType)},"eventVersion":${JSON.stringify(job.eventVersion)},"messageTimestamp":${JSON.stringify(job.messageTimestamp)},"receivedAt":${JSON.stringify(job.receivedAt)},"broadcasterUserId":${job.broadcasterUserId === null ? 'null' : String(job.broadcasterUserId)},"payload":${payloadJson}}`;
}
