// The backend's services, built once per app from its config, database and outside-world clients.
// Routes reach them as `app.services`; tests replace an outside-world port through BuildOptions.
import type { FastifyInstance } from 'fastify';
import { Inbox } from './automation/inbox.js';
import { DocumentStore } from './documents/store.js';
import { ConnectionService } from './oauth/connections.js';
import { ConsentSessionStore } from './oauth/consentSessions.js';
import { DeviceGrantService } from './oauth/deviceGrant.js';
import type { StornoAccountApi } from './oauth/stornoAccount.js';
import { TokenService } from './oauth/tokens.js';

export interface Services {
  tokens: TokenService;
  deviceGrants: DeviceGrantService;
  connections: ConnectionService;
  consentSessions: ConsentSessionStore;
  stornoAccount: StornoAccountApi;
  inbox: Inbox;
  documents: DocumentStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export interface OutsideWorld {
  stornoAccount: StornoAccountApi;
}

export function createServices(app: FastifyInstance, outside: OutsideWorld): Services {
  const { config, db } = app;
  return {
    tokens: new TokenService(db.prisma, app.jwt),
    deviceGrants: new DeviceGrantService(db.prisma, config.publicUrl),
    connections: new ConnectionService(db.prisma, config.encryptionKey),
    consentSessions: new ConsentSessionStore(db.prisma, config.encryptionKey, config.publicUrl.startsWith('https://')),
    stornoAccount: outside.stornoAccount,
    inbox: new Inbox(db),
    documents: new DocumentStore(db.prisma),
  };
}
