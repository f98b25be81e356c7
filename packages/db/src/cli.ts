/**
 * `pnpm db:migrate` | `pnpm db:migrate:create <name>` | `pnpm db:check`
 * Runs Prisma migrations through the WASM schema engine, so no native binary is downloaded.
 */
import { createMigration, deployMigrations, diffSchemaAgainstMigrations, isEmptyMigration, MigrationError } from './migrate/migrator.ts';

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is missing — set it to a PostgreSQL URL, e.g. postgresql://postgres@127.0.0.1:5432/kickcord (see .env.example)');
    process.exit(2);
  }
  return url;
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'deploy': {
      const applied = await deployMigrations(databaseUrl());
      console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date; no migration applied.');
      return;
    }
    case 'create': {
      const name = args[0];
      if (!name) throw new MigrationError('Usage: pnpm db:migrate:create <snake_case_name>', 'KC_USAGE');
      const dir = await createMigration(databaseUrl(), name);
      console.log(dir ? `Wrote ${dir}/migration.sql — review it, then run pnpm db:migrate` : 'schema.prisma and prisma/migrations already agree; nothing to create.');
      return;
    }
    case 'check': {
      const sql = await diffSchemaAgainstMigrations(databaseUrl());
      if (isEmptyMigration(sql)) {
        console.log('schema.prisma and prisma/migrations agree.');
        return;
      }
      console.error('schema.prisma has changes that no migration contains. Run `pnpm db:migrate:create <name>`. Missing SQL:\n');
      console.error(sql);
      process.exitCode = 1;
      return;
    }
    default:
      throw new MigrationError(`Unknown command "${command ?? ''}". Use deploy, create <name> or check.`, 'KC_USAGE');
  }
}

// The WASM engine leaves a ~10 s lock-timeout timer pending after it finishes; exit when done.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
  const e = error instanceof MigrationError ? error : new MigrationError(String((error as Error)?.message ?? error), undefined);
  console.error(`${e.code ? `[${e.code}] ` : ''}${e.message}`);
  process.exit(1);
  },
);
