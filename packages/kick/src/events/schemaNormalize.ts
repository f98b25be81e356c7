import type { z } from 'zod';
import { KICK_EVENT_TYPES } from './eventTypes.ts';
import type { KickEvent } from './kickEvent.ts';
import { parseKickEvent, type KickEventParseResult } from './parseKickEvent.ts';
import { compileSchemaCheck, defOf, UnsupportedSchemaError } from './schemaCheck.ts';
import { kickEventSchemas } from './schemas.ts';

/**
 * zod's output for an input its schema accepts, built without zod: the consumer's hot path (a bot worker
 * reading a job the web app already checked) needs the parsed event — defaults filled in by the schemas'
 * transforms — but not zod's per-field bookkeeping, which costs ~20 µs and ~5 KB of garbage per chat message.
 *
 * A normaliser is built from the zod schema itself (one source of truth), for the constructs the fast check
 * supports (see schemaCheck.ts); it must only be given a value the compiled check accepted. Transforms are run
 * as zod runs them (ours only fill defaults and never report issues). A test holds the output equal to zod's
 * for every sample payload and every one-position mutation of it.
 */
type Normalize = (value: unknown) => unknown;

const identity: Normalize = (v) => v;
// What a transform gets as its context: ours never add issues, so nothing is read from it.
const TRANSFORM_CONTEXT = { issues: [], addIssue(): void {}, value: undefined };

function build(schema: z.ZodType, path: string): Normalize {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'unknown':
    case 'any':
    case 'enum':
    case 'literal':
      return identity;
    case 'nullable': {
      const inner = build(def.innerType!, path);
      return inner === identity ? identity : (v) => (v === null ? null : inner(v));
    }
    case 'optional': {
      const inner = build(def.innerType!, path);
      return inner === identity ? identity : (v) => (v === undefined ? undefined : inner(v));
    }
    case 'pipe': {
      const out = defOf(def.out!);
      if (out.type !== 'transform' || !out.transform) throw new UnsupportedSchemaError(`${path}: a pipe into a schema`);
      const inner = build(def.in!, path);
      const transform = out.transform;
      return (v) => transform(inner(v), TRANSFORM_CONTEXT);
    }
    case 'union': {
      // zod takes the first option that accepts the value.
      const options = def.options!.map((o, i) => ({ accepts: compileSchemaCheck(o), normalize: build(o, `${path}|${i}`) }));
      return (v) => {
        for (const o of options) if (o.accepts(v)) return o.normalize(v);
        return v;
      };
    }
    case 'array': {
      const element = build(def.element!, `${path}[]`);
      return element === identity ? (v) => (v as unknown[]).slice() : (v) => (v as unknown[]).map((x) => element(x));
    }
    case 'object': {
      const fields = Object.entries(def.shape ?? {}).map(([key, field]) => ({ key, optional: isOptional(field), normalize: build(field, path ? `${path}.${key}` : key) }));
      const loose = def.catchall !== undefined;
      const known = new Set(fields.map((f) => f.key));
      return (v) => {
        const input = v as Record<string, unknown>;
        const output: Record<string, unknown> = {};
        for (const f of fields) {
          // zod leaves an absent optional key absent, unless something (a transform) produces a value for it.
          const present = Object.hasOwn(input, f.key);
          const value = f.normalize(present ? input[f.key] : undefined);
          if (present || !f.optional || value !== undefined) output[f.key] = value;
        }
        if (loose) for (const key of Object.keys(input)) if (!known.has(key)) output[key] = input[key];
        return output;
      };
    }
    default:
      throw new UnsupportedSchemaError(`${path || '(root)'}: type "${def.type}" is not supported by the normaliser`);
  }
}

function isOptional(schema: z.ZodType): boolean {
  const def = defOf(schema);
  if (def.type === 'optional') return true;
  if (def.type === 'pipe') return isOptional(def.in!);
  if (def.type === 'nullable') return isOptional(def.innerType!);
  return false;
}

/** A function returning zod's output for a value `compileSchemaCheck(schema)` accepted. */
export function compileSchemaNormalize(schema: z.ZodType): (value: unknown) => unknown {
  return build(schema, '');
}

const eventChecks = new Map<string, { accepts: (value: unknown) => boolean; normalize: Normalize }>(
  KICK_EVENT_TYPES.map((type) => [type, { accepts: compileSchemaCheck(kickEventSchemas[type]), normalize: compileSchemaNormalize(kickEventSchemas[type]) }]),
);

/**
 * {@link parseKickEvent}'s result, computed without zod when the payload is valid (the common case), and by
 * zod (with its issues) when it is not. Same results, about a tenth of the cost for a chat message.
 */
export function parseKickEventFast(type: string, version: string, body: unknown): KickEventParseResult {
  const fast = version === '1' ? eventChecks.get(type) : undefined;
  if (fast && fast.accepts(body)) return { ok: true, event: { type, version: '1', payload: fast.normalize(body) } as KickEvent };
  return parseKickEvent(type, version, body);
}
