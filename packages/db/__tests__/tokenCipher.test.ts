import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEncryptionKey, TokenCipher, TokenCipherError } from '../src/index.ts';

const key = randomBytes(32).toString('hex');

describe('TokenCipher (AES-256-GCM)', () => {
  it('round-trips and never stores the plaintext', () => {
    const cipher = new TokenCipher(key);
    const secret = 'kick-access-token-abcdef0123456789';
    const enc = cipher.encrypt(secret, 'conn:1');
    expect(enc).not.toContain(secret);
    expect(enc.startsWith('v1.')).toBe(true);
    expect(cipher.encrypt(secret, 'conn:1')).not.toBe(enc); // random IV
    expect(cipher.decrypt(enc, 'conn:1')).toBe(secret);
  });

  it('refuses a wrong key, wrong associated data or a tampered ciphertext without echoing secrets', () => {
    const cipher = new TokenCipher(key);
    const enc = cipher.encrypt('s3cret-token', 'a');
    expect(() => new TokenCipher(randomBytes(32)).decrypt(enc, 'a')).toThrow(TokenCipherError);
    expect(() => cipher.decrypt(enc, 'b')).toThrow(/wrong TOKEN_ENCRYPTION_KEY or tampered/);
    const parts = enc.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'), 'a')).toThrow(TokenCipherError);
    expect(() => cipher.decrypt('garbage', 'a')).toThrow(/format/);
  });

  it('refuses a truncated authentication tag (only the full 16-byte GCM tag is accepted)', () => {
    const cipher = new TokenCipher(key);
    const enc = cipher.encrypt('s3cret-token', 'a');
    const parts = enc.split('.');
    const tag = Buffer.from(parts[2] ?? '', 'base64url');
    expect(tag).toHaveLength(16);
    for (const length of [4, 8, 12, 15]) {
      const truncated = [parts[0], parts[1], tag.subarray(0, length).toString('base64url'), parts[3]].join('.');
      expect(() => cipher.decrypt(truncated, 'a')).toThrow(/authentication tag must be 16 bytes/);
    }
    expect(cipher.decrypt(enc, 'a')).toBe('s3cret-token');
  });

  it('accepts hex or base64 keys of 32 bytes only', () => {
    expect(parseEncryptionKey(key)).toHaveLength(32);
    expect(parseEncryptionKey(Buffer.from(key, 'hex').toString('base64'))).toHaveLength(32);
    expect(() => parseEncryptionKey('abcd-my-secret')).toThrow(/openssl rand -hex 32/);
    try {
      parseEncryptionKey('abcd-my-secret');
    } catch (e) {
      expect((e as Error).message).not.toContain('abcd-my-secret');
    }
  });
});
