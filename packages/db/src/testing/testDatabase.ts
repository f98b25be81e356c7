import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createPrismaClient } from '../client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { defaultPaths, deployMigrations } from '../migrate/migrator.ts';

/** Server used by tests; a database per test file is created on it. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  const dir = defaultPaths.migrationsDir;
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'migration.sql');
    if (statSync(join(dir, name)).isDirectory()) hash.update(name).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let template: Promise<string> | undefined;

/**
 * A migrated template database named after the migrations' hash: built once per set of
 * migrations (under an advisory lock, so parallel workers build it once) and reused by every run.
 */
export function ensureTemplateDatabase(): Promise<string> {
  template ??= withAdmin(async (admin) => {
    const name = `kickcord_tpl_${migrationsHash()}`;
    await admin.query('SELECT pg_advisory_lock(4242001)');
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate', [name]);
      if (!rowCount) {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${name}"`);
        await deployMigrations(withDatabase(testServerUrl(), name));
        await admin.query(`ALTER DATABASE "${name}" WITH is_template = true ALLOW_CONNECTIONS = false`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(4242001)');
    }
    return name;
  });
  return template;
}

/** A freshly migrated database of a test file's own. */
export interface TestDatabase {
  /** Connection string of this database. */
  url: string;
  name: string;
  prisma: PrismaClient;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

/**
 * Creates a database for one test file from the migrated template (fast: a file copy), so test
 * files run in parallel and twice in a row without seeing each other's rows. Call `drop()` in afterAll.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const tpl = await ensureTemplateDatabase();
  const name = `kickcord_t_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${tpl}"`));
  const url = withDatabase(testServerUrl(), name);
  const prisma = createPrismaClient(url, { poolSize: 5 });
  return {
    url,
    name,
    prisma,
    async drop() {
      await prisma.$disconnect().catch(() => undefined);
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** Creates an empty (unmigrated) database; for migrator tests. */
export async function createEmptyDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `kickcord_e_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  return {
    url: withDatabase(testServerUrl(), name),
    name,
    drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
