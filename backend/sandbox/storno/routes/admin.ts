// Test controls under /__sandbox (never faulted, no auth): faults, reset to the seed, a state summary.
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context.js';
import { validateRules, type Faults } from '../faults.js';
import { bodyOf } from './common.js';

export function adminRoutes(app: FastifyInstance, ctx: SandboxContext, faults: Faults): void {
  const { store } = ctx;

  app.post('/__sandbox/faults', async (request, reply) => {
    const rules = validateRules(bodyOf(request).rules);
    if (typeof rules === 'string') return reply.code(400).send({ error: rules });
    faults.set(rules);
    return { rules: faults.list() };
  });

  app.get('/__sandbox/faults', async () => ({ rules: faults.list() }));

  app.delete('/__sandbox/faults', async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  app.post('/__sandbox/reset', async (_request, reply) => {
    faults.clear();
    store.reset();
    return reply.code(204).send();
  });

  // Per-connection refusals (a connection acts as one user in one company's organization):
  // take permissions away from a user (403 on the actions needing them), set an organization's plan limit (402),
  // revoke every OAuth2 token of a user (the stored authorization stops working: 401).
  app.post('/__sandbox/permissions', async (request, reply) => {
    const body = bodyOf(request);
    const user = store.state.users.find((u) => u.email === body.email);
    if (!user || !Array.isArray(body.deny) || body.deny.some((p) => typeof p !== 'string')) {
      return reply.code(400).send({ error: 'email (a known user) and deny (permission strings; [] restores) are required' });
    }
    for (const m of store.state.memberships.filter((x) => x.userId === user.id)) m.deniedPermissions = body.deny as string[];
    store.changed();
    return { email: user.email, denied: body.deny };
  });

  app.post('/__sandbox/plan-limit', async (request, reply) => {
    const body = bodyOf(request);
    const company = store.state.companies.find((c) => c.id === body.companyId);
    const limit = body.monthlyInvoiceLimit;
    if (!company || !(limit === null || (typeof limit === 'number' && Number.isInteger(limit) && limit >= 0))) {
      return reply.code(400).send({ error: 'companyId (a known company) and monthlyInvoiceLimit (integer ≥ 0, or null to restore) are required' });
    }
    const organization = store.state.organizations.find((o) => o.id === company.organizationId)!;
    if (limit === null) delete organization.monthlyInvoiceLimit;
    else organization.monthlyInvoiceLimit = limit;
    store.changed();
    return { organizationId: organization.id, monthlyInvoiceLimit: limit };
  });

  app.post('/__sandbox/revoke-tokens', async (request, reply) => {
    const body = bodyOf(request);
    const user = store.state.users.find((u) => u.email === body.email);
    if (!user) return reply.code(400).send({ error: 'email (a known user) is required' });
    const now = Date.now();
    let revoked = 0;
    for (const t of store.state.oauthTokens) {
      if (t.userId === user.id && t.revokedAtMs === null) {
        t.revokedAtMs = now;
        revoked++;
      }
    }
    store.changed();
    return { revoked };
  });

  app.get('/__sandbox/state', async () => {
    const s = store.state;
    const byStatus: Record<string, number> = {};
    for (const i of s.invoices) if (!i.deletedAt) byStatus[i.status] = (byStatus[i.status] ?? 0) + 1;
    return {
      companies: s.companies.length,
      clients: s.clients.filter((c) => !c.deletedAt).length,
      invoices: s.invoices.filter((i) => !i.deletedAt).length,
      invoicesByStatus: byStatus,
      payments: s.payments.length,
      webhooks: s.webhooks.length,
      deliveries: s.deliveries.length,
      oauthTokens: s.oauthTokens.length,
      faults: faults.list().length,
    };
  });
}
