// Generates the Prisma clients for both databases from the one schema in prisma/schema.prisma.
// Prisma binds a generated client to one provider, so the PostgreSQL client is generated from a copy of
// the schema with only the provider and output path swapped (kept under prisma/.generated/, not committed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresSchema } from './prisma-schema-variants.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');


mkdirSync(join(root, 'prisma/.generated'), { recursive: true });
writeFileSync(join(root, 'prisma/.generated/postgresql.prisma'), postgresSchema(source));

const prisma = join(root, 'node_modules/.bin/prisma');
// The schemas read DATABASE_URL, which generation never connects to: give each a placeholder of its kind.
const targets = [
  { schema: 'prisma/schema.prisma', url: 'file:./generate-placeholder.db' },
  { schema: 'prisma/.generated/postgresql.prisma', url: 'postgresql://localhost/generate-placeholder' },
];
for (const { schema, url } of targets) {
  execFileSync(prisma, ['generate', '--no-hints', '--schema', schema], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: url },
  });
}
