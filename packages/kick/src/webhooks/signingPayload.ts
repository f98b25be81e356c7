/** The exact bytes Kick signs: UTF-8 `${messageId}.${timestamp}.` followed by the raw body bytes (never re-decoded). */
export function signingPayload(messageId: string, rawTimestamp: string, rawBody: Buffer | Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${messageId}.${rawTimestamp}.`, 'utf8'), rawBody]);
}
