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

  // What a user does on app.storno.ro when removing an app's access: every OAuth2 token stops working at once
  // (the demo recipe for "needs re-authorization").
  app.post('/__sandbox/revoke-authorizations', async () => {
    const now = Date.now();
    let revoked = 0;
    for (const token of store.state.oauthTokens) {
      if (token.revokedAtMs === null) {
        token.revokedAtMs = now;
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
