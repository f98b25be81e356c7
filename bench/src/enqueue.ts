/**
 * Scenario "enqueue": does `KickEventEnqueuer` (our own Lua script writing BullMQ's job format) beat BullMQ's
 * own `Queue.addBulk` / `Queue.add` (with BullMQ's `deduplication` option) by a clear margin?
 *
 * Each arm (bench/src/enqueueArms.ts) runs in a child process of its own (bench/src/enqueueChild.ts) against
 * the same Redis, with the same calls and the same jobs: `calls` realistic `chat.message.sent` jobs (~1 KB of
 * job JSON, unique ULID message ids) from `callers` concurrent callers, each awaiting its answer before its
 * next call; every `replayEvery`-th call of a caller replays one of its earlier, already answered ids and must
 * be answered `duplicate`. Runs alternate the arms' order (1 2 3, 3 2 1, …); each run uses a fresh queue
 * prefix, wiped afterwards, after a verified, untimed warm-up per arm.
 *
 * After every run (warm-up included) the bench checks, and fails loudly otherwise: every new job was answered
 * `enqueued` and every replay `duplicate`; the queue's wait list holds exactly the new ids, each once; each
 * has its job hash and its dedupe key; a sample of stored jobs carries its own message id.
 *
 * Measures per arm (medians over runs): calls answered per second, client CPU per call (the child's
 * user + system time, all threads), Redis server CPU per call (`INFO cpu`; by default a private
 * `redis-server` the section starts, so no other program's commands are counted), Redis commands per call
 * (`INFO commandstats`), p50/p99 latency per call.
 *
 * BENCH_PROFILE=1: each arm's child writes a V8 CPU profile (bench/.cache/profiles/enqueue-<arm>-…); its summary
 * for the arm's first timed run is printed.
 *
 * Decision rule (docs/performance.md): arm 1 earns its keep when, in every run, its throughput is ≥ 1.3× the
 * best BullMQ-API arm's, or its client CPU per call is ≤ 0.7× the lowest BullMQ-API arm's.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KICK_EVENTS_QUEUE, queueKeyPrefix, startPrivateRedis, type PrivateRedis } from '@kickcord/queue';
import { Redis } from 'ioredis';
import { startChild, type BenchChild } from './child.ts';
import { ENQUEUE_ARM_LABELS, ENQUEUE_ARMS, type EnqueueArmName } from './enqueueArms.ts';
import type { EnqueueChildResult, EnqueuePrepareCommand } from './enqueueChild.ts';
import { benchJobs, enqueuePlan } from './enqueuePlan.ts';
import { cpuProfileSummary, readCpuProfile } from './cpuTop.ts';
import { CACHE_DIR, idOf } from './pool.ts';
import { wipePrefix } from './redisKeys.ts';
import { redisCommandStats, redisCpuMicros } from './redisStats.ts';
import { median } from './stats.ts';

/** The margins that make the script worth keeping (the project's "clear margin"). */
export const ENQUEUE_CLEAR_MARGIN = { throughputAtLeast: 1.3, clientCpuAtMost: 0.7 } as const;

/** Settings of the enqueue scenario. */
export interface EnqueueOptions {
  /** Calls per timed run (new jobs + replays). */
  calls: number;
  warmupCalls: number;
  /** Concurrent callers, each with one call in flight. */
  callers: number;
  /** Every n-th call of a caller is a replay (10 → 10%). */
  replayEvery: number;
  runs: number;
  /** The dedupe window (the web's: max delivery age + margin), ms. */
  dedupeTtlMs: number;
  /** `private`: a redis-server of the section's own; `shared`: `redisUrl`. */
  redis: 'private' | 'shared';
  redisUrl: string;
  /** CPU-profile each arm's child and print where its first timed run spent the time. */
  profile: boolean;
  log: (line: string) => void;
}

/** One timed run of one arm. */
export interface EnqueueRun {
  arm: EnqueueArmName;
  /** 1-based run number, and the arm's position in that run's order. */
  run: number;
  position: number;
  calls: number;
  newJobs: number;
  replays: number;
  elapsedMs: number;
  callsPerSecond: number;
  clientCpuMicrosPerCall: number;
  redisCpuMicrosPerCall: number;
  /** Redis commands per call by command name (commands the run sent, read from `INFO commandstats`). */
  redisCommandsPerCall: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

/** Medians over the runs of one arm. */
export interface EnqueueArmSummary {
  arm: EnqueueArmName;
  label: string;
  callsPerSecond: number;
  clientCpuMicrosPerCall: number;
  redisCpuMicrosPerCall: number;
  p50: number;
  p99: number;
  /** This arm's medians ÷ arm 1's. */
  vsScript: { callsPerSecond: number; clientCpu: number; redisCpu: number; p99: number };
  runs: EnqueueRun[];
}

/** The keep-or-replace verdict, with the per-run ratios it rests on. */
export interface EnqueueDecision {
  /** Per run: arm 1's throughput ÷ the best BullMQ-API arm's in that run. */
  throughputRatios: number[];
  /** Per run: arm 1's client CPU per call ÷ the lowest BullMQ-API arm's in that run. */
  clientCpuRatios: number[];
  bestBullmqArm: EnqueueArmName;
  scriptEarnsItsKeep: boolean;
  reason: string;
}

/** Everything the enqueue scenario reports. */
export interface EnqueueResult {
  calls: number;
  callers: number;
  replayShare: number;
  runs: number;
  dedupeTtlMs: number;
  redis: 'private' | 'shared';
  jobBytes: number;
  arms: EnqueueArmSummary[];
  decision: EnqueueDecision;
}

/** Runs one request against a child, failing at once when the child reports an error or exits. */
function asker(child: BenchChild, arm: string) {
  const failed = child.next<{ message: string }>('error').then((m) => {
    throw new Error(`enqueue child (${arm}): ${m.message}`);
  });
  failed.catch(() => undefined);
  return <T>(message: object, reply: string) => Promise.race([child.request<T>(message, reply), failed]);
}

async function commandDelta(redis: Redis, before: Record<string, { calls: number; usec: number }>, calls: number): Promise<Record<string, number>> {
  const after = await redisCommandStats(redis);
  const perCall: Record<string, number> = {};
  for (const [name, stat] of Object.entries(after)) {
    const n = stat.calls - (before[name]?.calls ?? 0);
    // The bench's own INFO reads are not the arm's.
    if (n > 0 && name !== 'info') perCall[name] = Math.round((n / calls) * 1000) / 1000;
  }
  return perCall;
}

/** Checks what the run left in Redis against the plan; throws, naming every problem, when anything is off. */
async function verifyRun(redis: Redis, arm: EnqueueArmName, prefix: string, salt: string, result: EnqueueChildResult): Promise<void> {
  const problems: string[] = [];
  if (result.failed > 0) problems.push(`${result.failed} call(s) failed`);
  if (result.wrong > 0) problems.push(`${result.wrong} call(s) answered the wrong way`);
  if (result.enqueuedRight !== result.newJobs) problems.push(`${result.enqueuedRight} of ${result.newJobs} new jobs answered enqueued`);
  if (result.duplicateRight !== result.replays) problems.push(`${result.duplicateRight} of ${result.replays} replays answered duplicate`);
  const base = `${queueKeyPrefix(prefix)}:${KICK_EVENTS_QUEUE}`;
  const expected = Array.from({ length: result.newJobs }, (_, k) => idOf(salt, k + 1));
  const expectedSet = new Set(expected);
  const wait = await redis.lrange(`${base}:wait`, 0, -1);
  const seen = new Set<string>();
  let twice = 0;
  let unexpected = 0;
  for (const id of wait) {
    if (seen.has(id)) twice++;
    seen.add(id);
    if (!expectedSet.has(id)) unexpected++;
  }
  const missing = expected.filter((id) => !seen.has(id)).length;
  if (twice || unexpected || missing) problems.push(`wait list: ${wait.length} entries for ${expected.length} new jobs (${missing} missing, ${twice} twice, ${unexpected} unexpected)`);
  let withoutKeys = 0;
  for (let i = 0; i < expected.length; i += 5_000) {
    const pipeline = redis.pipeline();
    for (const id of expected.slice(i, i + 5_000)) pipeline.exists(`${base}:${id}`, `${base}:de:${id}`);
    for (const [error, count] of (await pipeline.exec()) ?? []) if (error || count !== 2) withoutKeys++;
  }
  if (withoutKeys) problems.push(`${withoutKeys} new job(s) without their job hash or dedupe key`);
  const step = Math.max(1, Math.floor(expected.length / 50));
  for (let k = 0; k < expected.length; k += step) {
    const id = expected[k]!;
    const data = await redis.hget(`${base}:${id}`, 'data');
    const job = JSON.parse(data ?? 'null') as { messageId?: string; payload?: { message_id?: string } } | null;
    if (job?.messageId !== id || job.payload?.message_id !== id) {
      problems.push(`job ${id} holds the wrong data`);
      break;
    }
  }
  if (problems.length) throw new Error(`enqueue bench: arm ${ENQUEUE_ARM_LABELS[arm]} did not answer correctly: ${problems.join('; ')}${result.examples.length ? ` — e.g. ${result.examples.join(' | ')}` : ''}`);
}

/** Runs the enqueue scenario. */
export async function runEnqueue(options: EnqueueOptions): Promise<EnqueueResult> {
  const { log } = options;
  let ownRedis: PrivateRedis | undefined;
  if (options.redis === 'private') ownRedis = await startPrivateRedis();
  const redisUrl = ownRedis?.url ?? options.redisUrl;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const children = new Map<EnqueueArmName, { child: BenchChild; ask: ReturnType<typeof asker> }>();
  const prefixes: string[] = [];
  try {
    const profileDirs = new Map<EnqueueArmName, string>();
    for (const arm of ENQUEUE_ARMS) {
      const profileDir = join(CACHE_DIR, 'profiles', `enqueue-${arm}-${Date.now()}`);
      if (options.profile) {
        mkdirSync(profileDir, { recursive: true });
        profileDirs.set(arm, profileDir);
      }
      const execArgv = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
      const child = startChild('enqueueChild.ts', { REDIS_URL: redisUrl, BENCH_ENQUEUE_ARM: arm }, { execArgv });
      children.set(arm, { child, ask: asker(child, arm) });
    }
    await Promise.all([...children.values()].map(({ child }) => child.next('ready')));
    log(`enqueue: ${options.redis === 'private' ? `private redis-server (${redisUrl})` : redisUrl}, ${options.callers} callers, ${Math.round(100 / options.replayEvery)}% replays`);

    const once = async (arm: EnqueueArmName, calls: number) => {
      const { ask } = children.get(arm)!;
      const prefix = `kc-bench-enq-${randomBytes(4).toString('hex')}`;
      prefixes.push(prefix);
      const salt = randomBytes(4).toString('hex').toUpperCase();
      const command: EnqueuePrepareCommand = { type: 'prepare', prefix, salt, calls, callers: options.callers, replayEvery: options.replayEvery, dedupeTtlMs: options.dedupeTtlMs };
      await ask(command, 'prepared');
      const commandsBefore = await redisCommandStats(redis);
      const cpuBefore = await redisCpuMicros(redis);
      const result = await ask<EnqueueChildResult>({ type: 'run' }, 'result');
      const redisCpu = (await redisCpuMicros(redis)) - cpuBefore;
      const commands = await commandDelta(redis, commandsBefore, result.calls);
      await verifyRun(redis, arm, prefix, salt, result);
      await wipePrefix(redis, prefix);
      return { result, redisCpu, commands };
    };

    log(`enqueue: warming up (${options.warmupCalls.toLocaleString('en-US')} calls per arm, verified)…`);
    for (const arm of ENQUEUE_ARMS) await once(arm, options.warmupCalls);

    const runs: EnqueueRun[] = [];
    const firstWindows = new Map<EnqueueArmName, { fromUs: number; toUs: number }>();
    for (let r = 1; r <= options.runs; r++) {
      const order = r % 2 === 1 ? [...ENQUEUE_ARMS] : [...ENQUEUE_ARMS].reverse();
      for (const [position, arm] of order.entries()) {
        const { result, redisCpu, commands } = await once(arm, options.calls);
        if (!firstWindows.has(arm)) firstWindows.set(arm, result.window);
        const run: EnqueueRun = {
          arm,
          run: r,
          position: position + 1,
          calls: result.calls,
          newJobs: result.newJobs,
          replays: result.replays,
          elapsedMs: result.elapsedMs,
          callsPerSecond: (result.calls / result.elapsedMs) * 1000,
          clientCpuMicrosPerCall: result.cpuMicros / result.calls,
          redisCpuMicrosPerCall: redisCpu / result.calls,
          redisCommandsPerCall: commands,
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
        };
        runs.push(run);
        log(
          `enqueue run ${r}/${options.runs} ${ENQUEUE_ARM_LABELS[arm].padEnd(46)} ${Math.round(run.callsPerSecond).toLocaleString('en-US').padStart(7)} calls/s  p50 ${run.p50.toFixed(2)} ms  p99 ${run.p99.toFixed(2)} ms  client ${run.clientCpuMicrosPerCall.toFixed(1)} µs/call  redis ${run.redisCpuMicrosPerCall.toFixed(1)} µs/call  ${JSON.stringify(commands)}  verified: ${result.newJobs} new once, ${result.replays} replays duplicate`,
        );
      }
    }

    if (options.profile) {
      // A child writes its profile when it exits; the main thread's is thread 0 (tsx's loader thread writes one too).
      await Promise.all([...children.values()].map(({ child }) => child.stop()));
      for (const [arm, dir] of profileDirs) {
        const pid = children.get(arm)!.child.pid;
        const file = readdirSync(dir).find((f) => f.includes(`.${pid}.0.`));
        if (!file) {
          log(`enqueue: no CPU profile of ${arm} (pid ${pid}) in ${dir}`);
          continue;
        }
        log(`\nenqueue ${ENQUEUE_ARM_LABELS[arm]} — CPU profile of its first timed run (${join(dir, file)}):`);
        for (const line of cpuProfileSummary(readCpuProfile(join(dir, file)), { rows: 15, ...(firstWindows.has(arm) ? { window: firstWindows.get(arm)! } : {}) })) log(line);
      }
    }

    const runsOf = (arm: EnqueueArmName) => runs.filter((x) => x.arm === arm);
    const medianOf = (arm: EnqueueArmName, pick: (x: EnqueueRun) => number) => median(runsOf(arm).map(pick));
    const script = {
      callsPerSecond: medianOf('script', (x) => x.callsPerSecond),
      clientCpu: medianOf('script', (x) => x.clientCpuMicrosPerCall),
      redisCpu: medianOf('script', (x) => x.redisCpuMicrosPerCall),
      p99: medianOf('script', (x) => x.p99),
    };
    const arms: EnqueueArmSummary[] = ENQUEUE_ARMS.map((arm) => {
      const callsPerSecond = medianOf(arm, (x) => x.callsPerSecond);
      const clientCpuMicrosPerCall = medianOf(arm, (x) => x.clientCpuMicrosPerCall);
      const redisCpuMicrosPerCall = medianOf(arm, (x) => x.redisCpuMicrosPerCall);
      const p99 = medianOf(arm, (x) => x.p99);
      return {
        arm,
        label: ENQUEUE_ARM_LABELS[arm],
        callsPerSecond,
        clientCpuMicrosPerCall,
        redisCpuMicrosPerCall,
        p50: medianOf(arm, (x) => x.p50),
        p99,
        vsScript: { callsPerSecond: callsPerSecond / script.callsPerSecond, clientCpu: clientCpuMicrosPerCall / script.clientCpu, redisCpu: redisCpuMicrosPerCall / script.redisCpu, p99: p99 / script.p99 },
        runs: runsOf(arm),
      };
    });

    const bullmqArms = ENQUEUE_ARMS.filter((a) => a !== 'script');
    const throughputRatios: number[] = [];
    const clientCpuRatios: number[] = [];
    for (let r = 1; r <= options.runs; r++) {
      const inRun = runs.filter((x) => x.run === r);
      const mine = inRun.find((x) => x.arm === 'script')!;
      const theirs = inRun.filter((x) => x.arm !== 'script');
      throughputRatios.push(mine.callsPerSecond / Math.max(...theirs.map((x) => x.callsPerSecond)));
      clientCpuRatios.push(mine.clientCpuMicrosPerCall / Math.min(...theirs.map((x) => x.clientCpuMicrosPerCall)));
    }
    const bestBullmqArm = bullmqArms.reduce((best, arm) => (medianOf(arm, (x) => x.callsPerSecond) > medianOf(best, (x) => x.callsPerSecond) ? arm : best));
    const byThroughput = throughputRatios.every((x) => x >= ENQUEUE_CLEAR_MARGIN.throughputAtLeast);
    const byCpu = clientCpuRatios.every((x) => x <= ENQUEUE_CLEAR_MARGIN.clientCpuAtMost);
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
    const reason =
      byThroughput || byCpu
        ? `in every run ${[byThroughput ? `throughput ${list(throughputRatios)}× the best BullMQ-API arm (≥ ${ENQUEUE_CLEAR_MARGIN.throughputAtLeast})` : '', byCpu ? `client CPU ${list(clientCpuRatios)}× the lowest BullMQ-API arm's (≤ ${ENQUEUE_CLEAR_MARGIN.clientCpuAtMost})` : ''].filter(Boolean).join(' and ')}`
        : `not in every run: throughput ${list(throughputRatios)}× (needs ≥ ${ENQUEUE_CLEAR_MARGIN.throughputAtLeast}), client CPU ${list(clientCpuRatios)}× (needs ≤ ${ENQUEUE_CLEAR_MARGIN.clientCpuAtMost})`;
    const sampleJob = benchJobs('00000000', 1, { json: true, data: false })[0]!;
    return {
      calls: options.calls,
      callers: options.callers,
      replayShare: enqueuePlan(options.calls, options.callers, options.replayEvery).replays / options.calls,
      runs: options.runs,
      dedupeTtlMs: options.dedupeTtlMs,
      redis: options.redis,
      jobBytes: Buffer.byteLength(sampleJob.json),
      arms,
      decision: { throughputRatios, clientCpuRatios, bestBullmqArm, scriptEarnsItsKeep: byThroughput || byCpu, reason },
    };
  } finally {
    await Promise.allSettled([...children.values()].map(({ child }) => child.stop()));
    for (const prefix of prefixes) await wipePrefix(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await ownRedis?.stop();
  }
}
