// Liveness (/healthz: the process answers) and readiness (/readyz: database reachable, migrations applied).
import type { FastifyInstance } from 'fastify';
import { listMigrations } from '../db/migrations.js';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    const expected = listMigrations(app.db.dialect).map((m) => m.name);
    try {
      const rows = await app.db.prisma.$queryRawUnsafe<{ name: string }[]>('SELECT "name" FROM "_app_migrations"');
      const applied = new Set(rows.map((r) => r.name));
      const missing = expected.filter((n) => !applied.has(n));
      if (missing.length > 0) {
        return reply
          .code(503)
          .send({ error: 'not_ready', message: `Database migrations not applied yet: ${missing.join(', ')}.` });
      }
      return { status: 'ready', database: app.db.dialect, migrations: expected.length };
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ error: 'not_ready', message: 'The database is not reachable or not migrated.' });
    }
  });
}
