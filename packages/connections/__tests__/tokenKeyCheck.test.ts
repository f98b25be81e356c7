import { randomBytes } from 'node:crypto';
import { checkTokenEncryptionKey, KickConnectionStore, TokenKeyMismatchError } from '@kickcord/connections';
import { TokenCipher } from '@kickcord/db';
import { createTestDatabase } from '@kickcord/db/testing';
import type { KickTokenSet } from '@kickcord/kick';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, createChannel, createConnectionsHarness, createGuild, type ConnectionsHarness } from './harness.ts';

let h: ConnectionsHarness;

beforeAll(async () => {
  h = await createConnectionsHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('checkTokenEncryptionKey', () => {
  it('stores a check with the first key, accepts the same key again and refuses a different valid key without printing it', async () => {
    const keyHex = randomBytes(32).toString('hex');
    expect(await checkTokenEncryptionKey(h.db.prisma, h.cipher)).toBe('created');
    expect(await checkTokenEncryptionKey(h.db.prisma, h.cipher)).toBe('verified');
    expect(await h.db.prisma.tokenKeyCheck.count()).toBe(1);

    const wrong = new TokenCipher(keyHex);
    const failure = await checkTokenEncryptionKey(h.db.prisma, wrong).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TokenKeyMismatchError);
    const message = (failure as Error).message;
    expect(message).toMatch(/^TOKEN_ENCRYPTION_KEY does not match the key the stored tokens were encrypted with/);
    expect(message).toMatch(/restore the original key/);
    expect(message).not.toContain(keyHex);
    expect(message).not.toContain(Buffer.from(keyHex, 'hex').toString('base64'));
    // The stored check is untouched: the original key still passes.
    expect(await checkTokenEncryptionKey(h.db.prisma, h.cipher)).toBe('verified');
  });

  it('on an install that predates the check, refuses a key that cannot decrypt the stored tokens (and stores no check for it)', async () => {
    const db = await createTestDatabase();
    try {
      const original = new TokenCipher(randomBytes(32));
      const store = new KickConnectionStore({ prisma: db.prisma, cipher: original, oauth: h.oauth, apiUrl: h.sim.apiUrl });
      const broadcasterUserId = await createChannel({ ...h, db }, 'predates_check');
      const guildId = await createGuild({ ...h, db }, 'old guild');
      const issued = h.sim.issueUserToken({ clientId: CLIENT_ID, userId: broadcasterUserId, scopes: ['chat:write'] });
      const tokens: KickTokenSet = { accessToken: issued.accessToken, refreshToken: issued.refreshToken, tokenType: 'Bearer', scopes: ['chat:write'], expiresAt: new Date(Date.now() + 3600_000) };
      await store.save({ guildId, broadcasterUserId, kickUsername: 'predates_check', tokens, connectedByDiscordId: '77' });

      await expect(checkTokenEncryptionKey(db.prisma, new TokenCipher(randomBytes(32)))).rejects.toThrow(TokenKeyMismatchError);
      expect(await db.prisma.tokenKeyCheck.count()).toBe(0);
      expect(await checkTokenEncryptionKey(db.prisma, original)).toBe('created');
      expect(await checkTokenEncryptionKey(db.prisma, original)).toBe('verified');
    } finally {
      await db.drop();
    }
  });
});
