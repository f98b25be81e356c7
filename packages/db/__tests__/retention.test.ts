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
}

describe('purgeExpiredRecords', () => {
  it('shrinks every table past its age, in batches, and leaves live rows alone', async () => {
    await fill();
    const result = await purgeExpiredRecords(db.prisma, DEFAULT_RETENTION, { now, batch: 1_000 });
    expect(result).toEqual({ deliveries: 2_500, quarantined: 1, oauthStates: 2, connectLinks: 1 });

    expect(await db.prisma.webhookDelivery.count()).toBe(40);
    expect(await db.prisma.webhookDelivery.count({ where: { messageId: { startsWith: 'old-' } } })).toBe(0);
    expect((await db.prisma.quarantinedDelivery.findMany({ select: { messageId: true } })).map((r) => r.messageId)).toEqual(['q-new']);
    expect((await db.prisma.connectLink.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id)).toEqual(['link-live', 'link-recent']);
    expect((await db.prisma.oAuthState.findMany({ select: { state: true }, orderBy: { state: 'asc' } })).map((r) => r.state)).toEqual(['st-live', 'st-recent']);

    // A second run finds nothing more to delete.
    expect(await purgeExpiredRecords(db.prisma, DEFAULT_RETENTION, { now, batch: 1_000 })).toEqual({ deliveries: 0, quarantined: 0, oauthStates: 0, connectLinks: 0 });
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
