export { createPgPool, createPrismaClient, disconnectPrisma } from './client.ts';
export type { PrismaClientOptions } from './client.ts';
export { TokenCipher, TokenCipherError, parseEncryptionKey } from './tokenCipher.ts';
export { appendLedgerEntries, spendPoints } from './ledger.ts';
export type { AppendLedgerOptions, LedgerAppendResult, LedgerEntryInput, SpendResult } from './ledger.ts';
export { BalanceLimitError } from './BalanceLimitError.ts';
export type { BalanceOverLimit } from './BalanceLimitError.ts';
export { appendWatchTickBatch, appendWatchTicks, MAX_BALANCE } from './watchTicks.ts';
export type { WatchTickInput, WatchTickResult, WatchTickRow, WatchTickSettings } from './watchTicks.ts';
export {
  createMigration,
  defaultPaths,
  deployMigrations,
  diffSchemaAgainstMigrations,
  isEmptyMigration,
  migrationChecksum,
  MigrationError,
  readMigrations,
} from './migrate/migrator.ts';
export type { MigratorPaths } from './migrate/migrator.ts';
export { Prisma, PrismaClient } from './generated/prisma/client.ts';
export type * from './generated/prisma/client.ts';
export * from './generated/prisma/enums.ts';
export { DEFAULT_RETENTION, purgeExpiredRecords } from './retention.ts';
export type { RetentionPolicy, RetentionResult } from './retention.ts';
export { auditActors, auditChanges, listAudit, recordAudit } from './audit.ts';
export { likePrefix } from './likePrefix.ts';
export type { AuditDetailValue, AuditEntry, AuditInput, AuditSource, ListAuditOptions } from './audit.ts';
