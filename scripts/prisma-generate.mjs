// Generates the Prisma client without Prisma's binary host (see docs/prisma-offline.md).
// `prisma generate` only needs PRISMA_SCHEMA_ENGINE_BINARY to name an existing executable
// so that the CLI skips its download; generation itself never runs it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stub = join(root, 'node_modules', '.cache', 'kickcord', 'schema-engine-stub');
if (!existsSync(stub)) {
  mkdirSync(dirname(stub), { recursive: true });
  writeFileSync(stub, '#!/bin/sh\necho "schema-engine-cli 0.0.0 (kickcord offline stub)"\n');
  chmodSync(stub, 0o755);
}
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= stub;
env.DATABASE_URL ??= 'postgresql://localhost:5432/unused';
const bin = join(root, 'node_modules', '.bin', 'prisma');
if (!existsSync(bin)) {
  console.log('prisma CLI not installed yet; skipping client generation');
  process.exit(0);
}
const result = spawnSync(bin, ['generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
