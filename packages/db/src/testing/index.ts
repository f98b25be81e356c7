export { createEmptyDatabase, createTestDatabase, ensureTemplateDatabase, testServerUrl } from './testDatabase.ts';
export type { TestDatabase } from './testDatabase.ts';
