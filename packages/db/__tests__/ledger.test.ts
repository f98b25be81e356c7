import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLedgerEntries, BalanceLimitError, MAX_BALANCE, spendPoints } from '../src/index.ts';
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

  it('never carries a balance past the integer maximum: refuses the whole append with a clear error, or caps an event bonus', async () => {
    const base = { guildId, kind: 'admin' as const };
    await appendLedgerEntries(db.prisma, [{ ...base, kickUserId: 900, username: 'nearmax', points: MAX_BALANCE - 5, idempotencyKey: 'admin:near' }]);
    // Refused: nothing of the append is written, not even the other viewer's entry.
    const refused = appendLedgerEntries(
      db.prisma,
      [
        { ...base, kickUserId: 901, username: 'fine', points: 10, idempotencyKey: 'admin:fine' },
        { ...base, kickUserId: 900, username: 'nearmax', points: 10, idempotencyKey: 'admin:over' },
      ],
      { overLimit: 'refuse' },
    );
    await expect(refused).rejects.toThrow(BalanceLimitError);
    await expect(refused).rejects.toThrow('nearmax has 2,147,483,642 points; adding 10 would pass the maximum balance of 2,147,483,647 — nothing was written.');
    await expect(refused).rejects.toMatchObject({ viewers: [{ guildId, kickUserId: 900, username: 'nearmax', balance: MAX_BALANCE - 5, adding: 10 }] });
    expect(await balance(guildId, 901)).toBeNull();
    expect(await db.prisma.pointsLedger.count({ where: { guildId, idempotencyKey: { in: ['admin:fine', 'admin:over'] } } })).toBe(0);
    // What fits is accepted when refusing.
    expect(await appendLedgerEntries(db.prisma, [{ ...base, kickUserId: 900, username: 'nearmax', points: 5, idempotencyKey: 'admin:fits' }], { overLimit: 'refuse' })).toEqual({ inserted: 1, skipped: 0 });
    expect((await balance(guildId, 900))?.points).toBe(MAX_BALANCE);
    // Capped (the default, for event bonuses): written with the points that fit — 0 at the limit — never an error.
    const bonus = { ...base, kind: 'kicks' as const, kickUserId: 900, username: 'nearmax' };
    expect(await appendLedgerEntries(db.prisma, [{ ...bonus, points: 50, idempotencyKey: 'msg:capped' }, { ...base, kickUserId: 901, username: 'fine', points: 10, idempotencyKey: 'msg:fine' }])).toEqual({ inserted: 2, skipped: 0 });
    expect((await db.prisma.pointsLedger.findFirst({ where: { guildId, idempotencyKey: 'msg:capped' } }))?.points).toBe(0);
    expect((await balance(guildId, 900))?.points).toBe(MAX_BALANCE);
    expect((await balance(guildId, 901))?.points).toBe(10);
    const sum = await db.prisma.pointsLedger.aggregate({ where: { guildId, kickUserId: 900 }, _sum: { points: true } });
    expect(sum._sum.points).toBe(MAX_BALANCE);
  });
});
