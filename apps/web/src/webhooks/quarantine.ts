import type { PrismaClient } from '@kickcord/db';

/** Why a signed delivery was quarantined. */
export type QuarantineReason = 'invalid_utf8' | 'invalid_json' | 'unknown_type' | 'unknown_version' | 'invalid_payload' | 'bad_message_id';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes strict UTF-8; undefined when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Stores a signed-but-unusable delivery verbatim. Bytes that are not storable as Postgres text
 * (invalid UTF-8, NUL) are kept as `base64:<…>`. Returns true when this call inserted the row
 * (false: the same message id was already quarantined — a retry or duplicate).
 */
export async function quarantineDelivery(
  prisma: PrismaClient,
  input: { messageId: string; eventType: string; eventVersion: string; reason: string; rawBody: Buffer },
): Promise<boolean> {
  const text = decodeUtf8(input.rawBody);
  const rawBody = text === undefined || text.includes('\u0000') ? `base64:${input.rawBody.toString('base64')}` : text;
  const { count } = await prisma.quarantinedDelivery.createMany({
    data: [
      {
        messageId: input.messageId.slice(0, 512),
        eventType: input.eventType.slice(0, 200),
        eventVersion: input.eventVersion.slice(0, 50),
        reason: input.reason.slice(0, 2000),
        rawBody,
      },
    ],
    skipDuplicates: true,
  });
  return count > 0;
}
