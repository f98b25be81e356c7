import { randomBytes } from 'node:crypto';
import { issueConnectLink, verifyConnectToken } from '@kickcord/connections';
import { TokenCipher } from '@kickcord/db';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let db: TestDatabase;
const cipher = new TokenCipher(randomBytes(32));
const guildId = '300000000000000001';

beforeAll(async () => {
  db = await createTestDatabase();
  await db.prisma.guild.create({ data: { id: guildId, name: 'Links' } });
});
afterAll(async () => {
  await db?.drop();
});

function tokenOf(url: string): string {
  return new URL(url).searchParams.get('t')!;
}

describe('connect links', () => {
  it('issues a signed one-time link backed by a ConnectLink row', async () => {
    const now = new Date();
    const { url, expiresAt, linkId } = await issueConnectLink(db.prisma, cipher, { guildId, discordUserId: '42', publicUrl: 'https://kc.example.com/', now });
    expect(url.startsWith('https://kc.example.com/connect/kick?t=')).toBe(true);
    expect(expiresAt.getTime() - now.getTime()).toBe(15 * 60 * 1000);
    const row = await db.prisma.connectLink.findUniqueOrThrow({ where: { id: linkId } });
    expect(row).toMatchObject({ guildId, discordUserId: '42', usedAt: null });
    expect(row.expiresAt.getTime()).toBe(expiresAt.getTime());
    expect(verifyConnectToken(cipher, tokenOf(url), now)).toEqual({ ok: true, linkId, guildId, discordUserId: '42', expiresAt });
  });

  it('gives every link its own random id', async () => {
    const a = await issueConnectLink(db.prisma, cipher, { guildId, discordUserId: '42', publicUrl: 'https://x' });
    const b = await issueConnectLink(db.prisma, cipher, { guildId, discordUserId: '42', publicUrl: 'https://x' });
    expect(a.linkId).not.toBe(b.linkId);
    expect(a.linkId.length).toBeGreaterThanOrEqual(24);
  });

  it('rejects a tampered payload, a tampered signature and a token signed with another key', async () => {
    const { url } = await issueConnectLink(db.prisma, cipher, { guildId, discordUserId: '42', publicUrl: 'https://x' });
    const [payload, mac] = tokenOf(url).split('.') as [string, string];
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...data, g: '999' })).toString('base64url');
    expect(verifyConnectToken(cipher, `${forgedPayload}.${mac}`)).toEqual({ ok: false, reason: 'bad_signature' });
    const flipped = mac[0] === 'A' ? `B${mac.slice(1)}` : `A${mac.slice(1)}`;
    expect(verifyConnectToken(cipher, `${payload}.${flipped}`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyConnectToken(new TokenCipher(randomBytes(32)), tokenOf(url))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects an expired token (after checking the signature)', async () => {
    const now = new Date();
    const { url } = await issueConnectLink(db.prisma, cipher, { guildId, discordUserId: '42', publicUrl: 'https://x', ttlMs: 1000, now });
    expect(verifyConnectToken(cipher, tokenOf(url), new Date(now.getTime() + 999)).ok).toBe(true);
    expect(verifyConnectToken(cipher, tokenOf(url), new Date(now.getTime() + 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects malformed tokens', () => {
    for (const t of ['', 'abc', 'a.b.c', '.', 'abc.', '.abc', 'ab$c.def', 'abc.de f']) {
      expect(verifyConnectToken(cipher, t), t).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
