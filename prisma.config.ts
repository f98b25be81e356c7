import { defineConfig } from 'prisma/config';

// Prisma 7 reads the connection string from here. Migrations in this repository are applied by
// `pnpm db:migrate` (the offline WASM migrator); `prisma migrate deploy` works on the same folder.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/kickcord' },
});
