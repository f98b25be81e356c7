import { createHash, randomBytes } from 'node:crypto';

/** The S256 code challenge for a PKCE verifier (RFC 7636 §4.2): BASE64URL(SHA256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** A fresh PKCE verifier (43 base64url chars, 256 bits) and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

/** An unguessable OAuth `state` value (192 bits, base64url). */
export function createState(): string {
  return randomBytes(24).toString('base64url');
}
