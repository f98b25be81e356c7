import { ConnectionsError, guildsForBroadcaster, LAST_DELIVERY_RESOLUTION_SECONDS, linkWatch, recordDelivery, unlinkWatch } from '@kickcord/connections';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import type { KickEventJob } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.guild.createMany({
    data: [
      { id: '400000000000000001', name: 'A' },
      { id: '400000000000000002', name: 'B' },
      { id: '400000000000000003', name: 'Gone', active: false },
    ],
  });
});
afterAll(async () => {
  await db?.drop();
});

describe('guild ↔ broadcaster links', () => {
  it('linkWatch creates the channel row the first time and is idempotent', async () => {
    const first = await linkWatch(db.prisma, { guildId: '400000000000000001', broadcasterUserId: 501, discordUserId: '9', channel: { slug: 'five', displayName: 'Five' } });
    expect(first).toEqual({ created: true, kind: 'watch' });
    expect(await linkWatch(db.prisma, { guildId: '400000000000000001', broadcasterUserId: 501, discordUserId: '9' })).toEqual({ created: false, kind: 'watch' });
    expect(await db.prisma.kickChannel.findUnique({ where: { broadcasterUserId: 501 } })).toMatchObject({ slug: 'five', displayName: 'Five' });
  });

  it('linkWatch refuses an unknown channel without channel info', async () => {
    await expect(linkWatch(db.prisma, { guildId: '400000000000000001', broadcasterUserId: 999, discordUserId: '9' })).rejects.toBeInstanceOf(ConnectionsError);
  });

  it('keeps an owner link as owner', async () => {
    await db.prisma.guildChannelLink.create({ data: { guildId: '400000000000000002', broadcasterUserId: 501, kind: 'owner', createdByDiscordId: '8' } });
    expect(await linkWatch(db.prisma, { guildId: '400000000000000002', broadcasterUserId: 501, discordUserId: '9' })).toEqual({ created: false, kind: 'owner' });
    expect((await unlinkWatch(db.prisma, { guildId: '400000000000000002', broadcasterUserId: 501 })).removed).toBe(false);
  });

  it('guildsForBroadcaster lists active guilds only, owner first', async () => {
    await db.prisma.guildChannelLink.create({ data: { guildId: '400000000000000003', broadcasterUserId: 501, kind: 'watch', createdByDiscordId: '8' } });
    expect(await guildsForBroadcaster(db.prisma, 501)).toEqual([
      { guildId: '400000000000000002', kind: 'owner' },
      { guildId: '400000000000000001', kind: 'watch' },
    ]);
    expect(await guildsForBroadcaster(db.prisma, 12345)).toEqual([]);
  });

  it('unlinkWatch removes a watch link and says how many links remain', async () => {
    expect(await unlinkWatch(db.prisma, { guildId: '400000000000000001', broadcasterUserId: 501 })).toEqual({ removed: true, remainingLinks: 2 });
    expect(await unlinkWatch(db.prisma, { guildId: '400000000000000001', broadcasterUserId: 501 })).toEqual({ removed: false, remainingLinks: 2 });
  });
});

describe('recordDelivery', () => {
  const SUBSCRIPTION_ID = '01SUBSCRIPTION0000000000000';
  it('inserts once per message id and bumps the subscription’s lastDeliveryAt', async () => {
    await db.prisma.kickSubscription.create({ data: { id: SUBSCRIPTION_ID, broadcasterUserId: 501, event: 'channel.followed', version: 1 } });
    const job: KickEventJob = {
      messageId: '01MESSAGE00000000000000000A',
      subscriptionId: SUBSCRIPTION_ID,
      eventType: 'channel.followed',
      eventVersion: '1',
      messageTimestamp: '2026-01-01T10:00:00Z',
      receivedAt: '2026-01-01T10:00:02.000Z',
      broadcasterUserId: 501,
      payload: {},
    };
    expect(await recordDelivery(db.prisma, job)).toEqual({ inserted: true });
    expect(await recordDelivery(db.prisma, job)).toEqual({ inserted: false });
    const row = await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { messageId: job.messageId } });
    expect(row).toMatchObject({ outcome: 'enqueued', eventType: 'channel.followed', broadcasterUserId: 501 });
    expect(row.messageTimestamp.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    const sub = await db.prisma.kickSubscription.findUniqueOrThrow({ where: { id: SUBSCRIPTION_ID } });
    expect(sub.lastDeliveryAt?.toISOString()).toBe('2026-01-01T10:00:02.000Z');
    // An older delivery processed late does not move lastDeliveryAt back.
    await recordDelivery(db.prisma, { ...job, messageId: '01MESSAGE00000000000000000B', receivedAt: '2026-01-01T09:00:00.000Z' });
    expect((await db.prisma.kickSubscription.findUniqueOrThrow({ where: { id: SUBSCRIPTION_ID } })).lastDeliveryAt?.toISOString()).toBe('2026-01-01T10:00:02.000Z');
    expect(await db.prisma.webhookDelivery.count()).toBe(2);
    // Newer deliveries move it forward, but at most every LAST_DELIVERY_RESOLUTION_SECONDS (no hot row per chat message).
    await recordDelivery(db.prisma, { ...job, messageId: '01MESSAGE00000000000000000C', receivedAt: '2026-01-01T10:00:05.000Z' });
    expect((await db.prisma.kickSubscription.findUniqueOrThrow({ where: { id: SUBSCRIPTION_ID } })).lastDeliveryAt?.toISOString()).toBe('2026-01-01T10:00:02.000Z');
    await recordDelivery(db.prisma, { ...job, messageId: '01MESSAGE00000000000000000D', receivedAt: '2026-01-01T10:00:13.000Z' });
    expect((await db.prisma.kickSubscription.findUniqueOrThrow({ where: { id: SUBSCRIPTION_ID } })).lastDeliveryAt?.toISOString()).toBe('2026-01-01T10:00:13.000Z');
    expect(LAST_DELIVERY_RESOLUTION_SECONDS).toBe(10);
    // A delivery without a broadcaster (null) is recorded too.
    expect(await recordDelivery(db.prisma, { ...job, messageId: '01MESSAGE00000000000000000E', broadcasterUserId: null })).toEqual({ inserted: true });
    expect((await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { messageId: '01MESSAGE00000000000000000E' } })).broadcasterUserId).toBeNull();
  });

  it('records a delivery without Kick-Event-Subscription-Id and bumps the subscription found by broadcaster + event type', async () => {
    await db.prisma.kickChannel.upsert({ where: { broadcasterUserId: 502 }, create: { broadcasterUserId: 502, slug: 'nosubheader', displayName: 'NoSubHeader' }, update: {} });
    await db.prisma.kickSubscription.createMany({
      data: [
        { id: '01SUBNOHEADERFOLLOW00000000', broadcasterUserId: 502, event: 'channel.followed', version: 1 },
        { id: '01SUBNOHEADERLIVE0000000000', broadcasterUserId: 502, event: 'livestream.status.updated', version: 1 },
      ],
    });
    const job: KickEventJob = {
      messageId: '01MESSAGENOHEADER000000000A',
      subscriptionId: null,
      eventType: 'channel.followed',
      eventVersion: '1',
      messageTimestamp: '2026-01-02T10:00:00Z',
      receivedAt: '2026-01-02T10:00:01.000Z',
      broadcasterUserId: 502,
      payload: {},
    };
    expect(await recordDelivery(db.prisma, job)).toEqual({ inserted: true });
    expect(await recordDelivery(db.prisma, job)).toEqual({ inserted: false });
    expect(await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { messageId: job.messageId } })).toMatchObject({ subscriptionId: '', eventType: 'channel.followed', broadcasterUserId: 502 });
    const subs = await db.prisma.kickSubscription.findMany({ where: { broadcasterUserId: 502 }, orderBy: { id: 'asc' } });
    expect(subs.map((s) => [s.event, s.lastDeliveryAt?.toISOString() ?? null])).toEqual([
      ['channel.followed', '2026-01-02T10:00:01.000Z'],
      ['livestream.status.updated', null],
    ]);
  });
});
