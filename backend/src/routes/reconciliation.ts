// Period reconciliation, backfill and export routes (issue 16): parse → call services.periods → shape the answer.
// The data routes are registered in the authenticated scope (app.ts); the export download is public on purpose:
// its signed link is the credential. Params, bodies and answers are checked against src/api/contract.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract } from '../../../src/api/contract.js';
import { authOf } from '../http/authenticate.js';
import { badRequest, HttpError, notFound } from '../http/errors.js';
import type { Connection } from '../oauth/connections.js';
import { BackfillRefused, periodProblem } from '../reconciliation/index.js';
import { csvStream, jsonStream } from '../reconciliation/exports.js';

const notReady = () => new HttpError(409, 'reconciliation_not_ready', 'The period is still being read from Stripe; try again when the check has finished.');

export const reconciliationRoutes: FastifyPluginAsyncZod = async (app) => {
  const periods = app.services.periods;

  async function reconciliationOf(connection: Connection, id: string) {
    const rec = await periods.reconciler.byId(connection.id, id);
    if (!rec) throw notFound('No such period check for this account.');
    return rec;
  }

  async function backfillOf(connection: Connection, id: string) {
    const backfill = await periods.backfills.byId(connection.id, id);
    if (!backfill) throw notFound('No such backfill for this account.');
    return backfill;
  }

  app.route({
    ...contract.checkPeriod,
    handler: async (request, reply) => {
      const problem = periodProblem(request.body);
      if (problem) throw badRequest(problem, 'invalid_period');
      const { connection } = authOf(request);
      const { reconciliation, reused } = await periods.request(connection, { from: String(request.body.from), to: String(request.body.to) });
      return reply.code(reused ? 200 : 202).send(await periods.view(connection, reconciliation));
    },
  });

  app.route({
    ...contract.getReconciliation,
    handler: async (request) => {
      const { connection } = authOf(request);
      return periods.view(connection, await reconciliationOf(connection, request.params.id));
    },
  });

  app.route({
    ...contract.listPeriodSales,
    handler: async (request) => {
      const { connection } = authOf(request);
      const rec = await reconciliationOf(connection, request.params.id);
      if (rec.status !== 'done') throw notReady();
      return periods.report.page(connection.id, rec.id, { status: request.query.status, after: request.query.cursor, limit: request.query.limit });
    },
  });

  app.route({
    ...contract.exportPeriod,
    handler: async (request) => {
      const { connection } = authOf(request);
      const rec = await reconciliationOf(connection, request.params.id);
      if (rec.status !== 'done') throw notReady();
      const { token, expiresAt } = periods.exports.sign({ connectionId: connection.id, reconciliationId: rec.id, from: rec.fromDay, to: rec.toDay });
      const base = `${app.config.publicUrl}${app.prefix.replace(/\/$/, '')}/exports/${token}`;
      return { csvUrl: `${base}.csv`, jsonUrl: `${base}.json`, expiresAt: expiresAt.toISOString() };
    },
  });

  app.route({
    ...contract.startBackfill,
    handler: async (request, reply) => {
      const { connection } = authOf(request);
      const rec = await reconciliationOf(connection, request.body.reconciliationId);
      if (rec.status === 'done' && (await periods.reconciler.isStale(connection, rec))) {
        throw new HttpError(409, 'reconciliation_stale', 'Stripe reported changes since this period was checked; check the period again first.');
      }
      try {
        const backfill = await periods.backfills.start(connection, rec, request.body.confirmLate === true);
        periods.jobs.wake();
        return reply.code(202).send(await periods.backfills.view(backfill));
      } catch (err) {
        if (err instanceof BackfillRefused) throw new HttpError(409, err.code, err.message, err.details);
        throw err;
      }
    },
  });

  // The backfill still running for this account, so a reopened view follows it.
  app.route({
    ...contract.activeBackfill,
    handler: async (request) => {
      const active = await periods.backfills.active(authOf(request).connection.id);
      return { active: active ? await periods.backfills.view(active) : null };
    },
  });

  app.route({
    ...contract.getBackfill,
    handler: async (request) => periods.backfills.view(await backfillOf(authOf(request).connection, request.params.id)),
  });

  app.route({
    ...contract.cancelBackfill,
    handler: async (request) => {
      const backfill = await backfillOf(authOf(request).connection, request.params.id);
      if (backfill.status !== 'running') throw new HttpError(409, 'not_running', `This backfill is already ${backfill.status}.`);
      return periods.backfills.view(await periods.backfills.cancel(backfill));
    },
  });
};

/** Public but signed: the link (HMAC over connection, period and expiry) is the credential. */
export const periodExportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;
  app.route({
    ...contract.downloadPeriodExport,
    handler: async (request, reply) => {
      const periods = services.periods;
      const link = periods.exports.parse(request.params.file);
      const rec = link ? await app.db.prisma.periodReconciliation.findUnique({ where: { id: link.reconciliationId } }) : null;
      const connection = rec ? await services.connections.byId(rec.connectionId) : null;
      const binding = rec ? { connectionId: rec.connectionId, reconciliationId: rec.id, from: rec.fromDay, to: rec.toDay } : null;
      if (!link || !rec || !binding || !connection || connection.status === 'disconnected' || !periods.exports.verify(binding, link)) {
        throw new HttpError(403, 'invalid_link', 'This export link is invalid or has expired; export the period again from the app.');
      }
      reply.header('content-disposition', `attachment; filename="storno-efactura-${rec.fromDay}_${rec.toDay}.${link.format}"`).header('cache-control', 'no-store');
      // Streamed a chunk of sales at a time (Fastify sends streams as they are, past the schema serializer).
      const stream =
        link.format === 'csv'
          ? csvStream(periods.report, rec.connectionId, rec.id)
          : jsonStream(periods.report, rec.connectionId, rec.id, { from: rec.fromDay, to: rec.toDay });
      return reply.type(link.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8').send(stream as never);
    },
  });
};
