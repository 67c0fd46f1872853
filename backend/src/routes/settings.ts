// Settings of the connection (GET/PUT /settings) and disconnecting it (POST /disconnect); authenticated scope.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract, type SettingsResponse } from '../../../src/api/contract.js';
import { authOf } from '../http/authenticate.js';
import type { Connection } from '../oauth/connections.js';

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

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;

  app.route({ ...contract.getSettings, handler: async (request) => settingsOf(authOf(request).connection) });

  app.route({
    ...contract.updateSettings,
    handler: async (request) => settingsOf(await services.connections.updateSettings(authOf(request).connection.id, request.body)),
  });

  app.route({
    ...contract.disconnect,
    handler: async (request) => {
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
      return { status: 'disconnected' as const };
    },
  });
};
