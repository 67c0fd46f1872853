// Test databases: a fresh SQLite file always, and a fresh PostgreSQL schema when TEST_DATABASE_URL is set.
// Each is removed after its test file.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropPostgresSchema } from '../../src/db/migrations.js';

export interface TestDatabase {
  kind: 'sqlite' | 'postgresql';
  url: string;
  cleanup(): Promise<void>;
}

export function sqliteTestDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'storno-test-'));
  return {
    kind: 'sqlite',
    url: `file:${join(dir, 'test.db')}`,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresTestDatabase(): TestDatabase | undefined {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) return undefined;
  const url = new URL(base);
  url.searchParams.set('schema', `t_${randomBytes(6).toString('hex')}`);
  const full = url.toString();
  return { kind: 'postgresql', url: full, cleanup: () => dropPostgresSchema(full) };
}

/** The databases each database-touching test runs against: SQLite, plus PostgreSQL when configured. */
export function testDatabaseKinds(): ('sqlite' | 'postgresql')[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgresql'] : ['sqlite'];
}

export function makeTestDatabase(kind: 'sqlite' | 'postgresql'): TestDatabase {
  if (kind === 'postgresql') {
    const db = postgresTestDatabase();
    if (!db) throw new Error('TEST_DATABASE_URL is not set');
    return db;
  }
  return sqliteTestDatabase();
}
