import type { z } from 'zod';
import { isKickEventType } from './eventTypes.ts';
import type { KickEvent } from './kickEvent.ts';
import { kickEventSchemas } from './schemas.ts';

/** One validation problem; `path` is dotted, e.g. `sender.user_id` or `giftees.0.username`. */
export type KickEventIssue = { path: string; message: string };

/** Why an event could not be parsed. */
export type KickEventParseFailure = 'unknown_type' | 'unknown_version' | 'invalid_payload';

/** Result of {@link parseKickEvent}. */
export type KickEventParseResult =
  | { ok: true; event: KickEvent }
  | { ok: false; reason: KickEventParseFailure; issues: KickEventIssue[] };

/** Event versions this package understands. */
const SUPPORTED_VERSIONS: ReadonlySet<string> = new Set(['1']);

/**
 * Validates a webhook body (already JSON-parsed) against the schema for `type`/`version`
 * (from the `Kick-Event-Type` / `Kick-Event-Version` headers). Never throws.
 */
export function parseKickEvent(type: string, version: string, body: unknown): KickEventParseResult {
  if (!isKickEventType(type)) {
    return { ok: false, reason: 'unknown_type', issues: [{ path: '', message: `Unknown Kick event type "${type}"` }] };
  }
  if (!SUPPORTED_VERSIONS.has(version)) {
    return {
      ok: false,
      reason: 'unknown_version',
      issues: [{ path: '', message: `Unsupported version "${version}" of ${type}; supported: ${[...SUPPORTED_VERSIONS].join(', ')}` }],
    };
  }
  const schema: z.ZodType = kickEventSchemas[type];
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'invalid_payload',
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    };
  }
  // The schema for `type` produced this payload, so the pairing is sound.
  return { ok: true, event: { type, version: '1', payload: parsed.data } as KickEvent };
}
