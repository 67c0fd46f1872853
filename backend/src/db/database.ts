// Opens the database named by DATABASE_URL: an SQLite file (embedded default) or PostgreSQL.
// Both go through Prisma's JS engine with a driver adapter; the two generated clients share one schema,
// so the rest of the code sees one `PrismaClient` type whichever database runs underneath.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PrismaClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresPrismaClient } from './generated/postgresql/client.js';

export type { PrismaClient };
export type Dialect = 'sqlite' | 'postgresql';

export interface Database {
  prisma: PrismaClient;
  dialect: Dialect;
  /** Where the data lives, for the banner: a file path or the PostgreSQL host/database/schema. */
  location: string;
  /** PostgreSQL schema the tables live in (from `?schema=`), if not the default. */
  schema?: string;
  url: string;
  /**
   * One statement straight on the driver, for the webhook's hot path where Prisma's query layer costs several
   * times the write itself. Placeholders: `?` on SQLite, `$1…` on PostgreSQL. Returns the rows (RETURNING).
   */
  rawQuery<T>(sql: string, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

/** `file:./data/x.db` → absolute path of the SQLite file. */
export function sqliteFilePath(url: string): string {
  return resolve(url.replace(/^file:/, ''));
}

/** Splits `?schema=name` off a PostgreSQL URL: node-postgres does not understand it, Prisma does. */
export function splitPostgresSchema(url: string): { connectionString: string; schema?: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

export function openDatabase(url: string): Database {
  if (isPostgresUrl(url)) {
    const { connectionString, schema } = splitPostgresSchema(url);
    const adapter = new PrismaPg(
      { connectionString, max: 10, ...(schema ? { options: `-c search_path="${schema}"` } : {}) },
      schema ? { schema } : undefined,
    );
    const prisma = new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
    const parsed = new URL(connectionString);
    let pool: pg.Pool | undefined;
    return {
      prisma,
      dialect: 'postgresql',
      location: `postgresql://${parsed.host}${parsed.pathname}${schema ? ` (schema ${schema})` : ''}`,
      schema,
      url,
      async rawQuery<T>(sql: string, params: unknown[]) {
        pool ??= new pg.Pool({ connectionString, max: 4, ...(schema ? { options: `-c search_path="${schema}"` } : {}) });
        return (await pool.query(sql, params)).rows as T[];
      },
      async close() {
        await prisma.$disconnect();
        await pool?.end();
      },
    };
  }
  const file = sqliteFilePath(url);
  mkdirSync(dirname(file), { recursive: true });
  const adapter = new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
  const prisma = new PrismaClient({ adapter });
  let handle: BetterSqlite3.Database | undefined;
  return {
    prisma,
    dialect: 'sqlite',
    location: file,
    url,
    async rawQuery<T>(sql: string, params: unknown[]) {
      // A second connection to the same file: WAL lets it write beside Prisma's, busy_timeout waits out locks.
      handle ??= new BetterSqlite3(file, { timeout: 10_000 });
      return handle.prepare(sql).all(...(params as unknown[])) as T[];
    },
    async close() {
      await prisma.$disconnect();
      handle?.close();
    },
  };
}
