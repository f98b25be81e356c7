import type { PrismaClient, TokenCipher } from '@kickcord/db';
import { connectionTokenAad } from './KickConnectionStore.ts';
import { TokenKeyMismatchError } from './TokenKeyMismatchError.ts';

/** The constant the key check row encrypts. */
const KEY_CHECK_PLAINTEXT = 'kickcord token key check v1';
/** Associated data of the key check row (binds the value to its purpose). */
const KEY_CHECK_AAD = 'kickcord:token-key-check';
const KEY_CHECK_ID = 1;

/** Outcome of {@link checkTokenEncryptionKey}: the stored check matched, or this key's check was stored now. */
export type TokenKeyCheckOutcome = 'verified' | 'created';

function decrypts(cipher: TokenCipher, value: string, aad: string, expected?: string): boolean {
  try {
    const plaintext = cipher.decrypt(value, aad);
    return expected === undefined || plaintext === expected;
  } catch {
    return false;
  }
}

/**
 * Checks at start that `cipher`'s key (TOKEN_ENCRYPTION_KEY) is the key the stored tokens were encrypted
 * with, by decrypting the `TokenKeyCheck` row (a known constant encrypted with the key of the first start).
 * With no row yet, a stored Kick connection is tried instead (installs that predate the check), then this
 * key's check is stored. Throws {@link TokenKeyMismatchError} on a mismatch; never logs or returns the key.
 */
export async function checkTokenEncryptionKey(prisma: PrismaClient, cipher: TokenCipher): Promise<TokenKeyCheckOutcome> {
  const stored = await prisma.tokenKeyCheck.findUnique({ where: { id: KEY_CHECK_ID } });
  if (stored) {
    if (!decrypts(cipher, stored.value, KEY_CHECK_AAD, KEY_CHECK_PLAINTEXT)) throw new TokenKeyMismatchError(cipher.fingerprint());
    return 'verified';
  }
  const connection = await prisma.kickConnection.findFirst({ select: { broadcasterUserId: true, accessTokenEnc: true }, orderBy: { createdAt: 'asc' } });
  if (connection && !decrypts(cipher, connection.accessTokenEnc, connectionTokenAad(connection.broadcasterUserId, 'access'))) {
    throw new TokenKeyMismatchError(cipher.fingerprint());
  }
  await prisma.tokenKeyCheck.createMany({ data: [{ id: KEY_CHECK_ID, value: cipher.encrypt(KEY_CHECK_PLAINTEXT, KEY_CHECK_AAD) }], skipDuplicates: true });
  // Another process may have stored its check first (with another key): read back what is stored.
  const winner = await prisma.tokenKeyCheck.findUniqueOrThrow({ where: { id: KEY_CHECK_ID } });
  if (!decrypts(cipher, winner.value, KEY_CHECK_AAD, KEY_CHECK_PLAINTEXT)) throw new TokenKeyMismatchError(cipher.fingerprint());
  return 'created';
}
