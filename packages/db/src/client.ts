import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.ts';

/** Options for {@link createPrismaClient}. */
export interface PrismaClientOptions {
  /** Maximum pooled connections (default 10). */
  poolSize?: number;
  /** Milliseconds to wait for a pooled connection before failing (default 10 000). */
  connectionTimeoutMs?: number;
  /** Called when a pooled connection breaks (server restart, failover, `pg_terminate_backend`). */
  onConnectionError?: (error: Error) => void;
  /** Called for every statement sent to PostgreSQL (a counter for metrics, the bench and tests). */
  onStatement?: () => void;
}

/**
 * Creates a Prisma client over `@prisma/adapter-pg` (no native query engine).
 * Call `$disconnect()` on shutdown; {@link disconnectPrisma} does it without throwing.
 */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(createPgPool(databaseUrl, options), { disposeExternalPool: true }) });
}

/**
 * The pg pool under {@link createPrismaClient}. Every connection keeps an 'error' listener for its whole
 * life: pg emits 'error' on a client whose server connection dies, but the pool listens only while the
 * client is idle and Prisma's adapter only inside its own transactions, so a connection terminated while
 * checked out between queries threw an uncaught exception (seen once in the Postgres resilience test; in
 * production it would crash the process on a database restart). The broken client is still discarded and
 * a query that was using it still fails (and is retried).
 */
export function createPgPool(databaseUrl: string, options: PrismaClientOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
  });
  const onError = (error: Error) => options.onConnectionError?.(error);
  const onStatement = options.onStatement;
  pool.on('connect', (client) => {
    client.on('error', onError);
    if (onStatement) {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        onStatement();
        return query(...args);
      };
    }
  });
  pool.on('error', () => undefined); // an idle client's error: already reported by the listener above
  return pool;
}

/** Closes the client's pool; errors while closing are returned, not thrown, so shutdown goes on. */
export async function disconnectPrisma(prisma: PrismaClient): Promise<Error | undefined> {
  try {
    await prisma.$disconnect();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
