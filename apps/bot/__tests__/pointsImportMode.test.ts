/**
 * Points import modes (`set` restores kickcord's own export, `add` adds other tools' balances) and the largest
 * balance, at the service level (real Postgres and Redis).
 */
import { appendLedgerEntries, MAX_BALANCE } from '@kickcord/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmImport, exportPointsCsv, prepareImport } from '../src/features/loyalty/pointsTransfer.ts';
import { startGamesStack, type GamesStack } from './helpers/gamesContext.ts';

let stack: GamesStack;
beforeAll(async () => {
  stack = await startGamesStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

let seq = 0;
async function balances(guildId: string): Promise<Record<number, [number, number]>> {
  const rows = await stack.db.prisma.viewerStats.findMany({ where: { guildId } });
  return Object.fromEntries(rows.map((r) => [r.kickUserId, [r.points, r.activeMinutes] as [number, number]]));
}
async function ledgerEqualsBalances(guildId: string): Promise<void> {
  const sums = await stack.db.prisma.pointsLedger.groupBy({ by: ['kickUserId'], where: { guildId }, _sum: { points: true, minutes: true } });
  const expected = Object.fromEntries(sums.map((s) => [s.kickUserId, [s._sum.points ?? 0, s._sum.minutes ?? 0]]));
  expect(await balances(guildId)).toEqual(expected);
}

describe('points import modes', () => {
  it('re-importing a kickcord export sets the balances back instead of doubling them; mode add adds, and each says which', async () => {
    const { guildId } = await stack.addOwnerGuild('restore');
    const [a, b] = [stack.viewer(`mode${++seq}`), stack.viewer(`mode${++seq}`)];
    await appendLedgerEntries(stack.db.prisma, [
      { guildId, kickUserId: a.userId, username: a.username, kind: 'admin', points: 120, minutes: 30, idempotencyKey: 'seed:a' },
      { guildId, kickUserId: b.userId, username: b.username, kind: 'admin', points: 7, minutes: 0, idempotencyKey: 'seed:b' },
    ]);
    const exported = await exportPointsCsv(stack.ctx, guildId);
    // Balances move on after the export.
    await appendLedgerEntries(stack.db.prisma, [{ guildId, kickUserId: a.userId, username: a.username, kind: 'admin', points: 10, minutes: 4, idempotencyKey: 'later:a' }]);

    const dry = await prepareImport(stack.ctx, { guildId, importId: 'set-1', csvText: exported.csv });
    expect(dry).toMatchObject({ ok: true, format: 'kickcord', mode: 'set', toImport: 2, points: -10, minutes: -4, overLimit: [] });
    expect(await confirmImport(stack.ctx, { guildId, importId: 'set-1', actorDiscordId: '1' })).toMatchObject({ inserted: 2, mode: 'set' });
    expect(await balances(guildId)).toEqual({ [a.userId]: [120, 30], [b.userId]: [7, 0] });
    await ledgerEqualsBalances(guildId);

    // The same file in set mode again changes nothing.
    expect(await prepareImport(stack.ctx, { guildId, importId: 'set-2', csvText: exported.csv })).toMatchObject({ ok: true, mode: 'set', toImport: 0, alreadyImported: 2 });

    // Chosen explicitly, add adds the file's values.
    const add = await prepareImport(stack.ctx, { guildId, importId: 'add-1', csvText: exported.csv, mode: 'add' });
    expect(add).toMatchObject({ ok: true, mode: 'add', toImport: 2, points: 127, minutes: 30 });
    expect(await confirmImport(stack.ctx, { guildId, importId: 'add-1', actorDiscordId: '1' })).toMatchObject({ inserted: 2, mode: 'add' });
    expect(await balances(guildId)).toEqual({ [a.userId]: [240, 60], [b.userId]: [14, 0] });
    await ledgerEqualsBalances(guildId);

    // Another tool's file adds by default.
    expect(await prepareImport(stack.ctx, { guildId, importId: 'se-1', csvText: `username,points,alltime\n${a.username},5,5\n` })).toMatchObject({ ok: true, format: 'streamelements', mode: 'add', points: 5 });
  });

  it('a dry run lists the rows that would pass the maximum balance and leaves them out; a balance that grew meanwhile stops the whole import', async () => {
    const { guildId } = await stack.addOwnerGuild('limit');
    const [rich, other] = [stack.viewer(`rich${++seq}`), stack.viewer(`other${++seq}`)];
    await appendLedgerEntries(stack.db.prisma, [
      { guildId, kickUserId: rich.userId, username: rich.username, kind: 'admin', points: MAX_BALANCE - 5, idempotencyKey: 'seed:rich' },
      { guildId, kickUserId: other.userId, username: other.username, kind: 'admin', points: 1, idempotencyKey: 'seed:other' },
    ]);
    const file = `username,points\n${rich.username},10\n${other.username},3\n`;
    const dry = await prepareImport(stack.ctx, { guildId, importId: 'lim-1', csvText: file });
    expect(dry).toMatchObject({ ok: true, mode: 'add', toImport: 1, points: 3, alreadyImported: 0, overLimit: [{ line: 2, username: rich.username, balance: MAX_BALANCE - 5, points: 10 }] });
    expect(await confirmImport(stack.ctx, { guildId, importId: 'lim-1', actorDiscordId: '1' })).toMatchObject({ inserted: 1 });
    expect(await balances(guildId)).toEqual({ [rich.userId]: [MAX_BALANCE - 5, 0], [other.userId]: [4, 0] });

    // Fits at the dry run, but the balance grows before Confirm: nothing of the import is applied.
    const fits = `username,points\n${rich.username},4\n${other.username},2\n`;
    expect(await prepareImport(stack.ctx, { guildId, importId: 'lim-2', csvText: fits })).toMatchObject({ ok: true, toImport: 2, overLimit: [] });
    await appendLedgerEntries(stack.db.prisma, [{ guildId, kickUserId: rich.userId, username: rich.username, kind: 'admin', points: 3, idempotencyKey: 'grow:rich' }]);
    await expect(confirmImport(stack.ctx, { guildId, importId: 'lim-2', actorDiscordId: '1' })).rejects.toThrow(/^Nothing was imported: .* would pass the maximum balance of 2,147,483,647 — a balance grew since the dry run/);
    expect(await balances(guildId)).toEqual({ [rich.userId]: [MAX_BALANCE - 2, 0], [other.userId]: [4, 0] });
    await ledgerEqualsBalances(guildId);
  });
});
