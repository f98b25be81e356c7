import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.ts';

/** Options for {@link createPrismaClient}. */
export interface PrismaClientOptions {
  /** Maximum pooled connections (default 10). */
  poolSize?: number;
  /** Milliseconds to wait for a pooled connection before failing (default 10 000). */
  connectionTimeoutMs?: number;
}

/**
 * Creates a Prisma client over `@prisma/adapter-pg` (no native query engine).
 * Call `$disconnect()` on shutdown; {@link disconnectPrisma} does it without throwing.
 */
export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
  });
  return new PrismaClient({ adapter });
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
