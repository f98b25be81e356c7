/**
 * Child process of the `enqueue` section: one arm (bench/src/enqueueArms.ts), many concurrent callers in this
 * one process — the shape of the web handler: each caller awaits "enqueued or duplicate" for its own job
 * before it sends the next. The producer connection is made as apps/web makes it (no offline queue, no ready
 * check, no auto-pipelining).
 *
 * Environment: REDIS_URL, BENCH_ENQUEUE_ARM (script | addBulk | add), BENCH_ENQUEUE_AUTOPIPELINING=1 (ioredis
 * auto-pipelining on the producer connection).
 * IPC: `{ type: 'prepare', prefix, salt, calls, callers, replayEvery, dedupeTtlMs }` builds the plan, the jobs
 * and a queue under `prefix` → `{ type: 'prepared' }`; `{ type: 'run' }` runs it → `{ type: 'result', … }`;
 * `{ type: 'stop' }` exits.
 */
import { createKickEventsQueue, createRedisConnection, whenRedisReady, type KickEventJob } from '@kickcord/queue';
import type { Queue } from 'bullmq';
import { createEnqueueArm, ENQUEUE_ARMS, type EnqueueArm, type EnqueueArmName } from './enqueueArms.ts';
import { benchJobs, enqueuePlan, type BenchJob, type EnqueuePlan } from './enqueuePlan.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** The `prepare` command. */
export interface EnqueuePrepareCommand {
  type: 'prepare';
  prefix: string;
  salt: string;
  calls: number;
  callers: number;
  replayEvery: number;
  dedupeTtlMs: number;
}

/** What one run of one arm measured (the `result` reply). */
export interface EnqueueChildResult {
  type: 'result';
  calls: number;
  newJobs: number;
  replays: number;
  elapsedMs: number;
  /** The run's window on the monotonic clock CPU profiles use (process.hrtime), µs. */
  window: { fromUs: number; toUs: number };
  /** User + system CPU of this process (all its threads) during the run, µs. */
  cpuMicros: number;
  latency: LatencySummary;
  /** New jobs answered `enqueued`, replays answered `duplicate`. */
  enqueuedRight: number;
  duplicateRight: number;
  /** Calls answered the wrong way, or that failed; the first few ids of each. */
  wrong: number;
  failed: number;
  examples: string[];
}

const armName = process.env.BENCH_ENQUEUE_ARM as EnqueueArmName;
if (!ENQUEUE_ARMS.includes(armName)) throw new Error(`BENCH_ENQUEUE_ARM must be one of ${ENQUEUE_ARMS.join(', ')}`);
const redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  usage: 'producer',
  enableReadyCheck: false,
  connectionName: `kickcord-bench-enqueue-${armName}`,
  // apps/web leaves it off (docs/performance.md); BENCH_ENQUEUE_AUTOPIPELINING=1 tries every arm with it.
  enableAutoPipelining: process.env.BENCH_ENQUEUE_AUTOPIPELINING === '1',
});
redis.on('error', (error: Error) => console.error(`enqueue child (${armName}): redis error: ${error.message}`));

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

let prepared: { plan: EnqueuePlan; jobs: BenchJob[]; arm: EnqueueArm; queue: Queue<KickEventJob> } | undefined;

async function prepare(command: EnqueuePrepareCommand): Promise<void> {
  await prepared?.queue.close();
  prepared = undefined;
  await whenRedisReady(redis);
  const queue = createKickEventsQueue({ connection: redis, prefix: command.prefix });
  await queue.waitUntilReady();
  const arm = createEnqueueArm(armName, { queue, redis, dedupeTtlMs: command.dedupeTtlMs });
  const plan = enqueuePlan(command.calls, command.callers, command.replayEvery);
  const jobs = benchJobs(command.salt, plan.newJobs, { json: arm.takes === 'json', data: arm.takes === 'data' });
  prepared = { plan, jobs, arm, queue };
}

async function run(): Promise<EnqueueChildResult> {
  if (!prepared) throw new Error('run before prepare');
  const { plan, jobs, arm } = prepared;
  const latencies = new Float64Array(plan.calls);
  let done = 0;
  let enqueuedRight = 0;
  let duplicateRight = 0;
  let wrong = 0;
  let failed = 0;
  const examples: string[] = [];
  const note = (line: string) => {
    if (examples.length < 5) examples.push(line);
  };
  const caller = async (calls: Int32Array) => {
    for (const entry of calls) {
      const replay = entry < 0;
      const job = jobs[replay ? -entry - 1 : entry]!;
      const started = performance.now();
      try {
        const outcome = await arm.enqueue(job);
        latencies[done++] = performance.now() - started;
        if (outcome === (replay ? 'duplicate' : 'enqueued')) {
          if (replay) duplicateRight++;
          else enqueuedRight++;
        } else {
          wrong++;
          note(`${job.id} (${replay ? 'replay' : 'new'}) answered ${outcome}`);
        }
      } catch (error) {
        latencies[done++] = performance.now() - started;
        failed++;
        note(`${job.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const fromUs = monotonicUs();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(plan.callers.map(caller));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const toUs = monotonicUs();
  return {
    type: 'result',
    calls: plan.calls,
    newJobs: plan.newJobs,
    replays: plan.replays,
    elapsedMs,
    window: { fromUs, toUs },
    cpuMicros: cpu.user + cpu.system,
    latency: summarize(latencies.subarray(0, done)),
    enqueuedRight,
    duplicateRight,
    wrong,
    failed,
    examples,
  };
}

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await prepared?.queue.close().catch(() => undefined);
  redis.disconnect();
  process.exit(0);
}

process.on('message', (raw) => {
  const message = raw as { type?: string };
  const fail = (error: unknown) => process.send?.({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  if (message.type === 'prepare') prepare(message as EnqueuePrepareCommand).then(() => process.send?.({ type: 'prepared' }), fail);
  else if (message.type === 'run') run().then((result) => process.send?.(result), fail);
  else if (message.type === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.send?.({ type: 'ready', pid: process.pid });
