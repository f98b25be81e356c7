import { sign, type KeyObject } from 'node:crypto';
import { signingPayload } from './signingPayload.ts';

/**
 * Signs a webhook delivery the way Kick does (RSA PKCS#1 v1.5, SHA-256, standard base64).
 * For kick-sim and tests; `timestamp` must be the exact string sent in `Kick-Event-Message-Timestamp`.
 */
export function signKickWebhook(input: {
  messageId: string;
  timestamp: string;
  rawBody: Buffer | Uint8Array | string;
  privateKey: KeyObject | string;
}): string {
  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  return sign('sha256', signingPayload(input.messageId, input.timestamp, body), input.privateKey).toString('base64');
}
