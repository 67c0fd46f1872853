// Applies prisma/migrations/<name>/{sqlite,postgresql}.sql in name order, once each.
// One migration history serves both databases: each step holds the SQL Prisma generated for either
// dialect from the same schema (scripts/new-migration.mjs writes them). Several instances may start at
// once against PostgreSQL: an advisory lock makes the others wait and then find nothing left to do.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { isPostgresUrl, splitPostgresSchema, sqliteFilePath, type Dialect } from './database.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));
const MIGRATION_LOCK_ID = 727_100_001; // any constant shared by every instance of this app

export interface Migration {
  name: string;
  sql: string;
}

export function listMigrations(dialect: Dialect, dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, `${dialect}.sql`)))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name, `${dialect}.sql`), 'utf8') }));
}

/** Applies what is missing; returns the names applied now. */
export async function applyMigrations(url: string): Promise<string[]> {
  return isPostgresUrl(url) ? applyPostgres(url) : applySqlite(url);
}

/** Names of migrations the database still lacks (empty = up to date). */
export async function pendingMigrations(url: string): Promise<string[]> {
  const dialect: Dialect = isPostgresUrl(url) ? 'postgresql' : 'sqlite';
  const applied = new Set(isPostgresUrl(url) ? await appliedPostgres(url) : appliedSqlite(url));
  return listMigrations(dialect)
    .map((m) => m.name)
    .filter((n) => !applied.has(n));
}

function applySqlite(url: string): string[] {
  const db = new BetterSqlite3(sqliteFilePath(url), { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS "_app_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)');
    const done: string[] = [];
    for (const m of listMigrations('sqlite')) {
      // IMMEDIATE takes the write lock first, so a second process waits instead of applying twice.
      db.exec('BEGIN IMMEDIATE');
      try {
        const exists = db.prepare('SELECT 1 FROM "_app_migrations" WHERE "name" = ?').get(m.name);
        if (!exists) {
          db.exec(m.sql);
          db.prepare('INSERT INTO "_app_migrations" ("name", "appliedAt") VALUES (?, ?)').run(m.name, new Date().toISOString());
          done.push(m.name);
        }
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    }
    return done;
  } finally {
    db.close();
  }
}

function appliedSqlite(url: string): string[] {
  const file = sqliteFilePath(url);
  if (!existsSync(file)) return [];
  const db = new BetterSqlite3(file, { readonly: true, timeout: 5_000 });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='_app_migrations'`).get();
    if (!table) return [];
    return (db.prepare('SELECT "name" FROM "_app_migrations"').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

async function withPostgres<T>(url: string, fn: (client: pg.Client, schema: string) => Promise<T>): Promise<T> {
  const { connectionString, schema = 'public' } = splitPostgresSchema(url);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    return await fn(client, schema);
  } finally {
    await client.end();
  }
}

async function applyPostgres(url: string): Promise<string[]> {
  return withPostgres(url, async (client, schema) => {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(
        'CREATE TABLE IF NOT EXISTS "_app_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TIMESTAMPTZ NOT NULL)',
      );
      const applied = new Set((await client.query('SELECT "name" FROM "_app_migrations"')).rows.map((r) => r.name));
      const done: string[] = [];
      for (const m of listMigrations('postgresql')) {
        if (applied.has(m.name)) continue;
        await client.query(m.sql);
        await client.query('INSERT INTO "_app_migrations" ("name", "appliedAt") VALUES ($1, now())', [m.name]);
        done.push(m.name);
      }
      await client.query('COMMIT');
      return done;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
  });
}

async function appliedPostgres(url: string): Promise<string[]> {
  return withPostgres(url, async (client, schema) => {
    const table = await client.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = '_app_migrations'`,
      [schema],
    );
    if (table.rowCount === 0) return [];
    return (await client.query('SELECT "name" FROM "_app_migrations"')).rows.map((r) => r.name as string);
  });
}

/** Drops a PostgreSQL schema; used by tests that each ran in a schema of their own. */
export async function dropPostgresSchema(url: string): Promise<void> {
  const { connectionString, schema } = splitPostgresSchema(url);
  if (!schema || schema === 'public') return;
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
