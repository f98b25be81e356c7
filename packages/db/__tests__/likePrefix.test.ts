import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { likePrefix } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

let db: TestDatabase;
const NAMES = ['a_b', 'axb', 'a%c', 'abc', 'a\\d', 'a_bc'];

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.guild.create({ data: { id: 'g-like', name: 'Like' } });
  await db.prisma.viewerStats.createMany({ data: NAMES.map((username, i) => ({ guildId: 'g-like', kickUserId: 900 + i, username })) });
});
afterAll(async () => db?.drop());

const prefixed = async (typed: string) =>
  (await db.prisma.viewerStats.findMany({ where: { guildId: 'g-like', username: { startsWith: likePrefix(typed), mode: 'insensitive' } }, select: { username: true } }))
    .map((r) => r.username)
    .sort();

describe('likePrefix', () => {
  it('escapes the LIKE wildcards and the escape character', () => {
    expect(likePrefix('a_b%c\\d')).toBe('a\\_b\\%c\\\\d');
    expect(likePrefix('plain')).toBe('plain');
  });

  it('makes a startsWith search match `_`, `%` and `\\` literally in PostgreSQL', async () => {
    expect(await prefixed('a_')).toEqual(['a_b', 'a_bc']);
    expect(await prefixed('a%')).toEqual(['a%c']);
    expect(await prefixed('a\\')).toEqual(['a\\d']);
    expect(await prefixed('A')).toEqual([...NAMES].sort());
    // Without it, `_` matches any one character.
    expect(
      (await db.prisma.viewerStats.findMany({ where: { guildId: 'g-like', username: { startsWith: 'a_' } }, select: { username: true } })).map((r) => r.username).sort(),
    ).toEqual(['a%c', 'a\\d', 'a_b', 'a_bc', 'abc', 'axb']);
  });
});
