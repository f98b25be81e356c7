import { findLinkByDiscord, findLinkByKick, findLinkByKickUsername, linkAccounts, linkedDiscordIds, unlinkAccount } from '@kickcord/connections';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const ALICE = '500000000000000001';
const BOB = '500000000000000002';

describe('account links', () => {
  it('links once, is unchanged on a repeat (refreshing the username), and reads both ways', async () => {
    const first = await linkAccounts(db.prisma, { discordUserId: ALICE, kickUserId: 7001, kickUsername: 'alice_k', method: 'code' });
    expect(first).toMatchObject({ status: 'linked', replaced: [], link: { discordUserId: ALICE, kickUserId: 7001, kickUsername: 'alice_k', method: 'code' } });
    const again = await linkAccounts(db.prisma, { discordUserId: ALICE, kickUserId: 7001, kickUsername: 'Alice_K', method: 'oauth' });
    expect(again).toMatchObject({ status: 'unchanged', link: { kickUsername: 'Alice_K', method: 'code' } });
    expect(await findLinkByDiscord(db.prisma, ALICE)).toMatchObject({ kickUserId: 7001 });
    expect(await findLinkByKick(db.prisma, 7001)).toMatchObject({ discordUserId: ALICE });
    expect(await findLinkByKickUsername(db.prisma, 'alice_K')).toMatchObject({ discordUserId: ALICE });
    expect(await findLinkByKick(db.prisma, 7999)).toBeNull();
  });

  it('reports a conflict on either side without replace, and replaces both with it', async () => {
    await linkAccounts(db.prisma, { discordUserId: BOB, kickUserId: 7002, kickUsername: 'bob_k', method: 'code' });
    // Alice wants Bob's Kick account: her own link and Bob's stand in the way.
    const conflict = await linkAccounts(db.prisma, { discordUserId: ALICE, kickUserId: 7002, kickUsername: 'bob_k', method: 'oauth' });
    expect(conflict).toMatchObject({ status: 'conflict', discordLinkedTo: { kickUserId: 7001 }, kickLinkedTo: { discordUserId: BOB } });
    expect(await findLinkByDiscord(db.prisma, BOB)).toMatchObject({ kickUserId: 7002 });

    const replaced = await linkAccounts(db.prisma, { discordUserId: ALICE, kickUserId: 7002, kickUsername: 'bob_k', method: 'oauth', replace: true });
    expect(replaced.status).toBe('linked');
    if (replaced.status !== 'linked') return;
    expect(replaced.replaced.map((l) => l.kickUserId).sort()).toEqual([7001, 7002]);
    expect(await findLinkByDiscord(db.prisma, BOB)).toBeNull();
    expect(await findLinkByKick(db.prisma, 7001)).toBeNull();
    expect(await findLinkByKick(db.prisma, 7002)).toMatchObject({ discordUserId: ALICE, method: 'oauth' });
  });

  it('lets only one of two concurrent links of the same Kick account win', async () => {
    const results = await Promise.all([
      linkAccounts(db.prisma, { discordUserId: '500000000000000011', kickUserId: 7100, kickUsername: 'racer', method: 'code' }),
      linkAccounts(db.prisma, { discordUserId: '500000000000000012', kickUserId: 7100, kickUsername: 'racer', method: 'code' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['conflict', 'linked']);
    expect(await db.prisma.accountLink.count({ where: { kickUserId: 7100 } })).toBe(1);
  });

  it('linkedDiscordIds maps linked Kick ids only, in one call', async () => {
    const map = await linkedDiscordIds(db.prisma, [7002, 7001, 7002, 7100, 123]);
    expect(map.get(7002)).toBe(ALICE);
    expect(map.has(7001)).toBe(false);
    expect(map.has(123)).toBe(false);
    expect(map.size).toBe(2);
    expect((await linkedDiscordIds(db.prisma, [])).size).toBe(0);
  });

  it('unlinkAccount returns the removed link once', async () => {
    expect(await unlinkAccount(db.prisma, ALICE)).toMatchObject({ kickUserId: 7002 });
    expect(await unlinkAccount(db.prisma, ALICE)).toBeNull();
    expect(await findLinkByKick(db.prisma, 7002)).toBeNull();
  });

  it('refuses ids that cannot be right', async () => {
    await expect(linkAccounts(db.prisma, { discordUserId: 'x', kickUserId: 1, kickUsername: 'a', method: 'code' })).rejects.toThrow(/snowflake/);
    await expect(linkAccounts(db.prisma, { discordUserId: ALICE, kickUserId: 0, kickUsername: 'a', method: 'code' })).rejects.toThrow(/positive integer/);
  });
});
