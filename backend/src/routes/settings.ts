// Settings of the connection (GET/PUT /settings) and disconnecting it (POST /disconnect).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SettingsResponse } from '../../../src/api/contract.js';
import { authenticate, authOf } from '../http/authenticate.js';
import type { Connection } from '../oauth/connections.js';
import { closeConnection } from '../oauth/disconnect.js';

const settingsUpdate = z
  .object({
    autoMode: z.boolean().optional(),
    defaultVatRate: z
      .string()
      .regex(/^\d{1,2}\.\d{2}$/, 'must be a percentage with two decimals, e.g. "21.00"')
      .optional(),
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
  };
}

export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const { services } = app;

  app.get('/settings', { preHandler: authenticate }, async (request) => settingsOf(authOf(request).connection));

  app.put('/settings', { preHandler: authenticate }, async (request) => {
    const update = settingsUpdate.parse(request.body ?? {});
    const connection = await services.connections.updateSettings(authOf(request).connection.id, update);
    return settingsOf(connection);
  });

  app.post('/disconnect', { preHandler: authenticate }, async (request) => {
    await closeConnection(services, authOf(request).connection, request.log);
    return { status: 'disconnected' };
  });
}
