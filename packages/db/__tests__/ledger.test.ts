import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLedgerEntries, spendPoints } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

let db: TestDatabase;
const guildId = 'g-ledger';

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.guild.create({ data: { id: guildId, name: 'Ledger Guild' } });
  await db.prisma.guild.create({ data: { id: 'g-other', name: 'Other Guild' } });
});
afterAll(async () => db?.drop());

async function balance(g: string, user: number) {
  return db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: g, kickUserId: user } } });
}

describe('points ledger', () => {
  it('refuses a second entry with the same idempotency key and leaves the balance unchanged', async () => {
    const entry = { guildId, kickUserId: 1, username: 'alice', kind: 'follow' as const, points: 50, idempotencyKey: 'msg:01HX' };
    expect(await appendLedgerEntries(db.prisma, [entry])).toEqual({ inserted: 1, skipped: 0 });
    expect((await balance(guildId, 1))?.points).toBe(50);
    expect(await appendLedgerEntries(db.prisma, [{ ...entry, points: 999 }])).toEqual({ inserted: 0, skipped: 1 });
    expect((await balance(guildId, 1))?.points).toBe(50);
    await expect(
      db.prisma.pointsLedger.create({ data: { guildId, kickUserId: 1, kind: 'follow', points: 5, idempotencyKey: 'msg:01HX' } }),
    ).rejects.toThrow(/Unique constraint/);
    expect((await balance(guildId, 1))?.points).toBe(50);
  });

  it('scopes idempotency keys per guild', async () => {
    const r = await appendLedgerEntries(db.prisma, [{ guildId: 'g-other', kickUserId: 1, username: 'alice', kind: 'follow', points: 7, idempotencyKey: 'msg:01HX' }]);
    expect(r.inserted).toBe(1);
    expect((await balance('g-other', 1))?.points).toBe(7);
    expect((await balance(guildId, 1))?.points).toBe(50);
  });

  it('pays exactly once when the same batch is appended concurrently', async () => {
    const batch = Array.from({ length: 200 }, (_, i) => ({
      guildId,
      kickUserId: 1000 + (i % 50),
      username: `v${i % 50}`,
      kind: 'watch' as const,
      points: 2,
      minutes: 1,
      idempotencyKey: `tick:s1:${i}`,
    }));
    const results = await Promise.all([appendLedgerEntries(db.prisma, batch), appendLedgerEntries(db.prisma, batch), appendLedgerEntries(db.prisma, batch)]);
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(200);
    const stats = await db.prisma.viewerStats.aggregate({ where: { guildId, kickUserId: { gte: 1000 } }, _sum: { points: true, activeMinutes: true } });
    expect(stats._sum.points).toBe(400);
    expect(stats._sum.activeMinutes).toBe(200);
  });

  it('balances always equal the sum of the ledger', async () => {
    const drift = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "ViewerStats" s
       LEFT JOIN (SELECT "guildId", "kickUserId", sum(points)::int p, sum(minutes)::int m FROM "PointsLedger" GROUP BY 1, 2) l
         USING ("guildId", "kickUserId")
       WHERE s.points <> COALESCE(l.p, 0) OR s."activeMinutes" <> COALESCE(l.m, 0)`,
    );
    expect(drift[0]?.n).toBe(0);
  });

  it('spends only what the balance covers, once per key', async () => {
    const base = { guildId, kickUserId: 1, username: 'alice', kind: 'raffle' as const };
    expect(await spendPoints(db.prisma, { ...base, cost: 80, idempotencyKey: 'raffle:r1:1' })).toEqual({ ok: false, reason: 'insufficient', balance: 50 });
    expect(await spendPoints(db.prisma, { ...base, cost: 30, idempotencyKey: 'raffle:r2:1' })).toEqual({ ok: true, balance: 20, duplicate: false });
    expect(await spendPoints(db.prisma, { ...base, cost: 30, idempotencyKey: 'raffle:r2:1' })).toMatchObject({ ok: true, duplicate: true });
    expect((await balance(guildId, 1))?.points).toBe(20);
  });

  it('has tenant-scoping indexes that lead with guildId', async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ tablename: string; indexdef: string }[]>(
      `SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const leadsWithGuild = (table: string) => rows.some((r) => r.tablename === table && /\("guildId"/.test(r.indexdef));
    for (const table of ['PointsLedger', 'ViewerStats', 'ChatCommand', 'Timer', 'Raffle', 'GtbRound', 'SlotCall', 'AnnouncementSetting', 'PostedAnnouncement', 'OutgoingChatMessage', 'GuildChannelLink']) {
      expect(leadsWithGuild(table), `${table} has an index leading with guildId`).toBe(true);
    }
    expect(rows.some((r) => r.tablename === 'PointsLedger' && /UNIQUE.*\("guildId", "idempotencyKey"\)/.test(r.indexdef))).toBe(true);
    expect(rows.some((r) => r.tablename === 'GuildChannelLink' && /\("broadcasterUserId"\)/.test(r.indexdef))).toBe(true);
  });
});
