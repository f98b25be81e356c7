/**
 * (One file of ~500 lines on purpose: setup, the three drains and the statement count read top to bottom as one
 * scenario, and nothing here is shared with another bench section.)
 *
 * Scenario "bot": how fast the real bot works off Kick chat. One bot worker process (apps/bot with
 * BOT_ROLE=worker: Kick event jobs over REST only, no Discord gateway) drains a queue of plain chat messages;
 * a bare BullMQ worker with a no-op processor drains the same kind of queue on the same Redis with the same
 * concurrency (the ceiling); two bot worker processes share one queue; one bot worker drains the same messages
 * with every owner guild's chat filters on (links, caps, 20 banned words, repeats: {@link FILTER_RULES}); and
 * PostgreSQL's own transaction counter tells how many statements a chat message costs once the caches are warm.
 *
 * Setup: a scratch database with `channels` Kick channels, each owned (GuildChannelLink `owner`) by a guild of
 * its own with settings and an active `chat.message.sent` KickSubscription; every 5th channel is also watched
 * by a second guild. `viewers` distinct viewers chat, each in one channel. Jobs are written the way apps/web
 * writes them (KickEventEnqueuer + kickEventJobJson, jobId = Kick message id), into a fresh key prefix
 * (QUEUE_PREFIX) per drain. Kick and Discord point at a closed port: a plain chat message needs neither, and
 * a call would fail its job — and the bench with it.
 *
 * Each drain: start the worker process(es); work off `warmupJobs` (caches filled, code warm; not timed);
 * pause the queue, enqueue `jobs`, resume. Throughput = jobs / (first job taken → last job finished), from
 * the jobs' own `processedOn` / `finishedOn`. A failed (or retrying) job fails the bench.
 *
 * Statements: PostgreSQL's count of transactions in the scratch database (pg_stat_database
 * xact_commit + xact_rollback; every statement Prisma sends outside a transaction block is one) over the
 * one-worker drain, read through the `postgres` database so the reads add none. Backends report their counts
 * late (up to 10 s after going idle), so the drain starts 10 s after the warm-up and ends with the worker
 * process stopped (a backend reports all it has when its connection ends); each reading waits until the
 * counter has not moved for 2 s. The repeatable maintenance jobs are not scheduled (KICKCORD_BOT_SCHEDULE=0):
 * the batched flushes they run are not part of the figure.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultChatFilterConfig, prepareBannedTerm } from '@kickcord/core';
import { createPrismaClient } from '@kickcord/db';
import { createTestDatabase, testServerUrl } from '@kickcord/db/testing';
import { samplePayloads } from '@kickcord/kick';
import { createKickEventsQueue, createRedisConnection, KICK_EVENTS_QUEUE, KickEventEnqueuer, kickEventJobJson, queueKeyPrefix, type KickEventJob, type RedisConnection } from '@kickcord/queue';
import { BOT_CHILD_ENTRY, startBotProcess } from '@kickcord/testkit';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startChild } from './child.ts';
import { cpuProfileSummary, readCpuProfile } from './cpuTop.ts';
import { CACHE_DIR, idOf } from './pool.ts';
import { wipePrefix } from './redisKeys.ts';
import { redisCommandStats, redisCpuMicros } from './redisStats.ts';
import { median } from './stats.ts';

/** Settings of the bot scenario. */
export interface BotBenchOptions {
  /** Chat jobs per timed drain. */
  jobs: number;
  /** Jobs worked off before each timed drain (not timed). */
  warmupJobs: number;
  channels: number;
  viewers: number;
  /** WORKER_CONCURRENCY of every worker process (the no-op worker's too). */
  concurrency: number;
  /** Drains of each kind; the figures are medians. */
  repetitions: number;
  redisUrl: string;
  /** CPU-profile the first one-worker and no-op drains (bench/.cache/profiles) and print where the time went. */
  profile: boolean;
  /** Log every statement of the scratch database to PostgreSQL's server log (log_statement = all), to see what was counted. */
  logStatements?: boolean;
  /** Which drains to run (default all): `noop`, `one` (one bot worker), `filters` (filters on), `two` (two workers), `twoNoop` (two no-op workers). */
  drains?: readonly BotDrainKind[];
  log: (line: string) => void;
}

/** The drains of the scenario. */
export const BOT_DRAIN_KINDS = ['noop', 'one', 'filters', 'two', 'twoNoop'] as const;
export type BotDrainKind = (typeof BOT_DRAIN_KINDS)[number];

/** One timed drain of `jobs` queued chat messages. */
export interface BotDrain {
  workers: number;
  jobs: number;
  /** First job taken → last job finished. */
  seconds: number;
  perSecond: number;
  /** CPU (user + system) of the worker process(es) per job during the drain. */
  workerCpuMicrosPerJob: number;
  /** CPU of the Redis server per job during the drain (every client of that Redis, not only this bench). */
  redisCpuMicrosPerJob: number;
  /** Redis commands per job during the drain, by command (`INFO commandstats`; every client of that Redis, including the bench's polling). */
  redisCommandsPerJob: Record<string, number>;
  /** Transactions in the scratch database during the drain (one-worker drains only). */
  pgTransactions?: number;
  /** Transactions during the untimed warm-up (cache fills): shows the counter sees the bot's statements. */
  pgWarmupTransactions?: number;
  /** False when PostgreSQL's counter still moved at the deadline (the figure may then be low). */
  pgSettled?: boolean;
}

/** What the bot scenario reports (figures are medians over the repetitions). */
export interface BotResult {
  jobs: number;
  warmupJobs: number;
  channels: number;
  guilds: number;
  viewers: number;
  concurrency: number;
  repetitions: number;
  /** One bot worker process. */
  chatJobsPerSecond: number;
  /** A bare BullMQ worker with a no-op processor: the ceiling. */
  noopJobsPerSecond: number;
  /** chatJobsPerSecond / noopJobsPerSecond. */
  ratio: number;
  /** One bot worker process with every owner guild's chat filters on ({@link FILTER_RULES}). */
  chatJobsPerSecondFiltersOn: number;
  /** chatJobsPerSecondFiltersOn / chatJobsPerSecond (target: within 20%, ≥ 0.8). */
  filtersOnVsOff: number;
  /** PostgreSQL transactions per chat message during the filters-on drains. */
  pgStatementsPerChatMessageFiltersOn: number;
  /** PostgreSQL transactions per chat message during the one-worker drains. */
  pgStatementsPerChatMessage: number;
  statementsCountedBy: string;
  /** Two bot worker processes sharing one queue. */
  twoWorkersJobsPerSecond: number;
  /** twoWorkersJobsPerSecond / chatJobsPerSecond. */
  twoWorkersVsOne: number;
  oneWorker: BotDrain[];
  noop: BotDrain[];
  twoWorkers: BotDrain[];
  /** Two bare no-op BullMQ worker processes sharing one queue: what a second process gives the queue alone on this machine. */
  twoNoop: BotDrain[];
  /** median(twoNoop) / noopJobsPerSecond. */
  twoNoopVsOne: number;
  filtersOn: BotDrain[];
  /** CPU profiles written (BENCH_PROFILE=1), with the drain's window in seconds after the profile's start. */
  profiles?: { kind: string; file: string; drainWindowSeconds: [number, number] }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const guildIdOf = (i: number) => `91${String(i).padStart(16, '0')}`;
const broadcasterIdOf = (c: number) => 7_100_000 + c;
const viewerIdOf = (v: number) => 8_100_000 + v;
/** PostgreSQL 15's PGSTAT_IDLE_INTERVAL (10 s) and a margin: the longest an idle backend keeps its statistics unreported. */
const PG_IDLE_REPORT_MS = 10_500;
const PHRASES = ['gg', 'nice one', 'what a play', 'LUL', 'hello chat', 'lets gooo', 'that was close', 'W stream'];
/** The filters-on drain's rule set per owner guild: links, caps, repeats and 20 banned words (none in PHRASES). */
const FILTER_RULES = (() => {
  const config = defaultChatFilterConfig();
  for (const kind of ['links', 'caps', 'words', 'repeats'] as const) config.rules[kind].enabled = true;
  const words = ['scam', 'idiot', 'buy followers', 'free nitro', 'kys', 'spam bot', 'loser', 'trash', 'moron', 'clown', 'noob', 'dumb', 'stupid', 'shut up', 'ratio', 'bozo', 'cringe', 'fraud', 'cheater', 'free vbucks'];
  const terms = words.map((w) => {
    const prepared = prepareBannedTerm(w, 'word');
    if (!prepared.ok) throw new Error(prepared.problem);
    return prepared.term;
  });
  return { config, terms };
})();

/** A worker process the drain started: its pid, and how to stop it. */
interface WorkerProcess {
  pid: number;
  startedAt: { epochMs: number; monotonicUs: number };
  ready: Promise<unknown>;
  stop(): Promise<void>;
}

/** CPU time (user + system) a process used so far, µs; 0 when /proc is not there. */
function processCpuMicros(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000; // utime + stime, 1/100 s
  } catch {
    return 0;
  }
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Runs the bot scenario. */
export async function runBot(options: BotBenchOptions): Promise<BotResult> {
  const { log } = options;
  const db = await createTestDatabase();
  // Reads pg_stat_database from another database, so the polling is not counted in the scratch database.
  const admin = createPrismaClient(testServerUrl(), { poolSize: 1 });
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const prefixes: string[] = [];
  const running = new Set<WorkerProcess>();
  const profileDir = join(CACHE_DIR, 'profiles');
  try {
    // ───────── scratch database: channels, owner guilds (+ a watcher on every 5th), chat subscriptions ─────────
    const subSalt = randomBytes(4).toString('hex').toUpperCase();
    const channels = Array.from({ length: options.channels }, (_, c) => ({
      broadcasterUserId: broadcasterIdOf(c),
      slug: `benchchannel${c}`,
      ownerGuildId: guildIdOf(c),
      watcherGuildId: c % 5 === 0 ? guildIdOf(options.channels + c) : undefined,
      subscriptionId: idOf(subSalt, c + 1),
    }));
    const guildIds = channels.flatMap((c) => (c.watcherGuildId ? [c.ownerGuildId, c.watcherGuildId] : [c.ownerGuildId]));
    const prisma = db.prisma;
    await prisma.guild.createMany({ data: guildIds.map((id, i) => ({ id, name: `Bench Community ${i}` })) });
    await prisma.guildSettings.createMany({ data: guildIds.map((guildId) => ({ guildId })) });
    await prisma.kickChannel.createMany({ data: channels.map((c) => ({ broadcasterUserId: c.broadcasterUserId, slug: c.slug, displayName: c.slug, isLive: true })) });
    await prisma.guildChannelLink.createMany({
      data: channels.flatMap((c) => [
        { guildId: c.ownerGuildId, broadcasterUserId: c.broadcasterUserId, kind: 'owner' as const, createdByDiscordId: '200000000000000001' },
        ...(c.watcherGuildId ? [{ guildId: c.watcherGuildId, broadcasterUserId: c.broadcasterUserId, kind: 'watch' as const, createdByDiscordId: '200000000000000001' }] : []),
      ]),
    });
    await prisma.kickSubscription.createMany({ data: channels.map((c) => ({ id: c.subscriptionId, broadcasterUserId: c.broadcasterUserId, event: 'chat.message.sent', version: 1, status: 'active' as const })) });
    // Fresh statistics now, so autovacuum's analyze has no reason to run during a drain.
    await prisma.$executeRawUnsafe('ANALYZE');
    await prisma.$disconnect();
    if (options.logStatements) {
      // For the bot's connections, which all open after this.
      await admin.$executeRawUnsafe(`ALTER DATABASE "${db.name}" SET log_statement = 'all'`);
      log(`bot: every statement of database ${db.name} goes to PostgreSQL's server log`);
    }

    // ───────── chat jobs ─────────
    const sample = samplePayloads['chat.message.sent'];
    const broadcasters = channels.map((c) => ({ ...sample.broadcaster, user_id: c.broadcasterUserId, username: c.slug, channel_slug: c.slug }));
    const senders = Array.from({ length: options.viewers }, (_, v) => ({
      ...sample.sender,
      user_id: viewerIdOf(v),
      username: `benchviewer${v}`,
      channel_slug: `benchviewer${v}`,
      identity: { username_color: '#1475E1', badges: v % 4 === 0 ? [{ text: 'Subscriber', type: 'subscriber', count: 1 + (v % 12) }] : [] },
    }));
    /** `count` plain chat jobs (no command prefix), message ids unique across the run; viewer v chats in channel v mod channels. */
    const chatJobs = (count: number): { id: string; data: string }[] => {
      const salt = randomBytes(4).toString('hex').toUpperCase();
      const now = new Date();
      const receivedAt = now.toISOString();
      const createdAt = `${receivedAt.slice(0, 19)}Z`;
      return Array.from({ length: count }, (_, i) => {
        const id = idOf(salt, i + 1);
        const v = i % options.viewers;
        const c = v % options.channels;
        const payload = { message_id: id, replies_to: null, broadcaster: broadcasters[c], sender: senders[v], content: `${PHRASES[i % PHRASES.length]} ${i}`, emotes: [], created_at: createdAt };
        const job: Omit<KickEventJob, 'payload'> = {
          messageId: id,
          subscriptionId: channels[c]!.subscriptionId,
          eventType: 'chat.message.sent',
          eventVersion: '1',
          messageTimestamp: receivedAt,
          receivedAt,
          broadcasterUserId: channels[c]!.broadcasterUserId,
        };
        return { id, data: kickEventJobJson(job, JSON.stringify(payload)) };
      });
    };

    // One key for every bot process of the run: the first start stores a key check, and later processes must match it.
    const encryptionKey = randomBytes(32).toString('hex');
    const botEnv = (prefix: string): Record<string, string> => ({
      DATABASE_URL: db.url,
      REDIS_URL: options.redisUrl,
      PUBLIC_URL: 'http://127.0.0.1:3000',
      TOKEN_ENCRYPTION_KEY: encryptionKey,
      KICK_CLIENT_ID: 'bench-client',
      KICK_CLIENT_SECRET: 'bench-secret',
      KICK_API_URL: 'http://127.0.0.1:9',
      KICK_AUTH_URL: 'http://127.0.0.1:9',
      DISCORD_TOKEN: 'bench-token',
      DISCORD_CLIENT_ID: '100000000000000001',
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
      KICK_BOT_USERNAME: 'kickcord_bot',
      QUEUE_PREFIX: prefix,
      WORKER_CONCURRENCY: String(options.concurrency),
      LOG_LEVEL: 'warn',
    });
    const profileArgs = () => {
      mkdirSync(profileDir, { recursive: true });
      return ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
    };
    const startedAt = () => ({ epochMs: Date.now(), monotonicUs: monotonicUs() });

    const startBotWorker = (prefix: string, profile: boolean): WorkerProcess => {
      const at = startedAt();
      if (!profile) {
        const bot = startBotProcess(botEnv(prefix), { role: 'worker', schedule: false, registerCommands: false, readyTimeoutMs: 180_000 });
        return { pid: bot.pid, startedAt: at, ready: bot.ready, stop: () => bot.close(30_000) };
      }
      // The same entry startBotProcess forks, with V8's profiler on (node refuses --cpu-prof in NODE_OPTIONS).
      const child = fork(BOT_CHILD_ENTRY, [], {
        execArgv: ['--import', 'tsx', ...profileArgs()],
        env: { ...process.env, ...botEnv(prefix), BOT_ROLE: 'worker', KICKCORD_BOT_SCHEDULE: '0', KICKCORD_BOT_REGISTER_COMMANDS: '0' },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const ready = new Promise((resolve, reject) => {
        child.on('message', (m) => (m as { type?: string }).type === 'ready' && resolve(m));
        void exited.then(() => reject(new Error('profiled bot worker exited before it was ready')));
      });
      ready.catch(() => undefined);
      return {
        pid: child.pid ?? 0,
        startedAt: at,
        ready,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.send({ type: 'close' });
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        },
      };
    };
    const startNoopWorker = (prefix: string, profile: boolean): WorkerProcess => {
      const at = startedAt();
      const child = startChild('noopWorker.ts', { REDIS_URL: options.redisUrl, BENCH_QUEUE_PREFIX: prefix, WORKER_CONCURRENCY: String(options.concurrency) }, { execArgv: profile ? profileArgs() : [] });
      return { pid: child.pid, startedAt: at, ready: child.next('ready'), stop: () => child.stop() };
    };

    /** Polls the queue until `target` jobs completed; throws at once on a failed or retrying job, or when progress stops. */
    const waitCompleted = async (queue: Queue<KickEventJob>, target: number, what: string) => {
      const deadline = Date.now() + 60_000 + target * 25;
      let last = -1;
      let lastProgress = Date.now();
      for (;;) {
        const counts = await queue.getJobCounts('completed', 'failed', 'delayed');
        const failed = counts.failed ?? 0;
        const retrying = counts.delayed ?? 0;
        if (failed > 0 || retrying > 0) {
          const [job] = failed > 0 ? await queue.getFailed(0, 0) : await queue.getDelayed(0, 0);
          throw new Error(`${what}: ${failed} job(s) failed, ${retrying} waiting for a retry — first: ${job?.id ?? '?'}: ${job?.failedReason ?? 'no reason recorded'}`);
        }
        const completed = counts.completed ?? 0;
        if (completed >= target) return;
        if (completed !== last) {
          last = completed;
          lastProgress = Date.now();
        }
        if (Date.now() - lastProgress > 30_000 || Date.now() > deadline) {
          throw new Error(`${what}: ${completed} of ${target} jobs completed, ${Date.now() > deadline ? 'deadline passed' : 'no progress for 30 s'}`);
        }
        await sleep(50);
      }
    };

    /**
     * Transactions of the scratch database once the counter has not moved for 2 s and `notBefore` (epoch ms)
     * has passed; gives up 20 s after that (settled: false).
     */
    const settledTransactions = async (notBefore = 0): Promise<{ value: number; settled: boolean }> => {
      const read = async () => {
        const rows = await admin.$queryRawUnsafe<{ n: number }[]>('SELECT (xact_commit + xact_rollback)::float8 AS n FROM pg_stat_database WHERE datname = $1', db.name);
        return rows[0]?.n ?? 0;
      };
      const deadline = Math.max(Date.now(), notBefore) + 20_000;
      let value = await read();
      let since = Date.now();
      for (;;) {
        await sleep(200);
        const now = await read();
        if (now !== value) {
          value = now;
          since = Date.now();
        } else if (Date.now() - since >= 2_000 && Date.now() >= notBefore) return { value, settled: true };
        if (Date.now() > deadline) return { value, settled: false };
      }
    };

    /** When the timed jobs were taken and finished (epoch ms), from their hashes. */
    const drainWindow = async (prefix: string, ids: string[]): Promise<{ first: number; last: number }> => {
      const base = `${queueKeyPrefix(prefix)}:${KICK_EVENTS_QUEUE}:`;
      let first = Infinity;
      let last = -Infinity;
      for (let i = 0; i < ids.length; i += 2_000) {
        const pipeline = redis.pipeline();
        for (const id of ids.slice(i, i + 2_000)) pipeline.hmget(`${base}${id}`, 'processedOn', 'finishedOn');
        for (const [error, value] of (await pipeline.exec()) ?? []) {
          if (error) throw error;
          const [taken, finished] = (value as (string | null)[]).map(Number);
          if (!Number.isFinite(taken) || !Number.isFinite(finished) || !taken || !finished) throw new Error('a timed job has no processedOn/finishedOn');
          if (taken! < first) first = taken!;
          if (finished! > last) last = finished!;
        }
      }
      return { first, last };
    };

    const profiles: NonNullable<BotResult['profiles']> = [];
    /** Turns every owner guild's chat filters on ({@link FILTER_RULES}) or off (no rules: the default, all off). */
    const setFilters = async (on: boolean) => {
      const owners = channels.map((c) => c.ownerGuildId);
      await prisma.chatFilterTerm.deleteMany({ where: { guildId: { in: owners } } });
      await prisma.chatFilterSettings.deleteMany({ where: { guildId: { in: owners } } });
      if (on) {
        await prisma.chatFilterSettings.createMany({ data: owners.map((guildId) => ({ guildId, rules: FILTER_RULES.config })) });
        await prisma.chatFilterTerm.createMany({ data: owners.flatMap((guildId) => FILTER_RULES.terms.map((t) => ({ guildId, pattern: t.pattern, mode: t.mode, createdByDiscordId: '200000000000000001' }))) });
      }
      await prisma.$disconnect();
    };
    const drain = async (kind: 'bot' | 'noop', workers: number, profile: boolean): Promise<BotDrain> => {
      const prefix = `kc-bench-bot-${randomBytes(4).toString('hex')}`;
      prefixes.push(prefix);
      const producer: RedisConnection = createRedisConnection(options.redisUrl, { connectionName: 'kickcord-bench-producer' });
      const queue = createKickEventsQueue({ connection: producer, prefix });
      const enqueuer = new KickEventEnqueuer({ queue, redis: producer, dedupeTtlMs: 3_600_000 });
      const enqueue = async (jobs: { id: string; data: string }[]) => {
        for (let i = 0; i < jobs.length; i += 2_000) {
          const outcomes = await Promise.all(jobs.slice(i, i + 2_000).map((j) => enqueuer.enqueue(j.id, 'chat.message.sent', j.data)));
          const duplicates = outcomes.filter((o) => o !== 'enqueued').length;
          if (duplicates) throw new Error(`${duplicates} bench job(s) were refused as duplicates`);
        }
      };
      const procs: WorkerProcess[] = [];
      try {
        for (let w = 0; w < workers; w++) {
          const p = kind === 'bot' ? startBotWorker(prefix, profile && w === 0) : startNoopWorker(prefix, profile);
          procs.push(p);
          running.add(p);
        }
        await Promise.all(procs.map((p) => p.ready));
        const label = kind === 'bot' ? `${workers} bot worker${workers > 1 ? 's' : ''}` : `${workers > 1 ? `${workers} no-op BullMQ workers` : 'no-op BullMQ worker'}`;
        // PostgreSQL statements are counted for the one-worker drain (the figure the target is about).
        const countStatements = kind === 'bot' && workers === 1;
        const pgStart = countStatements ? await settledTransactions() : undefined;

        // The first message goes alone. apps/bot defines its watchtime Lua commands (features/watchtime/activity.ts)
        // on first use, on an auto-pipelined connection: when a concurrent job's command is already waiting in
        // that tick's pipeline, the new command is missing from it, the job fails and ioredis throws an
        // uncaught error that ends the process. One message first defines them with nothing else in flight.
        const warmup = chatJobs(options.warmupJobs);
        await enqueue(warmup.slice(0, 1));
        await waitCompleted(queue, 1, `${label}, first message`);
        await enqueue(warmup.slice(1));
        await waitCompleted(queue, options.warmupJobs, `${label}, warm-up`);
        const warmedAt = Date.now();

        await queue.pause();
        const timed = chatJobs(options.jobs);
        await enqueue(timed);
        // A PostgreSQL backend that reported less than a second before going idle reports the rest only after
        // 10 s idle (PGSTAT_IDLE_INTERVAL): wait that out, so the warm-up's statements are not counted in the drain.
        const pgBefore = countStatements ? await settledTransactions(warmedAt + PG_IDLE_REPORT_MS) : undefined;
        const cpuBefore = procs.reduce((a, p) => a + processCpuMicros(p.pid), 0);
        const redisBefore = await redisCpuMicros(redis);
        const commandsBefore = await redisCommandStats(redis);
        await queue.resume();
        await waitCompleted(queue, options.warmupJobs + options.jobs, label);
        const cpu = procs.reduce((a, p) => a + processCpuMicros(p.pid), 0) - cpuBefore;
        const redisCpu = (await redisCpuMicros(redis)) - redisBefore;
        const commandsAfter = await redisCommandStats(redis);
        const redisCommandsPerJob: Record<string, number> = {};
        for (const [name, { calls }] of Object.entries(commandsAfter)) {
          const perJob = (calls - (commandsBefore[name]?.calls ?? 0)) / options.jobs;
          if (perJob >= 0.01) redisCommandsPerJob[name] = Math.round(perJob * 100) / 100;
        }
        const { first, last } = await drainWindow(prefix, timed.map((j) => j.id));
        // Stopped workers: a backend reports everything it has when its connection ends (and V8 writes the profile).
        await Promise.all(procs.map((p) => p.stop()));
        const pgAfter = countStatements ? await settledTransactions() : undefined;
        const seconds = (last - first) / 1000;
        const result: BotDrain = {
          workers,
          jobs: options.jobs,
          seconds,
          perSecond: options.jobs / seconds,
          workerCpuMicrosPerJob: cpu / options.jobs,
          redisCpuMicrosPerJob: redisCpu / options.jobs,
          redisCommandsPerJob,
          ...(pgStart && pgBefore && pgAfter
            ? { pgTransactions: pgAfter.value - pgBefore.value, pgWarmupTransactions: pgBefore.value - pgStart.value, pgSettled: pgStart.settled && pgBefore.settled && pgAfter.settled }
            : {}),
        };
        if (profile) {
          const p = procs[0]!;
          // node names the file CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread
          // (tsx's module loader thread writes a profile of its own).
          const file = existsSync(profileDir)
            ? readdirSync(profileDir)
                .filter((f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(p.pid) && f.split('.')[4] === '0')
                .map((f) => join(profileDir, f))
                .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0]
            : undefined;
          if (file) {
            const cpuProfile = readCpuProfile(file);
            // V8's profile clock is the monotonic clock of process.hrtime: map the jobs' epoch times onto it.
            const toProfileUs = (epochMs: number) => p.startedAt.monotonicUs + (epochMs - p.startedAt.epochMs) * 1000;
            const window = { fromUs: toProfileUs(first), toUs: toProfileUs(last) };
            const drainWindowSeconds: [number, number] = [(window.fromUs - cpuProfile.startTime) / 1e6, (window.toUs - cpuProfile.startTime) / 1e6];
            profiles.push({ kind: label, file, drainWindowSeconds });
            log(`bot: CPU profile of the ${label} — ${file}, drain at ${drainWindowSeconds.map((x) => x.toFixed(1)).join('–')} s:`);
            for (const line of cpuProfileSummary(cpuProfile, { rows: 15, window })) log(`  ${line}`);
          } else log(`bot: no CPU profile of pid ${p.pid} found in ${profileDir}`);
        }
        return result;
      } finally {
        await Promise.allSettled(
          procs.map(async (p) => {
            await p.stop();
            running.delete(p);
          }),
        );
        await queue.close().catch(() => undefined);
        producer.disconnect();
        await wipePrefix(redis, prefix).catch(() => undefined);
      }
    };

    const oneWorker: BotDrain[] = [];
    const noop: BotDrain[] = [];
    const twoWorkers: BotDrain[] = [];
    const twoNoop: BotDrain[] = [];
    const filtersOn: BotDrain[] = [];
    const commands = (d: BotDrain) =>
      Object.entries(d.redisCommandsPerJob)
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${n}`)
        .join(', ');
    const fmt = (d: BotDrain) =>
      `${Math.round(d.perSecond).toLocaleString('en-US')} jobs/s (${d.seconds.toFixed(2)} s, ${Math.round(d.workerCpuMicrosPerJob)} µs CPU/job; Redis commands per job: ${commands(d)})`;
    const wanted = new Set<BotDrainKind>(options.drains ?? BOT_DRAIN_KINDS);
    for (let r = 0; r < options.repetitions; r++) {
      const tag = options.repetitions > 1 ? ` [${r + 1}/${options.repetitions}]` : '';
      if (wanted.has('noop')) {
        log(`bot${tag}: no-op BullMQ worker, ${options.jobs.toLocaleString('en-US')} jobs at concurrency ${options.concurrency}…`);
        noop.push(await drain('noop', 1, options.profile && r === 0));
        log(`bot${tag}:   ${fmt(noop.at(-1)!)}`);
      }
      if (wanted.has('one')) {
        log(`bot${tag}: 1 bot worker process…`);
        oneWorker.push(await drain('bot', 1, options.profile && r === 0));
        const one = oneWorker.at(-1)!;
        log(`bot${tag}:   ${fmt(one)}; PostgreSQL transactions: ${one.pgTransactions} (warm-up: ${one.pgWarmupTransactions})${one.pgSettled ? '' : ' — the counter had not settled'}`);
      }
      if (wanted.has('filters')) {
        log(`bot${tag}: 1 bot worker process, chat filters on (links, caps, 20 banned words, repeats)…`);
        await setFilters(true);
        try {
          filtersOn.push(await drain('bot', 1, false));
        } finally {
          await setFilters(false);
        }
        const on = filtersOn.at(-1)!;
        log(`bot${tag}:   ${fmt(on)}; PostgreSQL transactions: ${on.pgTransactions} (warm-up: ${on.pgWarmupTransactions})${on.pgSettled ? '' : ' — the counter had not settled'}`);
      }
      if (wanted.has('two')) {
        log(`bot${tag}: 2 bot worker processes…`);
        twoWorkers.push(await drain('bot', 2, false));
        log(`bot${tag}:   ${fmt(twoWorkers.at(-1)!)}`);
      }
      if (wanted.has('twoNoop')) {
        log(`bot${tag}: 2 no-op BullMQ worker processes…`);
        twoNoop.push(await drain('noop', 2, false));
        log(`bot${tag}:   ${fmt(twoNoop.at(-1)!)}`);
      }
    }

    const chatJobsPerSecond = median(oneWorker.map((d) => d.perSecond));
    const noopJobsPerSecond = median(noop.map((d) => d.perSecond));
    const twoWorkersJobsPerSecond = median(twoWorkers.map((d) => d.perSecond));
    const chatJobsPerSecondFiltersOn = median(filtersOn.map((d) => d.perSecond));
    return {
      jobs: options.jobs,
      warmupJobs: options.warmupJobs,
      channels: options.channels,
      guilds: guildIds.length,
      viewers: options.viewers,
      concurrency: options.concurrency,
      repetitions: options.repetitions,
      chatJobsPerSecond,
      noopJobsPerSecond,
      ratio: chatJobsPerSecond / noopJobsPerSecond,
      chatJobsPerSecondFiltersOn,
      filtersOnVsOff: chatJobsPerSecondFiltersOn / chatJobsPerSecond,
      pgStatementsPerChatMessageFiltersOn: median(filtersOn.map((d) => (d.pgTransactions ?? 0) / d.jobs)),
      pgStatementsPerChatMessage: median(oneWorker.map((d) => (d.pgTransactions ?? 0) / d.jobs)),
      statementsCountedBy: 'pg_stat_database xact_commit + xact_rollback of the scratch database over the one-worker drains (each standalone statement is one transaction)',
      twoWorkersJobsPerSecond,
      twoWorkersVsOne: twoWorkersJobsPerSecond / chatJobsPerSecond,
      oneWorker,
      noop,
      twoWorkers,
      twoNoop,
      twoNoopVsOne: median(twoNoop.map((d) => d.perSecond)) / noopJobsPerSecond,
      filtersOn,
      ...(profiles.length ? { profiles } : {}),
    };
  } finally {
    await Promise.allSettled([...running].map((p) => p.stop()));
    for (const prefix of prefixes) await wipePrefix(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await admin.$disconnect().catch(() => undefined);
    await db.drop().catch(() => undefined);
  }
}
