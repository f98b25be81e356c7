import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createMigration, defaultPaths, deployMigrations, diffSchemaAgainstMigrations, isEmptyMigration, migrationChecksum, MigrationError, type MigratorPaths } from '../src/index.ts';
import { createEmptyDatabase } from '../src/testing/index.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

async function emptyDb() {
  const db = await createEmptyDatabase();
  cleanups.push(() => db.drop());
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A throwaway copy of prisma/ so tests can add migrations and edit the schema. */
function tempPrismaDir(): MigratorPaths {
  const dir = mkdtempSync(join(tmpdir(), 'kickcord-prisma-'));
  cpSync(join(defaultPaths.migrationsDir, '..'), dir, { recursive: true });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { schemaPath: join(dir, 'schema.prisma'), migrationsDir: join(dir, 'migrations') };
}

describe('offline migrations', () => {
  it('migrates a fresh database and records Prisma bookkeeping with sha256 checksums', async () => {
    const db = await emptyDb();
    const applied = await deployMigrations(db.url);
    expect(applied.length).toBeGreaterThan(0);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(db.url, 'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(applied);
    for (const row of rows) {
      const sql = readFileSync(join(defaultPaths.migrationsDir, row.migration_name, 'migration.sql'), 'utf8');
      expect(row.checksum).toBe(migrationChecksum(sql));
      expect(row.finished_at).not.toBeNull();
    }
    const tables = await query<{ n: number }>(db.url, `SELECT count(*)::int n FROM information_schema.tables WHERE table_schema='public' AND table_name='PointsLedger'`);
    expect(tables[0]?.n).toBe(1);
  });

  it('is a no-op the second time', async () => {
    const db = await emptyDb();
    await deployMigrations(db.url);
    expect(await deployMigrations(db.url)).toEqual([]);
  });

  it('leaves nothing half-applied when a migration fails, and refuses to go on (P3009)', async () => {
    const db = await emptyDb();
    const paths = tempPrismaDir();
    await deployMigrations(db.url, paths);
    const bad = join(paths.migrationsDir, '29991231235959_broken');
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'migration.sql'),
      `CREATE TABLE "HalfApplied" (id int);
       CREATE FUNCTION kc_touch() RETURNS trigger AS $$ BEGIN NEW.id := 1; RETURN NEW; END; $$ LANGUAGE plpgsql;
       ALTER TABLE "DoesNotExist" ADD COLUMN x int;`,
    );
    await expect(deployMigrations(db.url, paths)).rejects.toBeInstanceOf(MigrationError);
    const half = await query<{ n: number }>(db.url, `SELECT count(*)::int n FROM information_schema.tables WHERE table_name='HalfApplied'`);
    expect(half[0]?.n).toBe(0);
    const fn = await query<{ n: number }>(db.url, `SELECT count(*)::int n FROM pg_proc WHERE proname='kc_touch'`);
    expect(fn[0]?.n).toBe(0);
    const failed = await query<{ migration_name: string }>(db.url, `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL`);
    expect(failed.map((r) => r.migration_name)).toEqual(['29991231235959_broken']);
    const again = await deployMigrations(db.url, paths).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MigrationError);
    expect(String((again as MigrationError).code ?? (again as Error).message)).toMatch(/P3009|failed/);
  });

  it('agrees with schema.prisma in the repository (drift check passes)', async () => {
    const db = await emptyDb();
    expect(isEmptyMigration(await diffSchemaAgainstMigrations(db.url))).toBe(true);
  });

  it('catches an unmigrated schema change, and create writes the migration that fixes it', async () => {
    const db = await emptyDb();
    const paths = tempPrismaDir();
    const schema = readFileSync(paths.schemaPath, 'utf8');
    writeFileSync(paths.schemaPath, schema.replace('model KickViewer {', 'model KickViewer {\n  nickname   String?'));
    const drift = await diffSchemaAgainstMigrations(db.url, paths);
    expect(isEmptyMigration(drift)).toBe(false);
    expect(drift).toMatch(/ALTER TABLE "KickViewer" ADD COLUMN\s+"nickname" TEXT/);

    const dir = await createMigration(db.url, 'add_nickname', paths, new Date('2030-01-02T03:04:05Z'));
    expect(dir).toMatch(/20300102030405_add_nickname$/);
    expect(isEmptyMigration(await diffSchemaAgainstMigrations(db.url, paths))).toBe(true);
    expect(await createMigration(db.url, 'nothing_left', paths)).toBeUndefined();
    await expect(createMigration(db.url, 'Bad Name', paths)).rejects.toThrow(/snake_case/);

    const applied = await deployMigrations(db.url, paths);
    expect(applied.at(-1)).toBe('20300102030405_add_nickname');
    // the shadow databases used for diffing are gone
    const shadows = await query<{ n: number }>(db.url, `SELECT count(*)::int n FROM pg_database WHERE datname LIKE 'kickcord_shadow_%'`);
    expect(shadows[0]?.n).toBe(0);
  });
});
