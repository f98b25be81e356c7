import type { z } from 'zod';
import { KICK_EVENT_TYPES } from './eventTypes.ts';
import { kickEventSchemas } from './schemas.ts';

/**
 * Allocation-free "would zod accept this?" checks compiled from the zod schemas themselves (one source
 * of truth), for the webhook hot path: `schema.safeParse` builds a whole output object tree per
 * delivery (~5 KB of garbage for a chat message), although ingest only needs a yes/no and the
 * broadcaster id — the job carries the delivery's own JSON text. A `false` means "ask zod" (the
 * caller runs {@link parseKickEvent} for the issues), so a check may be stricter than zod, never looser.
 *
 * Supported: string (min/max length), number (int/safeint), boolean, enum, literal, object (strip or
 * loose), array, union, nullable, optional, and pipe into a transform — transforms are assumed total
 * (ours only fill defaults). Anything else makes {@link compileSchemaCheck} throw, so a schema change
 * that outgrows it fails the tests (and startup) instead of being checked wrongly.
 * Input must be what `JSON.parse` returns (plain objects and arrays).
 */

/**
 * The zod version whose internals (`schema._zod.def`) this compiler reads. The catalog pins zod to exactly
 * this version, and a test fails when the installed zod differs: check the compiler against the new
 * version's defs (the schemaCheck tests), then update this constant and the pin together.
 */
export const SCHEMA_CHECK_ZOD_VERSION = '4.6.7';

/** Thrown when a schema uses a construct the compiler does not understand. */
export class UnsupportedSchemaError extends Error {}

/** The parts of zod's internal schema definition (`schema._zod.def`) the compilers here read. */
export interface ZodDef {
  type: string;
  checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number; format?: string } } }[];
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  /** A transform's function (type "transform"). */
  transform?: (value: unknown, ctx: unknown) => unknown;
}

/** A zod schema's definition. */
export const defOf = (schema: z.ZodType): ZodDef => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

class Compiler {
  readonly #names = new Map<z.ZodType, string>();
  readonly #functions: string[] = [];

  /** The name of the check function for `schema` (compiled once per schema object). */
  name(schema: z.ZodType, path: string): string {
    const known = this.#names.get(schema);
    if (known) return known;
    const name = `c${this.#names.size}`;
    this.#names.set(schema, name);
    this.#functions.push(`function ${name}(v) { ${this.#body(schema, path)} }`);
    return name;
  }

  source(): string {
    return this.#functions.join('\n');
  }

  #body(schema: z.ZodType, path: string): string {
    const def = defOf(schema);
    const checks = def.checks ?? [];
    const unsupported = (what: string) => new UnsupportedSchemaError(`${path || '(root)'}: ${what} is not supported by the fast check`);
    switch (def.type) {
      case 'string': {
        const parts = ["typeof v === 'string'"];
        for (const c of checks) {
          const d = c._zod.def;
          if (d.check === 'min_length') parts.push(`v.length >= ${Number(d.minimum)}`);
          else if (d.check === 'max_length') parts.push(`v.length <= ${Number(d.maximum)}`);
          else throw unsupported(`string check "${d.check}"`);
        }
        return `return ${parts.join(' && ')};`;
      }
      case 'number': {
        const parts = ["typeof v === 'number'", 'Number.isFinite(v)'];
        for (const c of checks) {
          const d = c._zod.def;
          if (d.check === 'number_format' && (d.format === 'safeint' || d.format === 'int32')) {
            parts.push('Number.isSafeInteger(v)');
            if (d.format === 'int32') parts.push('v >= -2147483648 && v <= 2147483647');
          } else throw unsupported(`number check "${d.check}${d.format ? `:${d.format}` : ''}"`);
        }
        return `return ${parts.join(' && ')};`;
      }
      case 'boolean':
        if (checks.length) throw unsupported('boolean checks');
        return "return typeof v === 'boolean';";
      case 'unknown':
      case 'any':
        return 'return true;';
      case 'enum': {
        const values = Object.values(def.entries ?? {});
        return `return ${values.length ? values.map((x) => `v === ${JSON.stringify(x)}`).join(' || ') : 'false'};`;
      }
      case 'literal': {
        const values = def.values ?? [];
        if (!values.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || x === null)) throw unsupported('a non-primitive literal');
        return `return ${values.map((x) => `v === ${JSON.stringify(x)}`).join(' || ') || 'false'};`;
      }
      case 'nullable':
        return `return v === null || ${this.name(def.innerType!, path)}(v);`;
      case 'optional':
        return `return v === undefined || ${this.name(def.innerType!, path)}(v);`;
      case 'pipe': {
        if (defOf(def.out!).type !== 'transform') throw unsupported('a pipe into a schema (only `.transform`)');
        return `return ${this.name(def.in!, path)}(v);`;
      }
      case 'union':
        return `return ${def.options!.map((o, i) => `${this.name(o, `${path}|${i}`)}(v)`).join(' || ')};`;
      case 'array': {
        if (checks.length) throw unsupported('array checks');
        const element = this.name(def.element!, `${path}[]`);
        return `if (!Array.isArray(v)) return false; for (let i = 0; i < v.length; i++) if (!${element}(v[i])) return false; return true;`;
      }
      case 'object': {
        if (checks.length) throw unsupported('object refinements');
        // No catchall = zod's default "strip" (unknown keys dropped); `unknown` = looseObject (kept). Both accept them.
        if (def.catchall !== undefined && defOf(def.catchall).type !== 'unknown') throw unsupported('a strict or typed catchall');
        const fields = Object.entries(def.shape ?? {}).map(([key, field]) => `${this.name(field, path ? `${path}.${key}` : key)}(v[${JSON.stringify(key)}])`);
        return `if (typeof v !== 'object' || v === null || Array.isArray(v)) return false; return ${fields.length ? fields.join(' && ') : 'true'};`;
      }
      default:
        throw unsupported(`type "${def.type}"`);
    }
  }
}

/**
 * JavaScript source of an expression that evaluates to `{ [key]: (value) => boolean }`, one check per
 * entry of `schemas`. Self-contained (no closures), so it can also be evaluated in a worker thread.
 */
export function compileSchemaChecks(schemas: Readonly<Record<string, z.ZodType>>): string {
  const compiler = new Compiler();
  const entries = Object.entries(schemas).map(([key, schema]) => `${JSON.stringify(key)}: ${compiler.name(schema, key)}`);
  return `(function () {\n'use strict';\n${compiler.source()}\nreturn { ${entries.join(', ')} };\n})()`;
}

/** {@link compileSchemaChecks} for one schema: a function that returns true iff zod would accept `value`. */
export function compileSchemaCheck(schema: z.ZodType): (value: unknown) => boolean {
  const checks = evaluateChecks(compileSchemaChecks({ schema }));
  return checks.schema!;
}

function evaluateChecks(source: string): Record<string, (value: unknown) => boolean> {
  // Generated from our own schemas only (no input data reaches the source).
  return new Function(`return ${source};`)() as Record<string, (value: unknown) => boolean>;
}

/** Source of the version-1 event checks keyed by event type (see {@link compileSchemaChecks}). */
export const KICK_EVENT_CHECKS_SOURCE: string = compileSchemaChecks(kickEventSchemas);

const eventChecks = evaluateChecks(KICK_EVENT_CHECKS_SOURCE);

/**
 * The webhook hot path's validation: the broadcaster's user id when `body` (a `JSON.parse` result)
 * is a valid version-1 `type` event — exactly when {@link parseKickEvent} would succeed — else
 * `undefined` (unknown type or version, or invalid: run {@link parseKickEvent} for the reasons).
 * Allocates nothing.
 */
export function checkKickEvent(type: string, version: string, body: unknown): number | undefined {
  if (version !== '1') return undefined;
  const check = Object.hasOwn(eventChecks, type) ? eventChecks[type] : undefined;
  if (!check || !check(body)) return undefined;
  return (body as { broadcaster: { user_id: number } }).broadcaster.user_id;
}

// Every event type has a check (a new type without a schema would fail here at import).
for (const type of KICK_EVENT_TYPES) if (!Object.hasOwn(eventChecks, type)) throw new UnsupportedSchemaError(`no fast check for ${type}`);
