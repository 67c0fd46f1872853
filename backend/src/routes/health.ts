// Liveness (/healthz: the process answers) and readiness (/readyz: database reachable, migrations applied). Public.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract } from '../../../src/api/contract.js';
import { listMigrations } from '../db/migrations.js';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.route({ ...contract.healthz, handler: async () => ({ status: 'ok' as const }) });

  app.route({
    ...contract.readyz,
    handler: async (request, reply) => {
      const expected = listMigrations(app.db.dialect).map((m) => m.name);
      try {
        const rows = await app.db.prisma.$queryRawUnsafe<{ name: string }[]>('SELECT "name" FROM "_app_migrations"');
        const applied = new Set(rows.map((r) => r.name));
        const missing = expected.filter((n) => !applied.has(n));
        if (missing.length > 0) {
          return reply.code(503).send({ error: 'not_ready', message: `Database migrations not applied yet: ${missing.join(', ')}.` });
        }
        return { status: 'ready' as const, database: app.db.dialect, migrations: expected.length };
      } catch (err) {
        request.log.warn({ err }, 'readiness check failed');
        return reply.code(503).send({ error: 'not_ready', message: 'The database is not reachable or not migrated.' });
      }
    },
  });
};
