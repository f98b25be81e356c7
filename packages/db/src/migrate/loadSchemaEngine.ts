import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import type * as SchemaEngineBg from '@prisma/schema-engine-wasm/schema_engine_bg';

type SchemaEngineStatic = typeof SchemaEngine;

// @types/node does not declare the WebAssembly global; this is the small part we use.
interface WasmModuleImport {
  module: string;
}
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, unknown>): Promise<{ exports: Record<string, unknown> }>;
  Module: { imports(module: object): WasmModuleImport[] };
}

let loaded: Promise<SchemaEngineStatic> | undefined;

/**
 * Loads Prisma's schema engine compiled to WebAssembly without `--experimental-wasm-modules`:
 * the package's entry imports its `.wasm` directly, which Node 20 refuses, so we instantiate the
 * module by hand and hand its exports to the wasm-bindgen glue.
 */
export function loadSchemaEngine(): Promise<SchemaEngineStatic> {
  loaded ??= (async () => {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@prisma/schema-engine-wasm');
    const bytes = readFileSync(join(dirname(entry), 'schema_engine_bg.wasm'));
    const bg = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as typeof SchemaEngineBg & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const module = await wasm.compile(bytes);
    const imports: Record<string, unknown> = {};
    for (const { module: name } of wasm.Module.imports(module)) imports[name] = bg;
    const instance = await wasm.instantiate(module, imports);
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bg.SchemaEngine;
  })();
  return loaded;
}
