import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLedgerEntries, appendWatchTickBatch, appendWatchTicks, type WatchTickInput, type WatchTickSettings } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

let db: TestDatabase;
const guildId = 'g-ticks';
const plain: WatchTickSettings = { pointsPerMinute: 10, subscriberMultiplier: 1.5, maxMinutesPerStream: 0, maxPointsPerDay: 0 };
// 2026-01-01T00:00:00Z as a minute index
const DAY_START = Date.UTC(2026, 0, 1) / 60_000;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.guild.create({ data: { id: guildId, name: 'Ticks' } });
});
afterAll(async () => db?.drop());

function input(sessionId: string, rows: WatchTickInput['rows'], settings: WatchTickSettings = plain, startMinute = DAY_START): WatchTickInput {
  return { guildId, sessionId, sessionStartedAt: new Date(startMinute * 60_000 + 15_000), settings, rows };
}

async function stats(user: number) {
  return db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId: user } } });
}

async function ledgerSums(user: number) {
  const agg = await db.prisma.pointsLedger.aggregate({ where: { guildId, kickUserId: user }, _sum: { points: true, minutes: true } });
  return { points: agg._sum.points ?? 0, activeMinutes: agg._sum.minutes ?? 0 };
}

describe('appendWatchTicks', () => {
  it('pays each (session, minute, viewer) once, with the subscriber multiplier, and keeps stats equal to the ledger', async () => {
    const rows = [
      { kickUserId: 1, username: 'Alice', minute: DAY_START, isSubscriber: false },
      { kickUserId: 2, username: 'bob', minute: DAY_START, isSubscriber: true },
      { kickUserId: 1, username: 'Alice', minute: DAY_START + 1, isSubscriber: false },
    ];
    expect(await appendWatchTicks(db.prisma, input('s1', rows))).toEqual({ inserted: 3, skipped: 0, minutes: 3, points: 35 });
    expect(await appendWatchTicks(db.prisma, input('s1', rows))).toEqual({ inserted: 0, skipped: 3, minutes: 0, points: 0 });
    expect(await stats(1)).toMatchObject({ points: 20, activeMinutes: 2, username: 'Alice' });
    expect((await stats(1))?.lastActiveAt?.getTime()).toBe((DAY_START + 1) * 60_000);
    expect(await stats(2)).toMatchObject({ points: 15, activeMinutes: 1 });
    const keys = (await db.prisma.pointsLedger.findMany({ where: { guildId, kind: 'watch' }, orderBy: { id: 'asc' } })).map((r) => r.idempotencyKey);
    expect(keys).toEqual([`tick:s1:${DAY_START}:1`, `tick:s1:${DAY_START + 1}:1`, `tick:s1:${DAY_START}:2`]);
  });

  it('stops at the per-stream minute cap, counting minutes already paid in this stream session only', async () => {
    const settings = { ...plain, maxMinutesPerStream: 3 };
    const user = 10;
    const mk = (m: number) => ({ kickUserId: user, username: 'cap', minute: DAY_START + m, isSubscriber: false });
    expect((await appendWatchTicks(db.prisma, input('s2', [mk(0), mk(1)], settings))).minutes).toBe(2);
    // catch-up batch of 3 minutes: only one more fits
    expect(await appendWatchTicks(db.prisma, input('s2', [mk(2), mk(3), mk(4)], settings))).toMatchObject({ inserted: 1, minutes: 1, points: 10 });
    // a new session starts from zero
    expect((await appendWatchTicks(db.prisma, input('s3', [mk(10), mk(11)], settings, DAY_START + 10))).minutes).toBe(2);
    expect(await stats(user)).toMatchObject({ activeMinutes: 5, points: 50 });
  });

  it('cuts points at the daily cap (partial award, minutes still count) and starts again the next UTC day', async () => {
    const settings = { ...plain, pointsPerMinute: 7, maxPointsPerDay: 20 };
    const user = 20;
    const mk = (m: number) => ({ kickUserId: user, username: 'day', minute: DAY_START + m, isSubscriber: false });
    const first = await appendWatchTicks(db.prisma, input('s4', [mk(0), mk(1), mk(2), mk(3)], settings));
    expect(first).toMatchObject({ inserted: 4, minutes: 4, points: 20 });
    const points = (await db.prisma.pointsLedger.findMany({ where: { guildId, kickUserId: user }, orderBy: { createdAt: 'asc' } })).map((r) => r.points);
    expect(points).toEqual([7, 7, 6, 0]);
    expect((await appendWatchTicks(db.prisma, input('s4', [mk(4)], settings))).points).toBe(0);
    // next day: a fresh budget (same session, spanning midnight)
    const next = await appendWatchTicks(db.prisma, input('s4', [mk(1440), mk(1441), mk(1442)], settings));
    expect(next).toMatchObject({ minutes: 3, points: 20 });
  });

  it('does not let already-paid rows of a repeated catch-up batch consume the caps again', async () => {
    const settings = { ...plain, maxMinutesPerStream: 3, maxPointsPerDay: 25 };
    const user = 30;
    const mk = (m: number) => ({ kickUserId: user, username: 'rep', minute: DAY_START + 100 + m, isSubscriber: false });
    await appendWatchTicks(db.prisma, input('s5', [mk(0), mk(1)], settings, DAY_START + 100));
    const again = await appendWatchTicks(db.prisma, input('s5', [mk(0), mk(1), mk(2)], settings, DAY_START + 100));
    expect(again).toMatchObject({ inserted: 1, minutes: 1, points: 5 });
    expect(await stats(user)).toMatchObject({ activeMinutes: 3, points: 25 });
  });

  it('pays once when the same tick runs concurrently, and an aborted transaction pays nothing', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ kickUserId: 1000 + i, username: `v${i}`, minute: DAY_START + 500, isSubscriber: i % 3 === 0 }));
    const results = await Promise.all(Array.from({ length: 4 }, () => appendWatchTicks(db.prisma, input('s6', rows, plain, DAY_START + 500))));
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(300);

    const crashRows = rows.map((r) => ({ ...r, minute: r.minute + 1 }));
    await expect(
      db.prisma.$transaction(async (tx) => {
        await appendWatchTicks(tx, input('s6', crashRows, plain, DAY_START + 500));
        throw new Error('worker killed mid-tick');
      }),
    ).rejects.toThrow('worker killed');
    expect(await db.prisma.pointsLedger.count({ where: { guildId, idempotencyKey: { startsWith: `tick:s6:${DAY_START + 501}:` } } })).toBe(0);
    expect((await appendWatchTicks(db.prisma, input('s6', crashRows, plain, DAY_START + 500))).inserted).toBe(300);

    for (const user of [1000, 1001, 1299]) expect(await stats(user)).toMatchObject(await ledgerSums(user));
    expect(await stats(1000)).toMatchObject({ points: 30, activeMinutes: 2 });
  });

  it('keeps ViewerStats equal to the ledger under a mix of concurrent ticks and event credits', async () => {
    const users = [2000, 2001, 2002];
    const jobs: Promise<unknown>[] = [];
    for (let m = 0; m < 10; m++) {
      const rows = users.map((u) => ({ kickUserId: u, username: `mix${u}`, minute: DAY_START + 700 + m, isSubscriber: u === 2001 }));
      jobs.push(appendWatchTicks(db.prisma, input('s7', rows, plain, DAY_START + 700)));
      jobs.push(appendWatchTicks(db.prisma, input('s7', rows, plain, DAY_START + 700)));
      jobs.push(appendLedgerEntries(db.prisma, users.map((u) => ({ guildId, kickUserId: u, username: `mix${u}`, kind: 'kicks' as const, points: 3, idempotencyKey: `msg:mix${m}:${u}` }))));
    }
    await Promise.all(jobs);
    for (const u of users) {
      const s = await stats(u);
      expect(s).toMatchObject(await ledgerSums(u));
      expect(s?.activeMinutes).toBe(10);
    }
    expect((await stats(2001))?.points).toBe(10 * 15 + 30);
  });

  it('pays many sessions of different guilds in one statement, keeping guilds, caps and keys apart', async () => {
    await db.prisma.guild.create({ data: { id: 'g-ticks-2', name: 'Ticks 2' } });
    const viewer = 4242;
    const rowsAt = (m: number) => [{ kickUserId: viewer, username: 'both', minute: DAY_START + 900 + m, isSubscriber: false }];
    const a = { ...input('b1', [...rowsAt(0), ...rowsAt(1), ...rowsAt(2)], { ...plain, maxMinutesPerStream: 2 }, DAY_START + 900) };
    const b = { ...input('b2', [...rowsAt(0), ...rowsAt(1)], { ...plain, pointsPerMinute: 3 }, DAY_START + 900), guildId: 'g-ticks-2' };
    expect(await appendWatchTickBatch(db.prisma, [a, b])).toEqual({ inserted: 4, skipped: 1, minutes: 4, points: 26 });
    expect(await appendWatchTickBatch(db.prisma, [a, b])).toMatchObject({ inserted: 0 });
    expect(await stats(viewer)).toMatchObject({ activeMinutes: 2, points: 20 });
    const other = await db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: 'g-ticks-2', kickUserId: viewer } } });
    expect(other).toMatchObject({ activeMinutes: 2, points: 6 });
  });

  it('carries the fraction a subscriber multiplier leaves: 1.5× at 1 point a minute pays 15 over 10 minutes, in blocks or minute by minute', async () => {
    const settings: WatchTickSettings = { pointsPerMinute: 1, subscriberMultiplier: 1.5, maxMinutesPerStream: 0, maxPointsPerDay: 0 };
    const start = DAY_START + 1100;
    const blocks = { kickUserId: 5100, username: 'subBlocks', isSubscriber: true };
    const minutes = { kickUserId: 5101, username: 'subMinutes', isSubscriber: true };
    const viewer = { kickUserId: 5102, username: 'plainViewer', isSubscriber: false };
    for (const b of [0, 5]) {
      const rows = [
        { ...blocks, minute: start + b, minutes: 5, lastMinute: start + b + 4 },
        { ...viewer, minute: start + b, minutes: 5, lastMinute: start + b + 4 },
        ...[0, 1, 2, 3, 4].map((i) => ({ ...minutes, minute: start + b + i })),
      ];
      await appendWatchTicks(db.prisma, input('carry1', rows, settings, start));
    }
    const ledger = await db.prisma.pointsLedger.findMany({ where: { guildId, kickUserId: blocks.kickUserId }, orderBy: { createdAt: 'asc' } });
    expect(ledger.map((r) => [r.minutes, r.points])).toEqual([
      [5, 7],
      [5, 8],
    ]);
    expect(await stats(blocks.kickUserId)).toMatchObject({ points: 15, activeMinutes: 10, carryHundredths: 0 });
    expect(await stats(minutes.kickUserId)).toMatchObject({ points: 15, activeMinutes: 10, carryHundredths: 0 });
    expect(await stats(viewer.kickUserId)).toMatchObject({ points: 10, activeMinutes: 10, carryHundredths: 0 });
    for (const u of [blocks.kickUserId, minutes.kickUserId]) expect(await stats(u)).toMatchObject(await ledgerSums(u));
    // An odd block leaves a fraction on the stats row; a repeated block moves neither points nor the fraction.
    const odd = [{ ...blocks, minute: start + 10, minutes: 3, lastMinute: start + 12 }];
    expect(await appendWatchTicks(db.prisma, input('carry1', odd, settings, start))).toMatchObject({ inserted: 1, points: 4 });
    expect(await appendWatchTicks(db.prisma, input('carry1', odd, settings, start))).toMatchObject({ inserted: 0, points: 0 });
    expect(await stats(blocks.kickUserId)).toMatchObject({ points: 19, carryHundredths: 50 });
  });

  it('never fails a channel over a balance at the integer maximum: the payout is cut to what fits, other viewers are paid', async () => {
    const max = 2_147_483_647;
    const start = DAY_START + 1200;
    await appendLedgerEntries(db.prisma, [
      { guildId, kickUserId: 5200, username: 'rich', kind: 'admin', points: max - 3, idempotencyKey: 'admin:rich' },
      { guildId, kickUserId: 5201, username: 'full', kind: 'admin', points: max, idempotencyKey: 'admin:full' },
    ]);
    const rows = [5200, 5201, 5202].map((u) => ({ kickUserId: u, username: `u${u}`, minute: start, minutes: 5, lastMinute: start + 4, isSubscriber: false }));
    const paid = await appendWatchTicks(db.prisma, input('overflow1', rows, plain, start));
    expect(paid).toEqual({ inserted: 3, skipped: 0, minutes: 15, points: 3 + 0 + 50 });
    expect(await stats(5200)).toMatchObject({ points: max, activeMinutes: 5 });
    expect(await stats(5201)).toMatchObject({ points: max, activeMinutes: 5 });
    expect(await stats(5202)).toMatchObject({ points: 50, activeMinutes: 5 });
    for (const u of [5200, 5201, 5202]) expect(await stats(u)).toMatchObject(await ledgerSums(u));
    // The next block pays the full viewers nothing and still counts their minutes.
    const next = rows.map((r) => ({ ...r, minute: start + 5, lastMinute: start + 9 }));
    expect(await appendWatchTicks(db.prisma, input('overflow1', next, plain, start))).toMatchObject({ inserted: 3, points: 50 });
    expect(await stats(5200)).toMatchObject({ points: max, activeMinutes: 10 });
  });

  it('rejects a session id that would break the ledger key pattern', async () => {
    await expect(appendWatchTicks(db.prisma, input('bad:id', [{ kickUserId: 1, username: 'x', minute: 1, isSubscriber: false }]))).rejects.toThrow(RangeError);
  });
});

describe('appendWatchTicks with payout blocks', () => {
  it('pays a block as one ledger row, exactly once, with the same result as paying its minutes one by one (caps included)', async () => {
    // Two guilds with the same settings: one paid minute by minute, one in 5-minute blocks.
    const perMinute = 'g-blocks-minute';
    const perBlock = 'g-blocks-block';
    await db.prisma.guild.createMany({ data: [{ id: perMinute, name: 'Minutes' }, { id: perBlock, name: 'Blocks' }] });
    const settings: WatchTickSettings = { pointsPerMinute: 7, subscriberMultiplier: 1.5, maxMinutesPerStream: 13, maxPointsPerDay: 75 };
    const start = DAY_START + 1440 * 3;
    // Viewer 1 active every minute; viewer 2 (subscriber) active in minutes 1, 2 and 4 of each block.
    const active = (user: number, m: number) => user === 1 || [1, 2, 4].includes(m % 5);
    const names = { 1: 'every', 2: 'some' } as const;
    for (let block = 0; block < 4; block++) {
      const b = start + block * 5;
      const minuteRows = [];
      const blockRows = [];
      for (const user of [1, 2] as const) {
        const minutes = [0, 1, 2, 3, 4].map((i) => b + i).filter((m) => active(user, m));
        for (const m of minutes) minuteRows.push({ kickUserId: user, username: names[user], minute: m, isSubscriber: user === 2 });
        blockRows.push({ kickUserId: user, username: names[user], minute: b, minutes: minutes.length, lastMinute: minutes[minutes.length - 1]!, isSubscriber: user === 2 });
      }
      await appendWatchTickBatch(db.prisma, [{ guildId: perMinute, sessionId: 'bm', sessionStartedAt: new Date(start * 60_000), settings, rows: minuteRows }]);
      const paid = await appendWatchTickBatch(db.prisma, [{ guildId: perBlock, sessionId: 'bb', sessionStartedAt: new Date(start * 60_000), settings, rows: blockRows }]);
      expect(paid.inserted).toBeLessThanOrEqual(2);
      // Running the same block again pays nothing.
      expect(await appendWatchTickBatch(db.prisma, [{ guildId: perBlock, sessionId: 'bb', sessionStartedAt: new Date(start * 60_000), settings, rows: blockRows }])).toMatchObject({ inserted: 0, points: 0, minutes: 0 });
    }
    for (const user of [1, 2]) {
      const a = await db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: perMinute, kickUserId: user } } });
      const b = await db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: perBlock, kickUserId: user } } });
      expect(b).toMatchObject({ points: a?.points, activeMinutes: a?.activeMinutes });
      const sums = await db.prisma.pointsLedger.aggregate({ where: { guildId: perBlock, kickUserId: user }, _sum: { points: true, minutes: true } });
      expect({ points: sums._sum.points, minutes: sums._sum.minutes }).toEqual({ points: b?.points, minutes: b?.activeMinutes });
    }
    // The caps bit: 13 minutes per stream for viewer 1 (of 20), the 75-point day cap for both.
    expect(await db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: perBlock, kickUserId: 1 } } })).toMatchObject({ activeMinutes: 13, points: 75 });
    const rows = await db.prisma.pointsLedger.findMany({ where: { guildId: perBlock, kickUserId: 1 }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.idempotencyKey, r.minutes])).toEqual([
      [`tick:bb:${start}:1`, 5],
      [`tick:bb:${start + 5}:1`, 5],
      [`tick:bb:${start + 10}:1`, 3],
    ]);
    const stats2 = await db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: perBlock, kickUserId: 2 } } });
    expect(stats2?.lastActiveAt?.getTime()).toBe((start + 15 + 4) * 60_000);
  });
});
