/**
 * The bot worker killed with SIGKILL in the middle of a burst. The bot runs in a child process (the
 * real startBot); while a burst of follows (with a follow bonus), chat and !points commands and a
 * go-live flows through web into BullMQ, the child is SIGKILLed with jobs in hand, then a new child is
 * started. BullMQ hands the crashed worker's jobs to the new one once their locks expire (stalled-job
 * recovery); afterwards every event's effects exist exactly once: one announcement per follow and one
 * for the go-live, one follow-bonus ledger row and balance per follower, one reply per !points, minutes
 * paid by watchtime ticks (one of them running across the crash) matching the ledger, no Discord nonce twice.
 */
import { createMaintenanceQueue, createRedisConnection, MaintenanceJob, waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botEnvStrings, startBotProcess, type BotProcess } from '@kickcord/testkit';
import { countEffects, expectEffectsExactlyOnce, planBurst, sendBurst } from './helpers/effects.ts';
import { startTestStack, type TestStack } from './helpers/harness.ts';

const FOLLOW_BONUS = 25;
let stack: TestStack;
const children: BotProcess[] = [];

beforeAll(async () => {
  stack = await startTestStack({ env: { WORKER_CONCURRENCY: '4' } });
  await stack.run('/announce set follow #announcements');
  await stack.run('/announce set live #announcements');
  await stack.db.prisma.guildSettings.upsert({ where: { guildId: stack.guild.id }, create: { guildId: stack.guild.id, followBonus: FOLLOW_BONUS }, update: { followBonus: FOLLOW_BONUS } });
  // From here on the bot runs only in child processes.
  await stack.bot.close();
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(children.map((c) => c.kill('SIGKILL')));
  await stack?.close();
});

function startChildBot(): BotProcess {
  const child = startBotProcess(botEnvStrings(stack.env), { registerCommands: false });
  children.push(child);
  return child;
}

describe('worker SIGKILLed mid-burst', () => {
  it('after a restart, every event has its effects exactly once', async () => {
    const burst = planBurst(stack, 'kill', { followers: 24, chatters: 8, followBonus: FOLLOW_BONUS });
    const redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { usage: 'producer' });
    const maintenance = createMaintenanceQueue({ connection: redis, prefix: stack.env.QUEUE_PREFIX });
    try {
      const first = startChildBot();
      await first.ready;
      const announced = () => stack.discord.messages(stack.guild.announcementsChannelId).filter((m) => !m.interactionId && m.content.includes('just followed')).length;

      let killedAt: { sent: number; announced: number } | undefined;
      await sendBurst(stack, burst, async (sent) => {
        if (sent === 14 && !killedAt) {
          // Let the worker get going, then crash it with jobs in hand (a watchtime tick among them).
          await waitFor(() => announced() >= 3, { timeoutMs: 30_000, description: 'the first follow announcements' });
          await maintenance.add(MaintenanceJob.WatchtimeTick, {}, { jobId: 'tick-during-burst' });
          await first.kill('SIGKILL');
          killedAt = { sent, announced: announced() };
        }
      });
      expect(killedAt).toBeDefined();
      expect((await first.exited).signal).toBe('SIGKILL');
      // The crash really was mid-burst: not every follow had been announced.
      expect(killedAt!.announced).toBeLessThan(burst.followers.length);

      const second = startChildBot();
      await second.ready;
      // Stalled jobs come back once the dead worker's locks expire (BullMQ lockDuration, 30 s).
      await stack.drain(120_000);
      // A tick once every event is in: the stream session is open and the chatters were active.
      await maintenance.add(MaintenanceJob.WatchtimeTick, {}, { jobId: 'tick-after-restart' });
      await waitFor(
        async () => {
          const counts = await maintenance.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          return Object.values(counts).every((n) => n === 0);
        },
        { timeoutMs: 60_000, description: 'the maintenance queue to drain' },
      );

      expectEffectsExactlyOnce(await countEffects(stack.db.prisma, stack.discord, stack.kick, burst), burst, FOLLOW_BONUS);
      expect(burst.commandMessageIds).toHaveLength(burst.chatters.length);
      const open = await stack.db.prisma.streamSession.count({ where: { broadcasterUserId: stack.streamer.userId, endedAt: null } });
      expect(open).toBe(1);
    } finally {
      await maintenance.close();
      redis.disconnect();
    }
  }, 240_000);
});
