// Webhook registration (§6.5). Deviation (option allowLoopbackWebhooks, default on): http://127.0.0.1 and
// http://localhost URLs are accepted besides https, so a local backend can receive deliveries.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertUuid, principalOf, requirePermission, resolveCompany, type Principal } from '../auth.js';
import type { SandboxContext } from '../context.js';
import { toRfc3339 } from '../dates.js';
import { fail } from '../errors.js';
import { newId, randomHex } from '../ids.js';
import type { Webhook } from '../state.js';
import { WEBHOOK_EVENTS } from '../webhooks.js';
import { bodyOf, queryOf } from './common.js';

const out = (w: Webhook, withSecret: boolean) => ({
  id: w.id, url: w.url, description: w.description, events: w.events, ...(withSecret ? { secret: w.secret } : {}),
  isActive: w.isActive, createdAt: w.createdAt, updatedAt: w.updatedAt,
});

export function webhookRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store } = ctx;

  // Webhooks need an explicit company: no "only company" fallback.
  const company = (request: FastifyRequest, p: Principal) => {
    if (!queryOf(request).company && !request.headers['x-company']) throw fail(400, 'No company selected.');
    return resolveCompany(store, request, p);
  };

  const urlAllowed = (raw: string): boolean => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.protocol === 'https:') return true;
    return ctx.options.allowLoopbackWebhooks && url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  };

  app.get('/api/v1/webhooks/events', async (request) => {
    principalOf(request);
    return {
      data: WEBHOOK_EVENTS.map((e) => ({ event: e, category: e.split('.')[0] })),
      categories: [...new Set(WEBHOOK_EVENTS.map((e) => e.split('.')[0]))],
    };
  });

  app.get('/api/v1/webhooks', async (request) => {
    const p = principalOf(request);
    requirePermission(p, 'webhook.view');
    const c = company(request, p);
    return { data: store.state.webhooks.filter((w) => w.companyId === c.id).map((w) => out(w, false)) };
  });

  app.post('/api/v1/webhooks', async (request, reply) => {
    const p = principalOf(request);
    requirePermission(p, 'webhook.manage');
    const c = company(request, p);
    const body = bodyOf(request);
    if (typeof body.url !== 'string' || !body.url) throw fail(400, 'URL is required.');
    if (!urlAllowed(body.url)) throw fail(400, 'Webhook URL must use HTTPS.');
    if (!Array.isArray(body.events) || body.events.length === 0) throw fail(400, 'At least one event is required.');
    const unknown = body.events.filter((e) => !(WEBHOOK_EVENTS as readonly unknown[]).includes(e));
    if (unknown.length > 0) throw fail(400, `Unknown events: ${unknown.join(', ')}`);
    const now = toRfc3339();
    const hook: Webhook = {
      id: newId(),
      companyId: c.id,
      url: body.url,
      description: typeof body.description === 'string' ? body.description : null,
      events: [...new Set(body.events as string[])],
      secret: randomHex(32),
      isActive: body.isActive !== false,
      createdAt: now,
      updatedAt: now,
    };
    store.state.webhooks.push(hook);
    return reply.code(201).send({ data: out(hook, true) });
  });

  const load = (request: FastifyRequest<{ Params: { id: string } }>, p: Principal) => {
    assertUuid(request.params.id);
    const c = company(request, p);
    const hook = store.state.webhooks.find((w) => w.id === request.params.id && w.companyId === c.id);
    if (!hook) throw fail(404, 'Webhook not found.');
    return hook;
  };

  app.get<{ Params: { id: string } }>('/api/v1/webhooks/:id', async (request) => {
    const p = principalOf(request);
    requirePermission(p, 'webhook.view');
    return { data: out(load(request, p), false) };
  });

  app.get<{ Params: { id: string } }>('/api/v1/webhooks/:id/deliveries', async (request) => {
    const p = principalOf(request);
    requirePermission(p, 'webhook.view');
    const hook = load(request, p);
    const rows = store.state.deliveries.filter((d) => d.webhookId === hook.id).reverse();
    return {
      data: rows.map((d) => ({ id: d.id, event: d.event, status: d.status, attempts: d.attempts, responseStatusCode: d.lastStatusCode, error: d.lastError, createdAt: d.createdAt })),
      total: rows.length,
    };
  });

  app.delete<{ Params: { id: string } }>('/api/v1/webhooks/:id', async (request, reply) => {
    const p = principalOf(request);
    requirePermission(p, 'webhook.manage');
    const hook = load(request, p);
    store.state.webhooks = store.state.webhooks.filter((w) => w !== hook);
    return reply.code(204).send();
  });
}
