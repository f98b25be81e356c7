import { Prisma } from '@kickcord/db';

/** True for a unique-constraint violation, from Prisma's query API (P2002) or a raw query (Postgres 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2002') return true;
  return error.code === 'P2010' && JSON.stringify(error.meta ?? {}).includes('23505');
}
