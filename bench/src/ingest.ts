/**
 * Scenario 1 — webhook ingest. One web process (real Postgres + Redis, fresh database and queue prefix),
 * the bare node:http and Express 5 baselines, and one load generator, each in its own process. Runs
 * are interleaved (node:http, Express, web, × runs) so drift hits all three alike. After each web run:
 * every accepted delivery must be in the queue exactly once, and a replayed sample must be answered
 * `duplicate` without being enqueued again; then the queue's keys are wiped for the next run.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTestDatabase } from '@kickcord/db/testing';
import { KICK_EVENTS_QUEUE, queueKeyPrefix } from '@kickcord/queue';
import { WEB_NODE_FLAGS } from '@kickcord/web';
import { Redis } from 'ioredis';
import { startChild, type BenchChild } from './child.ts';
import { Outcome, type LoadRunCommand, type LoadRunResult } from './loadgen.ts';
import { CACHE_DIR, ensurePool, type Pool } from './pool.ts';
import { wipePrefix } from './redisKeys.ts';
import { median, type LatencySummary } from './stats.ts';

/** Settings of the ingest scenario. */
export interface IngestOptions {
  seconds: number;
  runs: number;
  connections: number;
  warmupSeconds: number;
  poolSize: number;
  replaySample: number;
  redisUrl: string;
  log: (line: string) => void;
}

/** One measured run against one server. */
export interface IngestRun {
  perSecond: number;
  completed: number;
  elapsedMs: number;
  latency: LatencySummary;
  byStatus: Record<string, number>;
  peakRssBytes: number;
  /** Server CPU time (user + system) per request: robust against other load on the machine. */
  cpuMicrosPerRequest: number;
  /** CPU µs per request by thread name (main thread = the process name; V8/libuv helpers by theirs). */
  threadMicrosPerRequest: Record<string, number>;
  poolExhausted: boolean;
}

/** Verification of one web run. */
export interface IngestVerification {
  accepted: number;
  inQueue: number;
  lost: number;
  duplicatesInQueue: number;
  unexpectedInQueue: number;
  refused: number;
  replayed: number;
  replayAnsweredDuplicate: number;
  replayEnqueued: number;
}

/** Medians over the runs for one server. */
export interface IngestSummary {
  name: string;
  perSecond: number;
  p50: number;
  p99: number;
  peakRssBytes: number;
  cpuMicrosPerRequest: number;
  runs: IngestRun[];
}

/** Everything scenario 1 reports. */
export interface IngestResult {
  web: IngestSummary & { vmHwmBytes: number | undefined; verifications: IngestVerification[] };
  express: IngestSummary;
  nodeHttp: IngestSummary;
  connections: number;
  seconds: number;
  poolSize: number;
  bodyBytes: number;
}

async function waitList(redis: Redis, prefix: string): Promise<string[]> {
  return redis.lrange(`${queueKeyPrefix(prefix)}:${KICK_EVENTS_QUEUE}:wait`, 0, -1);
}

function summarizeRuns(name: string, runs: IngestRun[]): IngestSummary {
  return {
    name,
    perSecond: median(runs.map((r) => r.perSecond)),
    p50: median(runs.map((r) => r.latency.p50)),
    p99: median(runs.map((r) => r.latency.p99)),
    peakRssBytes: Math.max(0, ...runs.map((r) => r.peakRssBytes)),
    cpuMicrosPerRequest: median(runs.map((r) => r.cpuMicrosPerRequest)),
    runs,
  };
}

async function measure(loadgen: BenchChild, server: BenchChild, command: Omit<LoadRunCommand, 'type'>): Promise<{ result: LoadRunResult; peakRssBytes: number; cpuMicrosPerRequest: number; threads: Record<string, number> }> {
  await server.request({ type: 'resetPeak' }, 'peakReset');
  const result = await loadgen.request<LoadRunResult>({ type: 'run', ...command }, 'result');
  const memory = await server.request<{ peak: number; cpuMicros: number; heapUsed: number; threads: Record<string, number> }>({ type: 'memory' }, 'memory');
  if (process.env.BENCH_DEBUG) console.log(`  heap used after run: ${(memory.heapUsed / 2 ** 20).toFixed(0)} MB`);
  const n = Math.max(1, result.completed);
  const threads = Object.fromEntries(Object.entries(memory.threads).map(([k, v]) => [k, Math.round(v / n)]));
  return { result, peakRssBytes: memory.peak, cpuMicrosPerRequest: memory.cpuMicros / n, threads };
}

async function verifyRun(redis: Redis, prefix: string, pool: Pool, result: LoadRunResult, loadgen: BenchChild, port: number, options: IngestOptions): Promise<IngestVerification> {
  const outcomes = Buffer.from(result.outcomes ?? '', 'base64');
  const accepted = new Set<string>();
  const acceptedIdx: number[] = [];
  let refused = 0;
  outcomes.forEach((o, i) => {
    if (o === Outcome.Enqueued) {
      accepted.add(pool.id(i));
      acceptedIdx.push(i);
    } else if (o !== Outcome.NotSent) refused++;
  });
  const ids = await waitList(redis, prefix);
  const seen = new Set<string>();
  let duplicatesInQueue = 0;
  let unexpectedInQueue = 0;
  for (const id of ids) {
    if (seen.has(id)) duplicatesInQueue++;
    seen.add(id);
    if (!accepted.has(id)) unexpectedInQueue++;
  }
  let lost = 0;
  for (const id of accepted) if (!seen.has(id)) lost++;

  // Replay a sample of accepted deliveries: each must be answered `duplicate`, nothing enqueued.
  const step = Math.max(1, Math.floor(acceptedIdx.length / options.replaySample));
  const sample = acceptedIdx.filter((_, k) => k % step === 0).slice(0, options.replaySample);
  const replay = await loadgen.request<LoadRunResult>({ type: 'run', port, connections: Math.min(options.connections, 16), seconds: 120, from: 0, to: 0, wrap: false, indices: sample }, 'result');
  const after = await redis.llen(`${queueKeyPrefix(prefix)}:${KICK_EVENTS_QUEUE}:wait`);
  return {
    accepted: accepted.size,
    inQueue: ids.length,
    lost,
    duplicatesInQueue,
    unexpectedInQueue,
    refused,
    replayed: sample.length,
    replayAnsweredDuplicate: replay.counts.duplicate,
    replayEnqueued: replay.counts.enqueued + (after - ids.length),
  };
}

/** Runs scenario 1. */
export async function runIngest(options: IngestOptions): Promise<IngestResult> {
  const { log } = options;
  const pool = await ensurePool(options.poolSize, 2, log);
  const db = await createTestDatabase();
  const prefix = `kc-bench-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const children: BenchChild[] = [];
  try {
    const web = startChild(process.env.BENCH_WEB_SCRIPT ?? 'servers/web.ts', {
      DATABASE_URL: db.url,
      REDIS_URL: options.redisUrl,
      PUBLIC_URL: 'http://127.0.0.1:3000',
      KICK_CLIENT_ID: 'bench-client',
      KICK_CLIENT_SECRET: 'bench-secret',
      KICK_API_URL: 'http://127.0.0.1:9',
      KICK_AUTH_URL: 'http://127.0.0.1:9',
      KICK_WEBHOOK_PUBLIC_KEY: pool.publicKeyPem,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'info',
      BENCH_QUEUE_PREFIX: prefix,
    }, {
      execArgv: [
        // The flags `pnpm start:web` runs with (V8 young-generation size: RSS).
        ...WEB_NODE_FLAGS,
        ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(CACHE_DIR, 'profiles')}`] : []),
        // e.g. BENCH_WEB_NODE_ARGS="--max-semi-space-size=2" to try V8 settings on the web process (later flags win).
        ...(process.env.BENCH_WEB_NODE_ARGS ?? '').split(' ').filter(Boolean),
      ],
    });
    const express = startChild('servers/bareExpress.ts');
    const nodeHttp = startChild('servers/bareHttp.ts');
    const loadgen = startChild('loadgen.ts');
    children.push(web, express, nodeHttp, loadgen);
    const [webPort, expressPort, nodePort] = await Promise.all([web, express, nodeHttp].map((c) => c.next<{ port: number }>('listening').then((m) => m.port)));
    await loadgen.request({ type: 'load' }, 'loaded');
    const servers = [
      { name: 'bare node:http', child: nodeHttp, port: nodePort!, runs: [] as IngestRun[] },
      { name: 'bare Express 5', child: express, port: expressPort!, runs: [] as IngestRun[] },
      { name: 'kickcord web', child: web, port: webPort!, runs: [] as IngestRun[] },
    ];
    // BENCH_SERVERS=web (comma list of node,express,web) measures only some servers, e.g. while profiling.
    const only = process.env.BENCH_SERVERS?.split(',').map((x) => x.trim());
    if (only) servers.splice(0, servers.length, ...servers.filter((s) => only.some((o) => s.name.toLowerCase().includes(o.toLowerCase()))));
    const verifications: IngestVerification[] = [];
    const base = { connections: options.connections, from: 0, to: pool.size };

    log(`ingest: warming up (${options.warmupSeconds} s each)…`);
    for (const s of servers) {
      const isWeb = s.child === web;
      await measure(loadgen, s.child, { ...base, port: s.port, seconds: options.warmupSeconds, wrap: !isWeb, to: isWeb ? Math.min(pool.size, 20_000) : pool.size });
    }
    await wipePrefix(redis, prefix);

    for (let r = 1; r <= options.runs; r++) {
      for (const s of servers) {
        const isWeb = s.child === web;
        const { result, peakRssBytes, cpuMicrosPerRequest, threads } = await measure(loadgen, s.child, { ...base, port: s.port, seconds: options.seconds, wrap: !isWeb });
        s.runs.push({ perSecond: result.perSecond, completed: result.completed, elapsedMs: result.elapsedMs, latency: result.latency, byStatus: result.byStatus, peakRssBytes, cpuMicrosPerRequest, threadMicrosPerRequest: threads, poolExhausted: result.poolExhausted });
        const note = result.poolExhausted ? ` (pool of ${pool.size} exhausted after ${(result.elapsedMs / 1000).toFixed(1)} s — raise BENCH_POOL)` : '';
        log(`ingest run ${r}/${options.runs} ${s.name.padEnd(15)} ${Math.round(result.perSecond).toLocaleString('en-US').padStart(7)} req/s  p50 ${result.latency.p50.toFixed(2)} ms  p99 ${result.latency.p99.toFixed(2)} ms  rss ${(peakRssBytes / 2 ** 20).toFixed(0)} MB  cpu ${cpuMicrosPerRequest.toFixed(0)} µs/req ${JSON.stringify(threads)}  ${JSON.stringify(result.byStatus)}${note}`);
        if (isWeb) {
          const v = await verifyRun(redis, prefix, pool, result, loadgen, s.port, options);
          verifications.push(v);
          log(`  verify: accepted ${v.accepted}, in queue ${v.inQueue}, lost ${v.lost}, duplicates ${v.duplicatesInQueue}, unexpected ${v.unexpectedInQueue}, refused ${v.refused}; replayed ${v.replayed}: ${v.replayAnsweredDuplicate} answered duplicate, ${v.replayEnqueued} enqueued`);
          await wipePrefix(redis, prefix);
        }
      }
    }
    const runsOf = (name: string) => servers.find((s) => s.name === name)?.runs ?? [];
    return {
      web: { ...summarizeRuns('kickcord web', runsOf('kickcord web')), vmHwmBytes: web.vmHwm(), verifications },
      express: summarizeRuns('bare Express 5', runsOf('bare Express 5')),
      nodeHttp: summarizeRuns('bare node:http', runsOf('bare node:http')),
      connections: options.connections,
      seconds: options.seconds,
      poolSize: pool.size,
      bodyBytes: Buffer.byteLength(pool.body(0)),
    };
  } finally {
    await Promise.allSettled(children.map((c) => c.stop()));
    await wipePrefix(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await db.drop().catch(() => undefined);
  }
}
