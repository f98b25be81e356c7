/**
 * The chat path at queue speed: an ordinary chat message (no command, no game entry) costs no PostgreSQL
 * statement — its delivery is a Redis "last heard" mark, the fan-out list and the guild's settings come
 * from Redis, and a first-time viewer is queued in Redis — while maintenance flushes write the batched
 * results. Counted with the stack's own statement counter (every statement its Prisma client sends).
 */
import { flushLastHeard } from '@kickcord/connections';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnrecoverableError } from 'bullmq';
import { cachedGuildSettings, forgetGuildSettings } from '../src/guildSettings.ts';
import { processKickEvent } from '../src/kickEvents/processKickEvent.ts';
import { purgeExpiredRecordsTask } from '../src/features/deliveryRecords/purgeExpiredRecordsTask.ts';
import { flushNewViewers } from '../src/viewers/newViewers.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';
import { openMonitor } from './helpers/monitor.ts';

let stack: ServiceStack;

beforeAll(async () => {
  stack = await startServiceStack();
});
afterAll(async () => stack?.close());

describe('an ordinary chat message', () => {
  it('sends no statement to PostgreSQL; the flushes write first-time viewers and last-heard marks in batches', async () => {
    const viewers = Array.from({ length: 8 }, (_, i) => stack.viewer(`plainchatter${i}`));
    // Warm-up: the first message of the guild fills the fan-out and settings caches.
    await stack.sim.sendChat(stack.streamer.userId, viewers[0]!.userId, 'hello', { at: stack.clock.now() });
    await flushNewViewers(stack.ctx);
    const before = stack.statements();
    for (let i = 0; i < 40; i++) {
      const viewer = viewers[i % viewers.length]!;
      await stack.sim.sendChat(stack.streamer.userId, viewer.userId, `just chatting ${i}`, { at: stack.clock.now() });
    }
    expect(stack.failures).toEqual([]);
    expect(stack.statements() - before).toBe(0);

    // First-time viewers are not in PostgreSQL yet…
    const ids = viewers.slice(1).map((v) => v.userId);
    expect(await stack.db.prisma.viewerStats.count({ where: { guildId: stack.guildId, kickUserId: { in: ids } } })).toBe(0);
    // …until the flush writes them all (7 viewers, one statement).
    const flushBefore = stack.statements();
    expect(await flushNewViewers(stack.ctx)).toBe(7);
    expect(stack.statements() - flushBefore).toBeLessThanOrEqual(2);
    const stats = await stack.db.prisma.viewerStats.findMany({ where: { guildId: stack.guildId, kickUserId: { in: ids } }, orderBy: { kickUserId: 'asc' } });
    expect(stats.map((s) => [s.kickUserId, s.username, s.points])).toEqual(viewers.slice(1).map((v) => [v.userId, v.username, 0]).sort((a, b) => Number(a[0]) - Number(b[0])));
    expect(await stack.db.prisma.kickViewer.count({ where: { userId: { in: ids } } })).toBe(7);
    expect(await flushNewViewers(stack.ctx)).toBe(0);

    // The subscription's "last heard from" reaches PostgreSQL through its flush, not per message.
    await flushLastHeard(stack.ctx.prisma, stack.ctx.redis, stack.ctx.env.QUEUE_PREFIX);
    const chatSub = await stack.db.prisma.kickSubscription.findFirst({ where: { broadcasterUserId: stack.streamer.userId, event: 'chat.message.sent' } });
    expect(chatSub?.lastDeliveryAt).not.toBeNull();
    // No delivery record row per chat message.
    expect(await stack.db.prisma.webhookDelivery.count({ where: { eventType: 'chat.message.sent' } })).toBe(0);
  });

  it('a command still reads PostgreSQL (the counter sees statements)', async () => {
    const viewer = stack.viewer('commandchatter');
    const before = stack.statements();
    stack.clock.advance(60_000);
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, '!points', { at: stack.clock.now() });
    expect(stack.statements() - before).toBeGreaterThan(0);
  });

  it('sees a settings change at once: the writer drops the cached copy', async () => {
    const viewer = stack.viewer('prefixchatter');
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'warm the cache', { at: stack.clock.now() });
    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { commandPrefix: '?' } });
    // Without the invalidation the cached prefix '!' would still apply.
    await forgetGuildSettings(stack.ctx, stack.guildId);
    stack.clock.advance(60_000);
    const sent = await stack.sim.sendChat(stack.streamer.userId, viewer.userId, '?points', { at: stack.clock.now() });
    const replies = stack.sim.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot' && m.replyToMessageId === sent.messageId);
    expect(replies).toHaveLength(1);
    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { commandPrefix: '!' } });
    await forgetGuildSettings(stack.ctx, stack.guildId);
  });
});

describe('local copies of the hot cache entries', () => {
  it('answer a warm chat message without reading the settings, fan-out or raffle entries from Redis', async () => {
    const viewer = stack.viewer('copychatter');
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'warm the copies', { at: stack.clock.now() });
    const keys = [stack.ctx.keys.guildSettings(stack.guildId), stack.ctx.fanOut.key(stack.streamer.userId), stack.ctx.keys.raffleKeyword(stack.guildId)];
    const monitor = await openMonitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((a) => a.startsWith(stack.ctx.keys.prefix))) seen.push(args);
    });
    try {
      await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'just chatting', { at: stack.clock.now() });
      // The activity script always runs: once it is seen, every command of the message has been.
      await waitFor(() => seen.some((args) => args[0]?.toLowerCase() === 'evalsha' && args.some((a) => a.includes(':act:'))), { description: 'the activity script in MONITOR' });
      expect(seen.filter((args) => args.some((a) => keys.includes(a)))).toEqual([]);
    } finally {
      monitor.disconnect();
    }
  });

  it('are dropped in every process when one process changes settings or links', async () => {
    const other = await stack.newContext();
    const settingsKey = other.keys.guildSettings(stack.guildId);
    const linksKey = other.fanOut.key(stack.streamer.userId);
    expect((await cachedGuildSettings(other, stack.guildId)).commandPrefix).toBe('!');
    expect((await other.fanOut.guildsFor(stack.streamer.userId)).map((g) => g.guildId)).toEqual([stack.guildId]);
    expect(other.localCopies?.get(settingsKey)).toBeDefined();
    expect(other.localCopies?.get(linksKey)).toBeDefined();

    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { commandPrefix: '?' } });
    await forgetGuildSettings(stack.ctx, stack.guildId);
    await stack.ctx.fanOut.forget(stack.streamer.userId);
    await waitFor(() => other.localCopies?.get(settingsKey) === undefined && other.localCopies?.get(linksKey) === undefined, { description: 'copies dropped by the announcement' });
    expect((await cachedGuildSettings(other, stack.guildId)).commandPrefix).toBe('?');

    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { commandPrefix: '!' } });
    await forgetGuildSettings(stack.ctx, stack.guildId);
    await waitFor(() => other.localCopies?.get(settingsKey) === undefined, { description: 'copy dropped again' });
    expect((await cachedGuildSettings(other, stack.guildId)).commandPrefix).toBe('!');
  });
});

describe('reading a job without zod', () => {
  it('refuses an invalid job or payload for good, with zod’s explanation', async () => {
    const job = { messageId: '01JTESTJOBREAD000000000000', subscriptionId: null, eventType: 'chat.message.sent', eventVersion: '1', messageTimestamp: new Date().toISOString(), receivedAt: new Date().toISOString(), broadcasterUserId: stack.streamer.userId };
    const refused = (data: unknown) => processKickEvent(stack.ctx, [], data).then(() => null, (error: unknown) => error);
    const noJob = await refused({ ...job, messageId: 5 });
    expect(noJob).toBeInstanceOf(UnrecoverableError);
    expect((noJob as Error).message).toMatch(/^invalid kick-events job: .*messageId/s);
    const badPayload = await refused({ ...job, payload: { message_id: 'x', broadcaster: { user_id: 'not a number' } } });
    expect(badPayload).toBeInstanceOf(UnrecoverableError);
    expect((badPayload as Error).message).toMatch(/unusable chat\.message\.sent v1 event \(invalid_payload\)/);
  });
});

describe('the retention task', () => {
  it('purges records older than the RETENTION_* ages and keeps younger ones', async () => {
    const now = stack.clock.now().getTime();
    const day = 86_400_000;
    const row = (messageId: string, ageMs: number) => ({
      messageId,
      subscriptionId: 's',
      eventType: 'channel.followed',
      eventVersion: '1',
      broadcasterUserId: stack.streamer.userId,
      messageTimestamp: new Date(now - ageMs),
      receivedAt: new Date(now - ageMs),
      outcome: 'enqueued' as const,
    });
    await stack.db.prisma.webhookDelivery.createMany({ data: [row('retention-old', 8 * day), row('retention-young', 6 * day)] });
    expect(stack.ctx.env.RETENTION_DELIVERY_DAYS).toBe(7);
    const deleted = (await purgeExpiredRecordsTask.run(stack.ctx, undefined as never)) as { deliveries: number };
    expect(deleted.deliveries).toBeGreaterThanOrEqual(1);
    const left = await stack.db.prisma.webhookDelivery.findMany({ where: { messageId: { startsWith: 'retention-' } }, select: { messageId: true } });
    expect(left.map((r) => r.messageId)).toEqual(['retention-young']);
  });
});
