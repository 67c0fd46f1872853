// Settings of the connection (GET/PUT /settings) and disconnecting it (POST /disconnect).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SettingsResponse } from '../../../src/api/contract.js';
import { authenticate, authOf } from '../http/authenticate.js';
import type { Connection } from '../oauth/connections.js';

const settingsUpdate = z
  .object({
    autoMode: z.boolean().optional(),
    defaultVatRate: z
      .string()
      .regex(/^\d{1,2}\.\d{2}$/, 'must be a percentage with two decimals, e.g. "21.00"')
      .optional(),
    invoiceTrigger: z.enum(['finalized', 'paid']).optional(),
  })
  .strict();

export function settingsOf(connection: Connection): SettingsResponse {
  const status = connection.status === 'active' ? 'connected' : (connection.status as SettingsResponse['status']);
  return {
    status,
    company: { id: connection.stornoCompanyId, name: connection.companyName, cif: connection.companyCif },
    authorizedBy: { email: connection.authorizedByEmail, name: connection.authorizedByName },
    authorizedAt: connection.authorizedAt.toISOString(),
    autoMode: connection.autoMode,
    defaultVatRate: connection.defaultVatRate,
    invoiceTrigger: connection.invoiceTrigger as SettingsResponse['invoiceTrigger'],
  };
}

export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const { services } = app;

  // Open while Storno needs re-authorization: they work from our own data (issue 12).
  const guarded = { preHandler: authenticate, config: { whileReauthorizing: true } };
  app.get('/settings', guarded, async (request) => settingsOf(authOf(request).connection));

  app.put('/settings', guarded, async (request) => {
    const update = settingsUpdate.parse(request.body ?? {});
    const connection = await services.connections.updateSettings(authOf(request).connection.id, update);
    return settingsOf(connection);
  });

  app.post('/disconnect', guarded, async (request) => {
    const { connection } = authOf(request);
    const credentials = services.connections.credentials(connection);
    await services.tokens.revokeConnection(connection.id);
    await services.connections.disconnect(connection.id);
    if (credentials) {
      // Our side is already closed; a Storno outage must not keep the merchant connected. Logged for follow-up.
      await services.stornoAccount
        .revoke(credentials.refreshToken)
        .catch((err) => request.log.warn({ err, connectionId: connection.id }, 'revoking the Storno token failed'));
    }
    return { status: 'disconnected' };
  });
}
