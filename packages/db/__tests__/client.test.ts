import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgPool, createPrismaClient, disconnectPrisma } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.ts';

let db: TestDatabase;
let admin: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  const url = new URL(db.url);
  url.pathname = '/postgres';
  admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

/** Terminates the backends of the test database that run `application_name`; returns how many. */
async function terminate(applicationName: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    'SELECT count(*) AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2) t',
    [db.name, applicationName],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Polls `check` every 20 ms until it is true (fails after 10 s). */
async function waitFor(check: () => boolean, { description }: { description: string }): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const withApp = (url: string, name: string) => {
  const u = new URL(url);
  u.searchParams.set('application_name', name);
  return u.toString();
};

describe('createPrismaClient', () => {
  it('reports every statement it sends through onStatement', async () => {
    let statements = 0;
    const prisma = createPrismaClient(db.url, { onStatement: () => void statements++ });
    try {
      await prisma.guild.count();
      const afterOne = statements;
      expect(afterOne).toBeGreaterThanOrEqual(1);
      await prisma.$executeRawUnsafe('SELECT 1');
      await prisma.$queryRawUnsafe('SELECT 2');
      expect(statements).toBe(afterOne + 2);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe('database connections that the server terminates', () => {
  it('a checked-out connection killed between queries is reported, not an uncaught exception', async () => {
    const errors: Error[] = [];
    const pool = createPgPool(withApp(db.url, 'kc_checked_out'), { poolSize: 2, onConnectionError: (e) => errors.push(e) });
    try {
      const client = await pool.connect(); // checked out: pg's pool no longer listens for its errors
      await client.query('SELECT 1');
      expect(await terminate('kc_checked_out')).toBe(1);
      await waitFor(() => errors.length > 0, { description: 'the connection error to be reported' });
      expect(errors[0]!.message).toMatch(/terminat/);
      client.release(errors[0]);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('Prisma keeps working after every connection it had was terminated', async () => {
    const errors: Error[] = [];
    const prisma = createPrismaClient(withApp(db.url, 'kc_prisma'), { poolSize: 2, onConnectionError: (e) => errors.push(e) });
    try {
      expect(await prisma.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
      expect(await terminate('kc_prisma')).toBeGreaterThan(0);
      await waitFor(() => errors.length > 0, { description: 'the idle connection error to be reported' });
      expect(await prisma.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    } finally {
      expect(await disconnectPrisma(prisma)).toBeUndefined();
    }
  });
});
