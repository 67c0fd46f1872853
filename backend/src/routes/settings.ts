// Settings of the connection (GET/PUT /settings) and disconnecting it (POST /disconnect); authenticated scope.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contract, type SettingsResponse } from '../../../src/api/contract.js';
import { authOf } from '../http/authenticate.js';
import type { Connection } from '../oauth/connections.js';
import { closeConnection } from '../oauth/disconnect.js';

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

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { services } = app;

  // issue 12: Settings, auto mode off and Disconnect work from our own data, also while Storno needs re-authorization.
  const whileReauthorizing = { config: { whileReauthorizing: true } };

  app.route({ ...contract.getSettings, ...whileReauthorizing, handler: async (request) => settingsOf(authOf(request).connection) });

  app.route({
    ...contract.updateSettings,
    ...whileReauthorizing,
    handler: async (request) => settingsOf(await services.connections.updateSettings(authOf(request).connection.id, request.body)),
  });

  app.route({
    ...contract.disconnect,
    ...whileReauthorizing,
    handler: async (request) => {
      await closeConnection(services, authOf(request).connection, request.log);
      return { status: 'disconnected' as const };
    },
  });
};
