import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditActors, auditChanges, listAudit, recordAudit } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.guild.createMany({ data: [{ id: 'g-audit-1', name: 'One' }, { id: 'g-audit-2', name: 'Two' }] });
});
afterAll(async () => db?.drop());

describe('recordAudit / listAudit', () => {
  it('keeps who changed what, from where, newest first, scoped to the guild and filterable by actor', async () => {
    await recordAudit(db.prisma, { guildId: 'g-audit-1', actorId: '1', actorName: 'alice', source: 'discord', action: 'loyalty.settings', detail: { pointsPerMinute: { from: 1, to: 2 } } });
    await recordAudit(db.prisma, { guildId: 'g-audit-1', actorId: '2', actorName: 'bob', source: 'dashboard', action: 'dashboard.manager_roles', detail: { added: ['10'], removed: [] } });
    await recordAudit(db.prisma, { guildId: 'g-audit-2', actorId: '1', actorName: 'alice', source: 'discord', action: 'loyalty.settings', detail: {} });

    const all = await listAudit(db.prisma, 'g-audit-1');
    expect(all.map((e) => [e.actorName, e.source, e.action])).toEqual([
      ['bob', 'dashboard', 'dashboard.manager_roles'],
      ['alice', 'discord', 'loyalty.settings'],
    ]);
    expect(all[1]?.detail).toEqual({ pointsPerMinute: { from: 1, to: 2 } });
    const alice = await listAudit(db.prisma, 'g-audit-1', { actorId: '1' });
    expect(alice).toHaveLength(1);
    expect(alice[0]?.guildId).toBe('g-audit-1');
    expect(await auditActors(db.prisma, 'g-audit-1')).toEqual([{ actorId: '1', actorName: 'alice' }, { actorId: '2', actorName: 'bob' }]);
    const page2 = await listAudit(db.prisma, 'g-audit-1', { limit: 1, before: { createdAt: all[0]!.createdAt, id: all[0]!.id } });
    expect(page2.map((e) => e.actorName)).toEqual(['alice']);
  });

  it('refuses an empty action name', async () => {
    await expect(recordAudit(db.prisma, { guildId: 'g-audit-1', actorId: '1', actorName: 'a', source: 'discord', action: '', detail: {} })).rejects.toThrow(/audit action/);
  });
});

describe('auditChanges', () => {
  it('lists only the keys whose values differ, arrays by content', () => {
    expect(auditChanges({ a: 1, b: ['x'], c: 'same' }, { a: 2, b: ['x'], c: 'same' })).toEqual({ a: { from: 1, to: 2 } });
    expect(auditChanges({}, { a: 'new' })).toEqual({ a: { from: null, to: 'new' } });
  });
});
