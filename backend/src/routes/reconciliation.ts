// Period reconciliation, backfill and export routes (issue 16): parse → call services.periods → shape the answer.
// Every route but the signed export download requires the bearer token and a matching Stripe-Signature.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { SALE_STATUSES, type ExportLinks } from '../../../src/api/periodContract.js';
import { authenticate, authOf } from '../http/authenticate.js';
import { badRequest, HttpError, notFound } from '../http/errors.js';
import { BackfillRefused, periodProblem } from '../reconciliation/index.js';
import { csvStream, jsonStream } from '../reconciliation/exports.js';

// Checked by periodProblem, whose messages say what a day must look like.
const periodBody = z.object({ from: z.unknown().optional(), to: z.unknown().optional() }).strict();
const backfillBody = z.object({ reconciliationId: z.string().min(1, 'reconciliationId is required'), confirmLate: z.boolean().optional() }).strict();
const salesQuery = z
  .object({
    status: z.enum(SALE_STATUSES as [string, ...string[]]).optional(),
    cursor: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();

const EXPORT_FILE = /^([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\.(csv|json)$/;

export async function reconciliationRoutes(app: FastifyInstance): Promise<void> {
  const { services } = app;
  const guarded = { preHandler: authenticate };
  const periods = services.periods;

  async function reconciliationOf(request: Parameters<typeof authOf>[0]) {
    const { connection } = authOf(request);
    const rec = await periods.reconciler.byId(connection.id, (request.params as { id: string }).id);
    if (!rec) throw notFound('No such period check for this account.');
    return { connection, rec };
  }

  app.post('/reconciliations', guarded, async (request, reply) => {
    const body = periodBody.parse(request.body ?? {});
    const problem = periodProblem(body);
    if (problem) throw badRequest(problem, 'invalid_period');
    const { connection } = authOf(request);
    const { reconciliation, reused } = await periods.request(connection, { from: body.from as string, to: body.to as string });
    return reply.code(reused ? 200 : 202).send(await periods.view(connection, reconciliation));
  });

  app.get('/reconciliations/:id', guarded, async (request) => {
    const { connection, rec } = await reconciliationOf(request);
    return periods.view(connection, rec);
  });

  app.get('/reconciliations/:id/sales', guarded, async (request) => {
    const { connection, rec } = await reconciliationOf(request);
    const query = salesQuery.parse(request.query ?? {});
    if (rec.status !== 'done') throw new HttpError(409, 'reconciliation_not_ready', 'The period is still being read from Stripe.');
    return periods.report.page(connection.id, rec.id, { status: query.status as never, after: query.cursor, limit: query.limit });
  });

  app.post('/reconciliations/:id/export', guarded, async (request): Promise<ExportLinks> => {
    const { connection, rec } = await reconciliationOf(request);
    if (rec.status !== 'done') throw new HttpError(409, 'reconciliation_not_ready', 'The period is still being read from Stripe; export when the check has finished.');
    const { token, expiresAt } = periods.exports.sign({ c: connection.id, r: rec.id, from: rec.fromDay, to: rec.toDay });
    const base = `${app.config.publicUrl}${app.prefix}/exports/${token}`;
    return { csvUrl: `${base}.csv`, jsonUrl: `${base}.json`, expiresAt: expiresAt.toISOString() };
  });

  // Public but signed: the link itself is the credential (HMAC over connection, period and expiry).
  // A wildcard: the token is longer than Fastify's limit for a named path parameter.
  app.get('/exports/*', async (request, reply: FastifyReply) => {
    const match = EXPORT_FILE.exec((request.params as { '*': string })['*']);
    const claims = match ? periods.exports.verify(match[1]!) : null;
    const rec = claims ? await periods.reconciler.byId(claims.c, claims.r) : null;
    const connection = rec ? await services.connections.byId(rec.connectionId) : null;
    if (!claims || !rec || rec.fromDay !== claims.from || rec.toDay !== claims.to || !connection || connection.status === 'disconnected') {
      throw new HttpError(403, 'invalid_link', 'This export link is invalid or has expired; export the period again from the app.');
    }
    const name = `storno-efactura-${rec.fromDay}_${rec.toDay}.${match![2]}`;
    reply.header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'no-store');
    if (match![2] === 'csv') return reply.type('text/csv; charset=utf-8').send(csvStream(periods.report, rec.connectionId, rec.id));
    return reply.type('application/json; charset=utf-8').send(jsonStream(periods.report, rec.connectionId, rec.id, { from: rec.fromDay, to: rec.toDay }));
  });

  app.post('/backfills', guarded, async (request, reply) => {
    const body = backfillBody.parse(request.body ?? {});
    const { connection } = authOf(request);
    const rec = await periods.reconciler.byId(connection.id, body.reconciliationId);
    if (!rec) throw notFound('No such period check for this account.');
    if (rec.status === 'done' && (await periods.reconciler.isStale(connection, rec))) {
      throw new HttpError(409, 'reconciliation_stale', 'Stripe reported changes since this period was checked; check the period again first.');
    }
    try {
      const backfill = await periods.backfills.start(connection, rec, body.confirmLate === true);
      periods.jobs.wake();
      return reply.code(202).send(await periods.backfills.view(backfill));
    } catch (err) {
      if (err instanceof BackfillRefused) throw new HttpError(409, err.code, err.message, err.details);
      throw err;
    }
  });

  // The backfill still running for this account, so a reopened view follows it.
  app.get('/backfills', guarded, async (request) => {
    const active = await periods.backfills.active(authOf(request).connection.id);
    return { active: active ? await periods.backfills.view(active) : null };
  });

  app.get('/backfills/:id', guarded, async (request) => {
    const { connection } = authOf(request);
    const backfill = await periods.backfills.byId(connection.id, (request.params as { id: string }).id);
    if (!backfill) throw notFound('No such backfill for this account.');
    return periods.backfills.view(backfill);
  });

  app.post('/backfills/:id/cancel', guarded, async (request) => {
    const { connection } = authOf(request);
    const backfill = await periods.backfills.byId(connection.id, (request.params as { id: string }).id);
    if (!backfill) throw notFound('No such backfill for this account.');
    if (backfill.status !== 'running') throw new HttpError(409, 'not_running', `This backfill is already ${backfill.status}.`);
    return periods.backfills.view(await periods.backfills.cancel(backfill));
  });
}
