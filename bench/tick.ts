/**
 * Watchtime tick benchmark: 100,000 active viewers across 1,000 live channels (each owned by its own
 * guild, default settings; BENCH_TICK_CAPS=1 turns the caps on), in a scratch database and a private Redis
 * key prefix, paid in blocks of BENCH_TICK_PAYOUT minutes (default 5, the bot's WATCH_PAYOUT_MINUTES
 * default; 1 = every minute). After a warm-up of two payout cycles (ledger and stats rows exist, as
 * mid-stream) it times every tick of steady-state cycles — each channel settles once per cycle, on the
 * minute its phase gives — and counts the SQL statements each issues (every Prisma entry point is counted).
 * Every viewer chats every 5 minutes (the default activity window), so all 100,000 stay active.
 *
 *   npx tsx bench/tick.ts            # prints the numbers
 *   BENCH_TICK_CHANNELS=100 BENCH_TICK_VIEWERS=10000 BENCH_TICK_PAYOUT=1 npx tsx bench/tick.ts
 *   BENCH_TICK_DEBUG=1 …             # per tick: rows, summed statement time, PostgreSQL CPU seconds (from /proc)
 *   BENCH_TICK_EXPLAIN=1 …           # auto_explain (ANALYZE, BUFFERS) of statements over 300 ms into the server log
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { recordChatActivity, RedisKeys, runWatchtimeTick, type BotContext } from '@kickcord/bot';
import { createPrismaClient, type PrismaClient } from '@kickcord/db';
import { createTestDatabase } from '@kickcord/db/testing';
import { Redis } from 'ioredis';

/** Result shape consumed by bench/run.ts. */
export interface TickBenchResult {
  viewers: number;
  channels: number;
  /** Payout interval (minutes) the ticks ran with. */
  payoutMinutes: number;
  /** Median over the timed ticks. */
  secondsPerTick: number;
  /** The slowest timed tick. */
  maxSecondsPerTick: number;
  /** The most statements one timed tick issued. */
  statementsPerTick: number;
  /** Ledger rows written per viewer per hour at this interval (60 / B). */
  ledgerRowsPerViewerHour: number;
}

function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Wraps a Prisma client so every query entry point (raw or model) increments `counter.n`. */
function countingPrisma(prisma: PrismaClient, counter: { n: number; ms: number }): PrismaClient {
  const wrapDelegate = (delegate: object) =>
    new Proxy(delegate, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          counter.n++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return new Proxy(prisma, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop === 'string' && /^\$(queryRaw|executeRaw)/.test(prop) && typeof value === 'function') {
        return async (...args: unknown[]) => {
          counter.n++;
          const t = performance.now();
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            counter.ms += performance.now() - t;
          }
        };
      }
      if (typeof prop === 'string' && !prop.startsWith('$') && value && typeof value === 'object') return wrapDelegate(value);
      return value;
    },
  });
}

/** Seeds the scenario, runs the tick, and reports seconds and statements per tick. */
export async function benchTick(): Promise<TickBenchResult> {
  const channels = envNumber('BENCH_TICK_CHANNELS', 1_000);
  const viewers = envNumber('BENCH_TICK_VIEWERS', 100_000);
  const perChannel = Math.ceil(viewers / channels);
  // Default guild settings (no caps) unless BENCH_TICK_CAPS=1 (per-stream and per-day caps read the ledger per viewer).
  const caps = process.env.BENCH_TICK_CAPS === '1';
  const db = await createTestDatabase();
  const prisma = createPrismaClient(db.url, { poolSize: 10 });
  const installPrefix = `kc-bench-tick-${randomBytes(4).toString('hex')}`;
  const keys = new RedisKeys(installPrefix);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true });
  if (process.env.BENCH_TICK_EXPLAIN) {
    const admin = createPrismaClient(db.url, { poolSize: 1 });
    const name = new URL(db.url).pathname.slice(1);
    await admin.$executeRawUnsafe(`ALTER DATABASE "${name}" SET session_preload_libraries = 'auto_explain'`);
    await admin.$executeRawUnsafe(`ALTER DATABASE "${name}" SET auto_explain.log_min_duration = 300`);
    await admin.$executeRawUnsafe(`ALTER DATABASE "${name}" SET auto_explain.log_analyze = on`);
    await admin.$executeRawUnsafe(`ALTER DATABASE "${name}" SET auto_explain.log_buffers = on`);
    await admin.$disconnect();
  }
  try {
    const payout = envNumber('BENCH_TICK_PAYOUT', 5);
    const debug = Boolean(process.env.BENCH_TICK_DEBUG);
    const nowMinute = Math.floor(Date.now() / 60_000);
    // Aligned to the payout interval (and to 5, the chat cadence) so cycles are whole blocks.
    const align = payout * 5;
    const firstMinute = Math.floor((nowMinute - 40) / align) * align;
    let minute = firstMinute;
    const startedAt = new Date((firstMinute - 60) * 60_000);
    // 1,000 guilds, each owning one live channel (caps only with BENCH_TICK_CAPS=1).
    await prisma.$executeRawUnsafe(
      `WITH g AS (SELECT i FROM generate_series(1, $1::int) AS i)
       , guilds AS (INSERT INTO "Guild" (id, name, "updatedAt") SELECT 'bench' || i, 'Bench ' || i, now() FROM g RETURNING id)
       , settings AS (INSERT INTO "GuildSettings" ("guildId", "pointsPerMinute", "maxMinutesPerStream", "maxPointsPerDay", "updatedAt")
                      SELECT 'bench' || i, 2, CASE WHEN $2 THEN 100000 ELSE 0 END, CASE WHEN $2 THEN 1000000 ELSE 0 END, now() FROM g RETURNING 1)
       , chans AS (INSERT INTO "KickChannel" ("broadcasterUserId", slug, "displayName", "isLive", "updatedAt")
                   SELECT 1000000 + i, 'chan' || i, 'Chan ' || i, true, now() FROM g RETURNING 1)
       SELECT (SELECT count(*) FROM guilds) + (SELECT count(*) FROM settings) + (SELECT count(*) FROM chans)`,
      channels,
      caps,
    );
    await prisma.$executeRawUnsafe(
      `INSERT INTO "GuildChannelLink" ("guildId", "broadcasterUserId", kind, "createdByDiscordId")
       SELECT 'bench' || i, 1000000 + i, 'owner', '1' FROM generate_series(1, $1::int) AS i`,
      channels,
    );
    await prisma.$executeRawUnsafe(
      `INSERT INTO "StreamSession" (id, "broadcasterUserId", "openBroadcasterUserId", "startedAt", "updatedAt")
       SELECT gen_random_uuid(), 1000000 + i, 1000000 + i, $2, now() FROM generate_series(1, $1::int) AS i`,
      channels,
      startedAt,
    );
    const chat = async (atMinute: number) => {
      const jobs: Promise<void>[] = [];
      for (let c = 1; c <= channels; c++) {
        for (let v = 0; v < perChannel && (c - 1) * perChannel + v < viewers; v++) {
          const userId = (c - 1) * perChannel + v + 1;
          jobs.push(recordChatActivity({ redis, keys }, { guildId: `bench${c}`, broadcasterUserId: 1_000_000 + c, userId, username: `viewer${userId}`, isSubscriber: userId % 5 === 0, at: new Date(atMinute * 60_000 + 1_000) }));
        }
        if (jobs.length >= 20_000) await Promise.all(jobs.splice(0));
      }
      await Promise.all(jobs);
    };
    const counter = { n: 0, ms: 0 };
    const ctx = {
      prisma: countingPrisma(prisma, counter),
      redis,
      keys,
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => new Date(minute * 60_000 + 30_000),
    } as unknown as BotContext;

    // CPU seconds Postgres spent on this database (its backends, from /proc): a number the rest of a busy box hardly moves.
    const pgCpuSeconds = async () => {
      const name = new URL(db.url).pathname.slice(1);
      const pids = await prisma.$queryRawUnsafe<{ pid: number }[]>('SELECT pid FROM pg_stat_activity WHERE datname = $1', name);
      let ticksUsed = 0;
      for (const { pid } of pids) {
        try {
          const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
          ticksUsed += Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15 of stat)
        } catch {
          // not on this machine (remote Postgres) or already gone
        }
      }
      return ticksUsed / 100;
    };
    const ticks = async (count: number, timed: boolean) => {
      const out = { times: [] as number[], statements: 0, inserted: 0, minutes: 0 };
      for (let i = 0; i < count; i++, minute++) {
        if ((minute - firstMinute) % 5 === 0) await chat(minute); // a chat every 5 minutes keeps everyone active
        counter.n = 0;
        counter.ms = 0;
        const cpuBefore = debug ? await pgCpuSeconds() : 0;
        const t = process.hrtime.bigint();
        const r = await runWatchtimeTick(ctx, { minute, payoutMinutes: payout });
        const seconds = Number(process.hrtime.bigint() - t) / 1e9;
        const pgCpu = debug ? (await pgCpuSeconds()) - cpuBefore : 0;
        if (timed) out.times.push(seconds);
        out.statements = Math.max(out.statements, counter.n);
        out.inserted += r.inserted;
        out.minutes += r.minutes;
        if (debug) console.log(`tick ${minute - firstMinute}: ${seconds.toFixed(3)} s, ${r.inserted} rows, SQL time summed over statements ${(counter.ms / 1000).toFixed(3)} s, Postgres CPU ${pgCpu.toFixed(2)} s`);
      }
      return out;
    };
    // Warm-up: two payout cycles (every channel has settled at least once; ledger and stats rows exist).
    await ticks(Math.max(2, 2 * payout), false);
    // Timed: whole cycles (3 minutes when paying every minute). Each cycle pays every viewer exactly one block.
    const cycles = payout === 1 ? 3 : 1;
    const run = await ticks(cycles * payout, true);
    if (run.inserted !== viewers * cycles || run.minutes !== viewers * cycles * payout) {
      throw new Error(`timed ticks paid ${run.inserted} rows / ${run.minutes} minutes, expected ${viewers * cycles} / ${viewers * cycles * payout}`);
    }
    if (debug) {
      const hot = await prisma.$queryRawUnsafe<{ upd: number; hot: number }[]>(`SELECT n_tup_upd::int AS upd, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'ViewerStats'`);
      console.log(`ViewerStats updates: ${hot[0]?.upd ?? '?'}, of which HOT (no index writes): ${hot[0]?.hot ?? '?'}`);
    }
    const times = [...run.times].sort((x, y) => x - y);
    return {
      viewers,
      channels,
      payoutMinutes: payout,
      secondsPerTick: times[Math.floor(times.length / 2)] ?? 0,
      maxSecondsPerTick: times[times.length - 1] ?? 0,
      statementsPerTick: run.statements,
      ledgerRowsPerViewerHour: 60 / payout,
    };
  } finally {
    // Only this run's own keys (its install prefix).
    const own = await redis.keys(`${installPrefix}:*`).catch(() => [] as string[]);
    for (let i = 0; i < own.length; i += 1000) await redis.del(...own.slice(i, i + 1000));
    redis.disconnect();
    await prisma.$disconnect();
    await db.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchTick();
  console.log(`watchtime tick: ${r.viewers.toLocaleString('en-US')} active viewers across ${r.channels.toLocaleString('en-US')} channels${process.env.BENCH_TICK_CAPS === '1' ? ' (caps on)' : ''}, paid in ${r.payoutMinutes}-minute blocks`);
  console.log(`  seconds per tick:    ${r.secondsPerTick.toFixed(3)} median, ${r.maxSecondsPerTick.toFixed(3)} slowest (target ≤ 2 s)`);
  console.log(`  statements per tick: ${r.statementsPerTick} at most (1 session query + pay statements of ≤ 5,000 ledger rows, never more than 1 per channel)`);
  console.log(`  ledger rows:         ${r.ledgerRowsPerViewerHour} per active viewer per hour`);
  process.exit(0);
}
