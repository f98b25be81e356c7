/**
 * Watchtime tick benchmark: 100,000 active viewers across 1,000 live channels (each owned by its own
 * guild, default settings; BENCH_TICK_CAPS=1 turns the caps on), in a scratch database and a private Redis key prefix. After a warm-up tick (so
 * ledger and stats rows exist, as mid-stream), it times three steady-state ticks and counts the SQL
 * statements each issues (every Prisma query entry point is wrapped and counted).
 *
 *   npx tsx bench/tick.ts            # prints the numbers
 *   BENCH_TICK_CHANNELS=100 BENCH_TICK_VIEWERS=10000 npx tsx bench/tick.ts
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { recordChatActivity, runWatchtimeTick, type BotContext } from '@kickcord/bot';
import { createPrismaClient, type PrismaClient } from '@kickcord/db';
import { createTestDatabase } from '@kickcord/db/testing';
import { Redis } from 'ioredis';

/** Result shape consumed by bench/run.ts. */
export interface TickBenchResult {
  viewers: number;
  channels: number;
  secondsPerTick: number;
  statementsPerTick: number;
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
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { keyPrefix: `kc-bench-tick-${randomBytes(4).toString('hex')}:` });
  try {
    const nowMinute = Math.floor(Date.now() / 60_000);
    let minute = nowMinute - 10;
    const startedAt = new Date((nowMinute - 60) * 60_000);
    // 1,000 guilds, each owning one live channel with caps on (the most work per viewer-minute).
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
          jobs.push(recordChatActivity(redis, { guildId: `bench${c}`, broadcasterUserId: 1_000_000 + c, userId, username: `viewer${userId}`, isSubscriber: userId % 5 === 0, at: new Date(atMinute * 60_000 + 1_000) }));
        }
        if (jobs.length >= 20_000) await Promise.all(jobs.splice(0));
      }
      await Promise.all(jobs);
    };
    const counter = { n: 0, ms: 0 };
    const ctx = {
      prisma: countingPrisma(prisma, counter),
      redis,
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      now: () => new Date(minute * 60_000 + 30_000),
    } as unknown as BotContext;

    // Warm-up: every viewer chats and is paid once (ledger + stats rows now exist, as mid-stream).
    await chat(minute);
    const warm = await runWatchtimeTick(ctx, { minute });
    if (warm.inserted !== viewers) throw new Error(`warm-up tick paid ${warm.inserted} viewer-minutes, expected ${viewers}`);

    const times: number[] = [];
    let statements = 0;
    for (let i = 0; i < 3; i++) {
      minute++;
      await chat(minute); // everyone stays active (chatted this minute)
      counter.n = 0;
      counter.ms = 0;
      const t = process.hrtime.bigint();
      const r = await runWatchtimeTick(ctx, { minute });
      times.push(Number(process.hrtime.bigint() - t) / 1e9);
      statements = counter.n;
      if (process.env.BENCH_TICK_DEBUG) console.log(`tick ${i}: ${times[times.length - 1]?.toFixed(3)} s, SQL time summed over statements ${(counter.ms / 1000).toFixed(3)} s`);
      if (r.inserted !== viewers) throw new Error(`tick paid ${r.inserted} viewer-minutes, expected ${viewers}`);
    }
    times.sort((a, b) => a - b);
    return { viewers, channels, secondsPerTick: times[1] ?? times[0] ?? 0, statementsPerTick: statements };
  } finally {
    const keys = await redis.keys('*').catch(() => [] as string[]);
    const prefix = String(redis.options.keyPrefix ?? '');
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000).map((k) => k.slice(prefix.length)));
    redis.disconnect();
    await prisma.$disconnect();
    await db.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchTick();
  console.log(`watchtime tick: ${r.viewers.toLocaleString('en-US')} active viewers across ${r.channels.toLocaleString('en-US')} channels${process.env.BENCH_TICK_CAPS === '1' ? ' (caps on)' : ''}`);
  console.log(`  seconds per tick:    ${r.secondsPerTick.toFixed(3)} (median of 3 steady-state ticks; target ≤ 2 s)`);
  console.log(`  statements per tick: ${r.statementsPerTick} (1 session query + pay statements of ≤ 5,000 viewer-minutes, never more than 1 per channel)`);
  process.exit(0);
}
