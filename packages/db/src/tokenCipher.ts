import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const AUTH_TAG_BYTES = 16;

/** Thrown when a ciphertext cannot be decrypted (wrong key, tampered or malformed). Never carries the secret. */
export class TokenCipherError extends Error {
  override readonly name = 'TokenCipherError';
}

/**
 * Parses TOKEN_ENCRYPTION_KEY: 32 bytes as 64 hex characters or base64.
 * Throws a message that says how to make one, never echoing the value.
 */
export function parseEncryptionKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new TokenCipherError('TOKEN_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64 — generate one with `openssl rand -hex 32`');
  }
  return key;
}

/**
 * AES-256-GCM encryption for secrets at rest (OAuth tokens, PKCE verifiers).
 * Format: `v1.<iv b64url>.<tag b64url>.<ciphertext b64url>`; a random 96-bit IV per value.
 */
export class TokenCipher {
  private readonly key: Buffer;

  constructor(key: Buffer | string) {
    this.key = typeof key === 'string' ? parseEncryptionKey(key) : key;
    if (this.key.length !== 32) throw new TokenCipherError('encryption key must be 32 bytes');
  }

  encrypt(plaintext: string, associatedData = ''): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(ciphertext: string, associatedData = ''): string {
    const [version, iv, tag, body] = ciphertext.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new TokenCipherError('ciphertext is not in kickcord v1 format');
    const authTag = Buffer.from(tag, 'base64url');
    // GCM accepts tags as short as 4 bytes, which an attacker can forge far more easily: only the full tag counts.
    if (authTag.length !== AUTH_TAG_BYTES) throw new TokenCipherError(`ciphertext is not in kickcord v1 format (authentication tag must be ${AUTH_TAG_BYTES} bytes)`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: AUTH_TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData));
      decipher.setAuthTag(authTag);
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new TokenCipherError('ciphertext could not be decrypted — wrong TOKEN_ENCRYPTION_KEY or tampered data');
    }
  }

  /** A key for HMAC signing derived from the encryption key (domain-separated; the raw key is never reused). */
  deriveKey(purpose: string): Buffer {
    return createHmac('sha256', this.key).update(`kickcord:${purpose}`).digest();
  }

  /** Short fingerprint of the key for logs and diagnostics (not reversible). */
  fingerprint(): string {
    return createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }
}
