/**
 * The three ways of writing a `kick-events` job that the `enqueue` section compares. Each answers, per job,
 * `enqueued` (a new job is in the queue) or `duplicate` (the message id was seen: nothing written), as the
 * webhook route must.
 *
 * 1. `script` — `KickEventEnqueuer`: the jobs requested in one event-loop turn in one Lua script call that
 *    writes BullMQ's job format itself and returns enqueued/duplicate per job.
 * 2. `addBulk` — BullMQ's `Queue.addBulk` for the jobs of one event-loop turn, each with `jobId` and
 *    `deduplication: { id, ttl }` (id = message id).
 * 3. `add` — BullMQ's `Queue.add` per job, same options.
 *
 * BullMQ's add tells nobody whether it deduplicated: its script returns the id of the job that holds the
 * message id, and with `jobId` = deduplication id = message id that is the same string for a new job and for
 * a duplicate (the returned `Job` is built locally either way; only the queue's event stream says
 * `duplicated`/`deduplicated`, asynchronously). So arms 2 and 3 send, just before the add and on the same
 * connection, `EXISTS <job key> <dedupe key>` for each message id — the two keys BullMQ's add checks. One
 * connection executes its commands in order, so the count says what the add found: > 0 → `duplicate`.
 * Nothing waits for the probe before adding (one round trip, as in arm 1). A copy of an id already in the
 * same batch is answered `duplicate` and not sent again. Limit (not exercised by the bench, which replays
 * only ids already answered): two adds of one id racing from two connections can both be answered
 * `enqueued` — the queue still holds one job.
 */
import { KickEventEnqueuer, type EnqueueOutcome, type KickEventJob, type RedisConnection } from '@kickcord/queue';
import type { JobsOptions, Queue } from 'bullmq';
import type { BenchJob } from './enqueuePlan.ts';

/** The arms, in the order the table lists them. */
export const ENQUEUE_ARMS = ['script', 'addBulk', 'add'] as const;
export type EnqueueArmName = (typeof ENQUEUE_ARMS)[number];

/** What the table calls each arm. */
export const ENQUEUE_ARM_LABELS: Record<EnqueueArmName, string> = {
  script: '(1) KickEventEnqueuer (one Lua call per turn)',
  addBulk: '(2) Queue.addBulk per turn + EXISTS probe',
  add: '(3) Queue.add per job + EXISTS probe',
};

/** One way of enqueuing. */
export interface EnqueueArm {
  /** Which form of the job the arm takes (the script takes JSON text, BullMQ the job object). */
  readonly takes: 'json' | 'data';
  enqueue(job: BenchJob): Promise<EnqueueOutcome>;
}

/** What every arm is built from: the `kick-events` queue, the producer connection it uses, the dedupe window. */
export interface EnqueueArmDeps {
  queue: Queue<KickEventJob>;
  redis: RedisConnection;
  dedupeTtlMs: number;
}

function addOptions(id: string, ttl: number): JobsOptions {
  return { jobId: id, deduplication: { id, ttl } };
}

function dataOf(job: BenchJob): KickEventJob {
  if (!job.data) throw new Error(`job ${job.id} was built without its object form`);
  return job.data;
}

interface Pending {
  jobs: { name: string; data: KickEventJob; opts: JobsOptions }[];
  /** Index into `jobs` of each caller's job (a copy within the batch points at the first). */
  slots: number[];
  firsts: boolean[];
  byId: Map<string, number>;
  resolves: ((outcome: EnqueueOutcome) => void)[];
  rejects: ((error: unknown) => void)[];
}

/** Arm 2: one `Queue.addBulk` per event-loop turn (at most `maxBatch` jobs), with the probe described above. */
class AddBulkArm implements EnqueueArm {
  readonly takes = 'data';
  readonly #deps: EnqueueArmDeps;
  readonly #maxBatch: number;
  #pending: Pending | undefined;
  #scheduled = false;

  constructor(deps: EnqueueArmDeps, maxBatch = 128) {
    this.#deps = deps;
    this.#maxBatch = maxBatch;
  }

  enqueue(job: BenchJob): Promise<EnqueueOutcome> {
    let pending = this.#pending;
    if (!pending) {
      pending = { jobs: [], slots: [], firsts: [], byId: new Map(), resolves: [], rejects: [] };
      this.#pending = pending;
    }
    const batch = pending;
    let slot = batch.byId.get(job.id);
    batch.firsts.push(slot === undefined);
    if (slot === undefined) {
      slot = batch.jobs.length;
      batch.byId.set(job.id, slot);
      batch.jobs.push({ name: job.name, data: dataOf(job), opts: addOptions(job.id, this.#deps.dedupeTtlMs) });
    }
    batch.slots.push(slot);
    const promise = new Promise<EnqueueOutcome>((resolve, reject) => {
      batch.resolves.push(resolve);
      batch.rejects.push(reject);
    });
    if (batch.resolves.length >= this.#maxBatch) this.#flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#onImmediate);
    }
    return promise;
  }

  readonly #onImmediate = () => {
    this.#scheduled = false;
    this.#flush();
  };

  #flush(): void {
    const batch = this.#pending;
    if (!batch) return;
    this.#pending = undefined;
    const { queue, redis } = this.#deps;
    const probe = redis.pipeline();
    for (const job of batch.jobs) probe.exists(queue.toKey(job.opts.jobId!), `${queue.keys.de}:${job.opts.jobId!}`);
    // Written before addBulk's pipeline (which starts after one await inside BullMQ): the probe sees the state the adds found.
    const probed = probe.exec();
    const added = queue.addBulk(batch.jobs);
    Promise.all([probed, added]).then(([results]) => {
      const found = (results ?? []).map(([error, count]) => {
        if (error) throw error;
        return Number(count) > 0;
      });
      for (let i = 0; i < batch.resolves.length; i++) batch.resolves[i]!(!batch.firsts[i] || found[batch.slots[i]!] ? 'duplicate' : 'enqueued');
    }).catch((error: unknown) => {
      for (const reject of batch.rejects) reject(error);
    });
  }
}

/** Arm 3: `Queue.add` per job, with the probe described above. */
class AddArm implements EnqueueArm {
  readonly takes = 'data';
  readonly #deps: EnqueueArmDeps;

  constructor(deps: EnqueueArmDeps) {
    this.#deps = deps;
  }

  async enqueue(job: BenchJob): Promise<EnqueueOutcome> {
    const { queue, redis, dedupeTtlMs } = this.#deps;
    // Sent before the add's script (Queue.add reaches Redis after a few awaits): the count is what the add found.
    const probed = redis.exists(queue.toKey(job.id), `${queue.keys.de}:${job.id}`);
    const [found] = await Promise.all([probed, queue.add(job.name, dataOf(job), addOptions(job.id, dedupeTtlMs))]);
    return found > 0 ? 'duplicate' : 'enqueued';
  }
}

/** Arm 1: the enqueuer the web app uses. */
class ScriptArm implements EnqueueArm {
  readonly takes = 'json';
  readonly #enqueuer: KickEventEnqueuer;

  constructor(deps: EnqueueArmDeps) {
    this.#enqueuer = new KickEventEnqueuer({ queue: deps.queue, redis: deps.redis, dedupeTtlMs: deps.dedupeTtlMs });
  }

  enqueue(job: BenchJob): Promise<EnqueueOutcome> {
    return this.#enqueuer.enqueue(job.id, job.name, job.json);
  }
}

/** Builds arm `name` over `deps`. */
export function createEnqueueArm(name: EnqueueArmName, deps: EnqueueArmDeps): EnqueueArm {
  switch (name) {
    case 'script':
      return new ScriptArm(deps);
    case 'addBulk':
      return new AddBulkArm(deps);
    case 'add':
      return new AddArm(deps);
  }
}
