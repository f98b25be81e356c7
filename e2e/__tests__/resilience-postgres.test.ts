/**
 * Postgres connections lost while jobs run. During a burst of follows (with a follow bonus), chat,
 * !points and a go-live, every backend connected to the test database is terminated again and again
 * (`pg_terminate_backend`, as a failover or an admin would). Jobs that lose their connection fail and
 * are retried by BullMQ with backoff; in the end every job has completed (none failed for good) and
 * every effect exists exactly once — nothing lost, nothing doubled.
 */
import { createKickEventsQueue, createMaintenanceQueue, createRedisConnection, MaintenanceJob, waitFor } from '@kickcord/queue';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countEffects, expectEffectsExactlyOnce, planBurst, sendBurst } from './helpers/effects.ts';
import { startTestStack, type TestStack } from './helpers/harness.ts';

const FOLLOW_BONUS = 10;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { WORKER_CONCURRENCY: '4' } });
  await stack.run('/announce set follow #announcements');
  await stack.run('/announce set live #announcements');
  await stack.db.prisma.guildSettings.upsert({ where: { guildId: stack.guild.id }, create: { guildId: stack.guild.id, followBonus: FOLLOW_BONUS }, update: { followBonus: FOLLOW_BONUS } });
}, 120_000);
afterAll(async () => stack?.close());

/** Terminates every other backend of `database`, connected from the `postgres` database; returns how many. */
async function terminateBackends(admin: pg.Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) t', [database]);
  return Number(rows[0]?.n ?? 0);
}

describe('Postgres connections terminated while jobs run', () => {
  it('jobs retry and complete; every effect exactly once', async () => {
    const adminUrl = new URL(stack.db.url);
    adminUrl.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    const redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { usage: 'producer' });
    const events = createKickEventsQueue({ connection: redis, prefix: stack.env.QUEUE_PREFIX });
    const maintenance = createMaintenanceQueue({ connection: redis, prefix: stack.env.QUEUE_PREFIX });
    let terminated = 0;
    let rounds = 0;
    let burstDone = false;
    const killer = (async () => {
      // Keep cutting connections for the whole burst and a little after it.
      while (!burstDone || rounds < 40) {
        terminated += await terminateBackends(admin, stack.db.name);
        rounds++;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    try {
      const burst = planBurst(stack, 'pgkill', { followers: 20, chatters: 6, followBonus: FOLLOW_BONUS });
      await sendBurst(stack, burst, async (sent) => {
        if (sent === 10) await maintenance.add(MaintenanceJob.WatchtimeTick, {}, { jobId: 'tick-under-fire' });
      });
      burstDone = true;
      await killer;
      expect(rounds).toBeGreaterThanOrEqual(40);
      expect(terminated).toBeGreaterThan(0);

      await stack.drain(90_000);
      await maintenance.add(MaintenanceJob.WatchtimeTick, {}, { jobId: 'tick-after' });
      await waitFor(
        async () => {
          const counts = await maintenance.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          return Object.values(counts).every((n) => n === 0);
        },
        { timeoutMs: 60_000, description: 'the maintenance queue to drain' },
      );

      // Jobs did lose their connection and were retried; none failed for good.
      const completed = await events.getJobs(['completed'], 0, -1);
      expect(await events.getJobCountByTypes('failed')).toBe(0);
      expect(completed.length).toBeGreaterThanOrEqual(1 + burst.followers.length + burst.chatters.length * 2);
      expect(completed.filter((j) => j.attemptsMade > 0).length).toBeGreaterThan(0);

      expectEffectsExactlyOnce(await countEffects(stack.db.prisma, stack.discord, stack.kick, burst), burst, FOLLOW_BONUS);
    } finally {
      burstDone = true;
      rounds = Math.max(rounds, 40);
      await killer.catch(() => undefined);
      await admin.end();
      await events.close();
      await maintenance.close();
      redis.disconnect();
    }
  }, 240_000);
});
