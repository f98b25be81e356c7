import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, purgeExpiredRecords } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

let db: TestDatabase;
const now = new Date('2026-12-06T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const DAY = 86_400_000;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.guild.create({ data: { id: 'g-retention', name: 'Retention Guild' } });
});
afterAll(async () => db?.drop());

async function fill(): Promise<void> {
  const p = db.prisma;
  // 2,500 old delivery records (more than one batch at batch = 1,000) and 40 recent ones.
  const deliveries = [
    ...Array.from({ length: 2_500 }, (_, i) => ({ messageId: `old-${i}`, receivedAt: ago(8 * DAY + i) })),
    ...Array.from({ length: 40 }, (_, i) => ({ messageId: `new-${i}`, receivedAt: ago(6 * DAY - i) })),
  ].map((d) => ({ ...d, subscriptionId: 's', eventType: 'chat.message.sent', eventVersion: '1', broadcasterUserId: 7, messageTimestamp: d.receivedAt, outcome: 'enqueued' as const }));
  await p.webhookDelivery.createMany({ data: deliveries });
  await p.quarantinedDelivery.createMany({
    data: [
      { messageId: 'q-old', eventType: 'x', eventVersion: '1', reason: 'unknown_type', rawBody: '{}', receivedAt: ago(31 * DAY) },
      { messageId: 'q-new', eventType: 'x', eventVersion: '1', reason: 'unknown_type', rawBody: '{}', receivedAt: ago(29 * DAY) },
    ],
  });
  await p.connectLink.createMany({
    data: [
      { id: 'link-old', guildId: 'g-retention', discordUserId: '1', expiresAt: ago(8 * DAY) },
      { id: 'link-recent', guildId: 'g-retention', discordUserId: '1', expiresAt: ago(6 * DAY) },
      { id: 'link-live', guildId: 'g-retention', discordUserId: '1', expiresAt: new Date(now.getTime() + 3_600_000) },
    ],
  });
  await p.oAuthState.createMany({
    data: [
      { state: 'st-old', connectLinkId: 'link-live', codeVerifierEnc: 'x', expiresAt: ago(25 * 3_600_000) },
      { state: 'st-recent', connectLinkId: 'link-live', codeVerifierEnc: 'x', expiresAt: ago(23 * 3_600_000) },
      { state: 'st-live', connectLinkId: 'link-live', codeVerifierEnc: 'x', expiresAt: new Date(now.getTime() + 600_000) },
      { state: 'st-of-old-link', connectLinkId: 'link-old', codeVerifierEnc: 'x', expiresAt: ago(8 * DAY) },
    ],
  });
  const action = (id: string, createdAt: Date) => ({ id, guildId: 'g-retention', broadcasterUserId: 7, kickUserId: 8, kickUsername: 'v', kind: 'ban' as const, source: 'command', status: 'done' as const, idempotencyKey: `k-${id}`, createdAt });
  await p.moderationAction.createMany({ data: [action('00000000-0000-4000-8000-000000000001', ago(366 * DAY)), action('00000000-0000-4000-8000-000000000002', ago(364 * DAY))] });
  const redemption = (redemptionId: string, extra: { status: 'pending' | 'accepted' | 'rejected'; redeemedAt: Date; decidedAt?: Date; queuedAt?: Date; queueDoneAt?: Date }) => ({
    guildId: 'g-retention',
    redemptionId,
    rewardId: 'r',
    rewardTitle: 'Hydrate',
    cost: 10,
    kickUserId: 8,
    username: 'v',
    ...extra,
  });
  await p.channelRewardRedemption.createMany({
    data: [
      redemption('decided-old', { status: 'accepted', redeemedAt: ago(200 * DAY), decidedAt: ago(91 * DAY) }),
      redemption('decided-recent', { status: 'rejected', redeemedAt: ago(200 * DAY), decidedAt: ago(89 * DAY) }),
      redemption('kick-decided-old', { status: 'accepted', redeemedAt: ago(91 * DAY) }),
      redemption('pending-old', { status: 'pending', redeemedAt: ago(400 * DAY) }),
      redemption('queued-old', { status: 'accepted', redeemedAt: ago(200 * DAY), decidedAt: ago(200 * DAY), queuedAt: ago(200 * DAY) }),
      redemption('queue-done-old', { status: 'accepted', redeemedAt: ago(200 * DAY), decidedAt: ago(200 * DAY), queuedAt: ago(200 * DAY), queueDoneAt: ago(150 * DAY) }),
    ],
  });
}

describe('purgeExpiredRecords', () => {
  it('shrinks every table past its age, in batches, and leaves live rows alone', async () => {
    await fill();
    const result = await purgeExpiredRecords(db.prisma, DEFAULT_RETENTION, { now, batch: 1_000 });
    expect(result).toEqual({ deliveries: 2_500, quarantined: 1, oauthStates: 2, connectLinks: 1, moderationActions: 1, redemptions: 3 });

    expect(await db.prisma.webhookDelivery.count()).toBe(40);
    expect(await db.prisma.webhookDelivery.count({ where: { messageId: { startsWith: 'old-' } } })).toBe(0);
    expect((await db.prisma.quarantinedDelivery.findMany({ select: { messageId: true } })).map((r) => r.messageId)).toEqual(['q-new']);
    expect((await db.prisma.connectLink.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id)).toEqual(['link-live', 'link-recent']);
    expect((await db.prisma.oAuthState.findMany({ select: { state: true }, orderBy: { state: 'asc' } })).map((r) => r.state)).toEqual(['st-live', 'st-recent']);
    expect((await db.prisma.moderationAction.findMany({ select: { id: true } })).map((r) => r.id)).toEqual(['00000000-0000-4000-8000-000000000002']);
    // Pending and still-queued redemptions stay, however old; decided ones go by their decision date.
    expect((await db.prisma.channelRewardRedemption.findMany({ select: { redemptionId: true }, orderBy: { redemptionId: 'asc' } })).map((r) => r.redemptionId)).toEqual(['decided-recent', 'pending-old', 'queued-old']);

    // A second run finds nothing more to delete.
    expect(await purgeExpiredRecords(db.prisma, DEFAULT_RETENTION, { now, batch: 1_000 })).toEqual({ deliveries: 0, quarantined: 0, oauthStates: 0, connectLinks: 0, moderationActions: 0, redemptions: 0 });
  });

  it('follows a shorter policy', async () => {
    await db.prisma.webhookDelivery.create({
      data: { messageId: 'two-days', subscriptionId: 's', eventType: 'channel.followed', eventVersion: '1', broadcasterUserId: 7, messageTimestamp: ago(2 * DAY), receivedAt: ago(2 * DAY), outcome: 'enqueued' },
    });
    const result = await purgeExpiredRecords(db.prisma, { ...DEFAULT_RETENTION, deliveryDays: 1 }, { now });
    expect(result.deliveries).toBeGreaterThanOrEqual(1);
    expect(await db.prisma.webhookDelivery.findUnique({ where: { messageId: 'two-days' } })).toBeNull();
  });
});
