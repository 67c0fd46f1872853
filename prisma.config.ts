// Prisma CLI configuration: the JS engine with driver adapters (no native engine binaries to download).
// DATABASE_URL chooses the adapter: PostgreSQL when it starts with "postgres", else an SQLite file.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL ?? 'file:./data/storno-stripe.db';
const isPostgres = url.startsWith('postgres');

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  schema: isPostgres ? 'prisma/.generated/postgresql.prisma' : 'prisma/schema.prisma',
  async adapter() {
    return isPostgres
      ? new PrismaPg({ connectionString: url })
      : new PrismaBetterSQLite3({ url: url.replace(/^file:/, '') });
  },
});
