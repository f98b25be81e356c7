/**
 * `pnpm bench`: webhook ingest (beside bare node:http and bare Express 5 baselines), how the web's job writer
 * (KickEventEnqueuer's Lua script) compares with BullMQ's own Queue.addBulk / Queue.add, the bot's chat
 * throughput (one bot worker process beside a bare BullMQ worker, two workers, one worker with chat filters on,
 * PostgreSQL statements per chat message), end-to-end Kick → Discord latency, the watchtime tick (bench/tick.ts) and OBS overlay
 * delivery (1,000 SSE clients over 100 guilds on one web process: alert latency and the process's RSS). Prints a table,
 * writes bench/results.json.
 *
 *   pnpm bench                                   # 3 × 10 s ingest runs, 3 × 20,000 chat jobs per bot drain (medians), 1,000 e2e events
 *   pnpm bench --quick                           # smoke run: 1 × 2 s, 1 × 5,000 chat jobs, 200 e2e events
 *   BENCH_SKIP=ingest,e2e,tick,enqueue pnpm bench  # one section alone (here: bot)
 *   BENCH_SKIP=ingest,e2e,tick,bot pnpm bench --quick  # the enqueue section alone
 *   BENCH_SECONDS=10 BENCH_RUNS=3 pnpm bench     # the knobs behind the defaults
 *
 * More knobs: BENCH_CONNECTIONS (keep-alive sockets = requests in flight, default 32), BENCH_POOL
 * (pre-signed deliveries, default 16,000 × seconds), BENCH_BOT_JOBS (chat jobs per bot drain, default
 * 20,000), BENCH_BOT_WARMUP (untimed jobs before each drain, 500), BENCH_BOT_CHANNELS (50),
 * BENCH_BOT_VIEWERS (1,000), BENCH_BOT_CONCURRENCY (WORKER_CONCURRENCY, 16), BENCH_BOT_LOG_STATEMENTS=1 (every
 * statement of the bot's scratch database into PostgreSQL's server log), BENCH_BOT_DRAINS (which bot drains run:
 * noop,one,filters,two,twoNoop; default all), BENCH_E2E_EVENTS,
 * BENCH_E2E_RATE (events/s, 100), BENCH_ENQUEUE_CALLS (calls per enqueue run, 40,000; quick 10,000),
 * BENCH_ENQUEUE_CALLERS (concurrent callers, 32), BENCH_ENQUEUE_REDIS=shared (REDIS_URL instead of a private
 * redis-server, whose CPU counts only the section's commands), BENCH_OVERLAY_CLIENTS (1,000), BENCH_OVERLAY_GUILDS (100),
 * BENCH_OVERLAY_BURSTS (20; quick 5), BENCH_OVERLAY_ALERTS (alerts per guild per burst, 3), BENCH_SKIP (comma list of
 * ingest,enqueue,bot,e2e,tick,overlays), BENCH_SERVERS
 * (node,express,web), BENCH_PROFILE=1 (CPU profiles of the web process, of each enqueue arm, and of a bot worker and the
 * no-op worker into bench/.cache/profiles; the bot's are summarised for their drain window, see bench/src/cpuTop.ts),
 * REDIS_URL, TEST_DATABASE_URL. BENCH_RUNS also sets the bot's drains of each kind and the enqueue runs of each arm.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { DEDUPE_TTL_MARGIN_MS, DEFAULT_WEBHOOK_MAX_AGE_SECONDS } from '@kickcord/web';
import { BOT_DRAIN_KINDS, runBot, type BotDrainKind, type BotResult } from './src/bot.ts';
import { startChild } from './src/child.ts';
import { runE2e, type E2eResult } from './src/e2e.ts';
import { ENQUEUE_CLEAR_MARGIN, runEnqueue, type EnqueueResult } from './src/enqueue.ts';
import { runIngest, type IngestResult } from './src/ingest.ts';
import { runOverlays, type OverlaysResult } from './src/overlays.ts';
import { BENCH_DIR } from './src/pool.ts';
import { histogramLines, median } from './src/stats.ts';
import type { TickResult } from './src/tickChild.ts';

const TARGETS = {
  ingestPerSecond: 10_000,
  ingestP99Ms: 15,
  botRatio: 0.5,
  botPgStatementsPerChatMessage: 0.01,
  botFiltersOnVsOff: 0.8,
  e2eP99Ms: 250,
  tickSeconds: 2,
  webRssBytes: 150 * 2 ** 20,
  overlaysP99Ms: 200,
} as const;

const quick = process.argv.includes('--quick');
const num = (name: string, fallback: number) => {
  const v = process.env[name];
  return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : fallback;
};
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()));
const seconds = num('BENCH_SECONDS', quick ? 2 : 10);
const runs = num('BENCH_RUNS', quick ? 1 : 3);
const connections = num('BENCH_CONNECTIONS', 32);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = (line: string) => console.log(line);
const loadBefore = loadavg()[0]!;
const startedAt = new Date();

let ingest: IngestResult | undefined;
if (!skip.has('ingest')) {
  ingest = await runIngest({
    seconds,
    runs,
    connections,
    warmupSeconds: quick ? 1 : 2,
    poolSize: num('BENCH_POOL', Math.max(30_000, seconds * 16_000)),
    replaySample: 1_000,
    redisUrl,
    log,
  });
}

let enqueue: EnqueueResult | undefined;
if (!skip.has('enqueue')) {
  const calls = num('BENCH_ENQUEUE_CALLS', quick ? 10_000 : 40_000);
  enqueue = await runEnqueue({
    calls,
    warmupCalls: Math.min(calls, quick ? 2_000 : 5_000),
    callers: num('BENCH_ENQUEUE_CALLERS', 32),
    replayEvery: 10,
    runs,
    // The web's dedupe window at its default maximum delivery age.
    dedupeTtlMs: DEFAULT_WEBHOOK_MAX_AGE_SECONDS * 1000 + DEDUPE_TTL_MARGIN_MS,
    redis: process.env.BENCH_ENQUEUE_REDIS === 'shared' ? 'shared' : 'private',
    redisUrl,
    profile: Boolean(process.env.BENCH_PROFILE),
    log,
  });
}

/** BENCH_BOT_DRAINS: which of the bot scenario's drains run (comma list; default all). */
function botDrains(): BotDrainKind[] {
  const raw = process.env.BENCH_BOT_DRAINS;
  if (!raw) return [...BOT_DRAIN_KINDS];
  const kinds = raw.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !(BOT_DRAIN_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`BENCH_BOT_DRAINS: unknown drain ${unknown.join(', ')} (known: ${BOT_DRAIN_KINDS.join(', ')})`);
  return kinds as BotDrainKind[];
}

let bot: BotResult | undefined;
if (!skip.has('bot')) {
  bot = await runBot({
    jobs: num('BENCH_BOT_JOBS', quick ? 5_000 : 20_000),
    warmupJobs: num('BENCH_BOT_WARMUP', 500),
    channels: num('BENCH_BOT_CHANNELS', 50),
    viewers: num('BENCH_BOT_VIEWERS', 1_000),
    concurrency: num('BENCH_BOT_CONCURRENCY', 16),
    repetitions: runs,
    redisUrl,
    profile: Boolean(process.env.BENCH_PROFILE),
    logStatements: process.env.BENCH_BOT_LOG_STATEMENTS === '1',
    drains: botDrains(),
    log,
  });
}

let e2e: E2eResult | undefined;
if (!skip.has('e2e')) {
  e2e = await runE2e({
    events: num('BENCH_E2E_EVENTS', quick ? 200 : 1_000),
    channels: num('BENCH_E2E_CHANNELS', 50),
    ratePerSecond: num('BENCH_E2E_RATE', 100),
    warmupEvents: quick ? 40 : 100,
    // Discord lets one bot send 50 requests/s in all (discord.js enforces it): at 100 events/s, a mix
    // where 40% are announced stays under it; "every event announced" shows what the limit does.
    phases: [
      { name: 'mixed: 40% follows announced, 60% chat', followShare: 0.4 },
      { name: 'every event announced (over Discord’s 50/s)', followShare: 1 },
    ],
    redisUrl,
    log,
  });
}

let tick: TickResult | undefined;
let tickNote = 'not available (bench/tick.ts is missing)';
if (!skip.has('tick') && existsSync(join(BENCH_DIR, 'tick.ts'))) {
  log('tick: running bench/tick.ts…');
  const child = startChild('tickChild.ts', {}, { quiet: false });
  const reply = await child.next<{ result?: TickResult; error?: string }>('tick').catch((error: Error) => ({ error: error.message, result: undefined }));
  await child.stop();
  if (reply.result) tick = reply.result;
  else tickNote = `failed: ${reply.error?.split('\n')[0]}`;
} else if (skip.has('tick')) tickNote = 'skipped';

let overlays: OverlaysResult | undefined;
if (!skip.has('overlays')) {
  overlays = await runOverlays({
    clients: num('BENCH_OVERLAY_CLIENTS', 1_000),
    guilds: num('BENCH_OVERLAY_GUILDS', 100),
    bursts: num('BENCH_OVERLAY_BURSTS', quick ? 5 : 20),
    alertsPerGuild: num('BENCH_OVERLAY_ALERTS', 3),
    redisUrl,
    log,
  });
}

// ───────────────────────────── table ─────────────────────────────
const fmt = (n: number, digits = 0) => Number.isNaN(n) ? 'not run' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mb = (bytes: number) => `${fmt(bytes / 2 ** 20)} MB`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const rows: [string, string, string, string][] = [];
const checks: Record<string, boolean> = {};
if (ingest) {
  const w = ingest.web;
  const v = w.verifications;
  const lost = v.reduce((a, x) => a + x.lost + x.unexpectedInQueue, 0);
  const dupes = v.reduce((a, x) => a + x.duplicatesInQueue + x.replayEnqueued + (x.replayed - x.replayAnsweredDuplicate), 0);
  const accepted = v.reduce((a, x) => a + x.accepted, 0);
  const replayed = v.reduce((a, x) => a + x.replayed, 0);
  checks.ingestThroughput = w.perSecond >= TARGETS.ingestPerSecond;
  checks.ingestP99 = w.p99 <= TARGETS.ingestP99Ms;
  checks.ingestExactlyOnce = lost === 0 && dupes === 0 && accepted > 0;
  checks.webRss = w.peakRssBytes <= TARGETS.webRssBytes;
  const label = `ingest (${runs}×${seconds} s, ${ingest.connections} conns)`;
  rows.push([label, 'kickcord web: deliveries/s', fmt(w.perSecond), `≥ ${fmt(TARGETS.ingestPerSecond)}  ${verdict(checks.ingestThroughput)}`]);
  rows.push(['', 'kickcord web: p50 / p99', `${fmt(w.p50, 2)} / ${fmt(w.p99, 2)} ms`, `p99 ≤ ${TARGETS.ingestP99Ms} ms  ${verdict(checks.ingestP99)}`]);
  rows.push(['', 'kickcord web: peak RSS under load', `${mb(w.peakRssBytes)} (VmHWM ${w.vmHwmBytes ? mb(w.vmHwmBytes) : '?'})`, `≤ ${mb(TARGETS.webRssBytes)}  ${verdict(checks.webRss)}`]);
  rows.push(['', 'accepted → in queue once', `${fmt(accepted)} accepted, ${lost} lost, ${dupes} duplicated`, `zero  ${verdict(checks.ingestExactlyOnce)}`]);
  rows.push(['', 'replayed sample', `${fmt(replayed)} replays → ${fmt(v.reduce((a, x) => a + x.replayAnsweredDuplicate, 0))} "duplicate"`, '']);
  // Baselines are absent (NaN) when BENCH_SERVERS leaves them out.
  const ran = (x: { perSecond: number }) => Number.isFinite(x.perSecond) && x.perSecond > 0;
  if (ran(ingest.nodeHttp)) {
    rows.push(['', 'bare node:http: req/s, p50 / p99', `${fmt(ingest.nodeHttp.perSecond)}  ${fmt(ingest.nodeHttp.p50, 2)} / ${fmt(ingest.nodeHttp.p99, 2)} ms`, `web = ${fmt((100 * w.perSecond) / ingest.nodeHttp.perSecond)}% of it`]);
  }
  if (ran(ingest.express)) {
    checks.ingestAheadOfExpress = w.perSecond > ingest.express.perSecond;
    rows.push(['', 'bare Express 5: req/s, p50 / p99', `${fmt(ingest.express.perSecond)}  ${fmt(ingest.express.p50, 2)} / ${fmt(ingest.express.p99, 2)} ms`, `web = ${fmt(w.perSecond / ingest.express.perSecond, 2)}× it  ${verdict(checks.ingestAheadOfExpress)}`]);
  }
  const cpu = [`web ${fmt(w.cpuMicrosPerRequest)} µs`, ...(ran(ingest.express) ? [`Express ${fmt(ingest.express.cpuMicrosPerRequest)} µs`] : []), ...(ran(ingest.nodeHttp) ? [`node:http ${fmt(ingest.nodeHttp.cpuMicrosPerRequest)} µs`] : [])];
  rows.push(['', 'server CPU per request', cpu.join(' · '), '']);
}
if (enqueue) {
  const ratio = (x: number) => `${fmt(x, 2)}×`;
  enqueue.arms.forEach((a, i) => {
    const label = i === 0 ? `enqueue (${enqueue!.runs}×${fmt(enqueue!.calls)} calls, ${enqueue!.callers} callers, ${fmt(100 * enqueue!.replayShare)}% replays, ${fmt(enqueue!.jobBytes)}-byte jobs, ${enqueue!.redis} Redis)` : '';
    rows.push([
      label,
      `${a.label}: calls/s · p99 · client / Redis CPU per call`,
      `${fmt(a.callsPerSecond)} · ${fmt(a.p99, 2)} ms · ${fmt(a.clientCpuMicrosPerCall, 1)} / ${fmt(a.redisCpuMicrosPerCall, 1)} µs`,
      i === 0 ? 'ratios to (1): 1×' : `${ratio(a.vsScript.callsPerSecond)} · ${ratio(a.vsScript.p99)} · ${ratio(a.vsScript.clientCpu)} / ${ratio(a.vsScript.redisCpu)}`,
    ]);
  });
  const d = enqueue.decision;
  rows.push([
    '',
    `(1) vs best BullMQ arm, per run: throughput · client CPU`,
    `${d.throughputRatios.map((x) => fmt(x, 2)).join(' / ')}× · ${d.clientCpuRatios.map((x) => fmt(x, 2)).join(' / ')}×`,
    `≥ ${ENQUEUE_CLEAR_MARGIN.throughputAtLeast}× or ≤ ${ENQUEUE_CLEAR_MARGIN.clientCpuAtMost}× every run → ${d.scriptEarnsItsKeep ? 'KEEP the script' : 'REPLACE it'}`,
  ]);
}
if (bot) {
  checks.botRatio = bot.ratio >= TARGETS.botRatio;
  checks.botPgStatements = bot.pgStatementsPerChatMessage <= TARGETS.botPgStatementsPerChatMessage;
  checks.botTwoWorkers = bot.twoWorkersJobsPerSecond >= bot.chatJobsPerSecond;
  checks.botFiltersOn = bot.filtersOnVsOff >= TARGETS.botFiltersOnVsOff && bot.pgStatementsPerChatMessageFiltersOn <= TARGETS.botPgStatementsPerChatMessage;
  const unsettled = bot.oneWorker.some((d) => d.pgSettled === false) ? ' (counter still moving at the deadline)' : '';
  const cpuPerJob = (drains: { workerCpuMicrosPerJob: number }[]) => `${fmt(median(drains.map((d) => d.workerCpuMicrosPerJob)))} µs`;
  rows.push([`bot (${bot.repetitions}×${fmt(bot.jobs)} chat jobs, concurrency ${bot.concurrency}, ${bot.channels} channels, ${fmt(bot.viewers)} viewers)`, '1 bot worker process: chat jobs/s', fmt(bot.chatJobsPerSecond), '']);
  rows.push(['', 'bare BullMQ worker, no-op: jobs/s (ceiling)', fmt(bot.noopJobsPerSecond), '']);
  rows.push(['', 'bot ÷ ceiling', fmt(bot.ratio, 2), `≥ ${TARGETS.botRatio}  ${verdict(checks.botRatio)}`]);
  rows.push([
    '',
    'PostgreSQL statements per chat message',
    `${fmt(bot.pgStatementsPerChatMessage, 4)} (${fmt(median(bot.oneWorker.map((d) => d.pgTransactions ?? 0)))} transactions / ${fmt(bot.jobs)})${unsettled}`,
    `≤ ${TARGETS.botPgStatementsPerChatMessage}  ${verdict(checks.botPgStatements)}`,
  ]);
  rows.push([
    '',
    '1 bot worker, chat filters on (links, caps, 20 words, repeats): chat jobs/s',
    `${fmt(bot.chatJobsPerSecondFiltersOn)} (${fmt(bot.filtersOnVsOff, 2)}× off; ${fmt(bot.pgStatementsPerChatMessageFiltersOn, 4)} PostgreSQL statements per message)`,
    `≥ ${TARGETS.botFiltersOnVsOff}× off, ≤ ${TARGETS.botPgStatementsPerChatMessage} statements  ${verdict(checks.botFiltersOn)}`,
  ]);
  rows.push(['', '2 bot worker processes: chat jobs/s', `${fmt(bot.twoWorkersJobsPerSecond)} (${fmt(bot.twoWorkersVsOne, 2)}× one)`, `≥ one worker  ${verdict(checks.botTwoWorkers)}`]);
  rows.push(['', '2 no-op BullMQ worker processes (reference: a second process on this machine)', `${fmt(median(bot.twoNoop.map((d) => d.perSecond)))} (${fmt(bot.twoNoopVsOne, 2)}× one no-op)`, '']);
  rows.push(['', 'worker CPU per job', `bot ${cpuPerJob(bot.oneWorker)} · 2 bots (summed) ${cpuPerJob(bot.twoWorkers)} · no-op ${cpuPerJob(bot.noop)}`, '']);
  rows.push(['', 'Redis server CPU per job (all its clients)', `bot ${fmt(median(bot.oneWorker.map((d) => d.redisCpuMicrosPerJob)))} µs · no-op ${fmt(median(bot.noop.map((d) => d.redisCpuMicrosPerJob)))} µs`, '']);
  if (ingest) {
    const web = ingest.web.perSecond;
    const limit = web > bot.chatJobsPerSecond ? `the bot: web takes in ${fmt(web / bot.chatJobsPerSecond, 1)}× what one worker works off` : `web: one worker works off ${fmt(bot.chatJobsPerSecond / web, 1)}× what web takes in`;
    rows.push(['', 'system limit (web deliveries/s vs bot jobs/s)', `${fmt(web)} vs ${fmt(bot.chatJobsPerSecond)} → ${limit}`, '']);
  }
}
if (e2e) {
  e2e.phases.forEach((phase, i) => {
    const ok = phase.latency.p99 <= TARGETS.e2eP99Ms && phase.lost === 0 && phase.duplicates === 0;
    if (i === 0) checks.e2eP99 = ok;
    const label = i === 0 ? `end to end (${fmt(phase.events)} events @ ${e2e!.ratePerSecond}/s, ${e2e!.channels} channels)` : '';
    rows.push([label, `${phase.name}: p50 / p99`, `${fmt(phase.latency.p50)} / ${fmt(phase.latency.p99)} ms (max ${fmt(phase.latency.max)})`, i === 0 ? `p99 ≤ ${TARGETS.e2eP99Ms} ms  ${verdict(ok)}` : `(${verdict(ok)})`]);
    rows.push(['', '  Kick send → web 200 p50 / p99', `${fmt(phase.ingestAck.p50)} / ${fmt(phase.ingestAck.p99)} ms`, '']);
    rows.push(['', '  announced / lost / duplicated', `${fmt(phase.delivered)} of ${fmt(phase.announced)} / ${phase.lost} / ${phase.duplicates}  (sent at ${fmt(phase.achievedRate)}/s)`, '']);
  });
}
if (tick) {
  // Judged on the slowest tick of the cycle, not the median.
  checks.tick = tick.maxSecondsPerTick <= TARGETS.tickSeconds;
  rows.push([
    `watchtime tick (${fmt(tick.viewers)} viewers / ${fmt(tick.channels)} channels, ${tick.payoutMinutes}-min payouts)`,
    'slowest / median s, statements per tick',
    `${fmt(tick.maxSecondsPerTick, 3)} / ${fmt(tick.secondsPerTick, 3)} s, ${fmt(tick.statementsPerTick)}`,
    `≤ ${TARGETS.tickSeconds} s  ${verdict(checks.tick)}`,
  ]);
} else {
  rows.push(['watchtime tick', `tick: ${tickNote}`, '', '']);
}

if (overlays) {
  const o = overlays;
  checks.overlaysP99 = o.latency.p99 <= TARGETS.overlaysP99Ms && o.lost === 0 && o.duplicates === 0;
  rows.push([`overlays (${fmt(o.clients)} SSE clients, ${o.guilds} guilds, ${o.bursts} bursts × ${o.alertsPerGuild} alerts/guild)`, 'alert publish → client: p50 / p99', `${fmt(o.latency.p50, 1)} / ${fmt(o.latency.p99, 1)} ms (max ${fmt(o.latency.max, 1)})`, `p99 ≤ ${TARGETS.overlaysP99Ms} ms  ${verdict(checks.overlaysP99)}`]);
  rows.push(['', 'delivered / lost / repeated', `${fmt(o.received)} of ${fmt(o.deliveries)} / ${fmt(o.lost)} / ${fmt(o.duplicates)}`, '']);
  rows.push(['', 'web CPU per alert delivered to a client', `${fmt(o.webCpuMicrosPerDelivery, 1)} µs`, '']);
  rows.push(['', 'web RSS: no clients → connected → peak', `${mb(o.webRss.beforeClientsBytes)} → ${mb(o.webRss.connectedBytes)} → ${mb(o.webRss.peakBytes)} (${fmt(o.webRss.perClientBytes / 1024, 1)} KiB per client)`, '']);
}

const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length), ['scenario', 'measure', 'result', 'target'][c]!.length));
const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
console.log('');
console.log(`kickcord bench — ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${fmt(totalmem() / 2 ** 30)} GB, Node ${process.version}; load average ${loadBefore.toFixed(1)} at start${quick ? ' — QUICK run' : ''}`);
console.log(line(['scenario', 'measure', 'result', 'target']));
console.log(widths.map((w) => '─'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
if (ingest) {
  console.log('\nkickcord web latency histogram (last run):');
  for (const l of histogramLines(ingest.web.runs[ingest.web.runs.length - 1]!.latency)) console.log(l);
}
for (const phase of e2e?.phases ?? []) {
  console.log(`\nend-to-end latency histogram — ${phase.name}:`);
  for (const l of histogramLines(phase.latency)) console.log(l);
}
if (overlays) {
  console.log('\noverlay alert latency histogram (publish → SSE client):');
  for (const l of histogramLines(overlays.latency)) console.log(l);
}

writeFileSync(
  join(BENCH_DIR, 'results.json'),
  `${JSON.stringify(
    {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      quick,
      settings: { seconds, runs, connections },
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryBytes: totalmem(), node: process.version, loadAverageAtStart: loadBefore },
      targets: TARGETS,
      checks,
      ingest,
      enqueue: enqueue ?? { note: skip.has('enqueue') ? 'skipped' : 'not run' },
      bot: bot ?? { note: skip.has('bot') ? 'skipped' : 'not run' },
      e2e,
      tick: tick ?? { note: tickNote },
      overlays: overlays ?? { note: skip.has('overlays') ? 'skipped' : 'not run' },
    },
    null,
    2,
  )}\n`,
);
console.log('\nwrote bench/results.json');
