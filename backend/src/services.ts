// The backend's services, built once per app from its config, database and outside-world clients.
// Routes reach them as `app.services`; tests replace an outside-world port through BuildOptions.
import type { FastifyInstance } from 'fastify';
import type Stripe from 'stripe';
import { createEventHandler } from './automation/handlers.js';
import { BnrCurrencyUnknown, BnrRates } from './bnr/rates.js';
import { Inbox } from './automation/inbox.js';
import { Worker } from './automation/worker.js';
import { CustomerMatcher } from './documents/customers.js';
import { DocumentEngine } from './documents/engine.js';
import { StornoAccess } from './documents/stornoAccess.js';
import { DocumentStore } from './documents/store.js';
import { DocumentViews } from './documents/views.js';
import { StripeReader } from './stripe/reader.js';
import { PeriodService } from './reconciliation/index.js';
import { ConnectionService } from './oauth/connections.js';
import { ConsentSessionStore } from './oauth/consentSessions.js';
import { DeviceGrantService } from './oauth/deviceGrant.js';
import type { StornoAccountApi } from './oauth/stornoAccount.js';
import { TokenService } from './oauth/tokens.js';
import { StripeAccountNames } from './oauth/stripeAccountName.js';
import { CodeAttemptBudget } from './oauth/codeAttempts.js';
import { Retention } from './retention.js';

export interface Services {
  tokens: TokenService;
  deviceGrants: DeviceGrantService;
  connections: ConnectionService;
  consentSessions: ConsentSessionStore;
  stornoAccount: StornoAccountApi;
  stripeAccountNames: StripeAccountNames;
  codeAttempts: CodeAttemptBudget;
  retention: Retention;
  inbox: Inbox;
  documents: DocumentStore;
  reader: StripeReader;
  customers: CustomerMatcher;
  engine: DocumentEngine;
  stornoAccess: StornoAccess;
  views: DocumentViews;
  worker: Worker;
  periods: PeriodService;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export interface OutsideWorld {
  stornoAccount: StornoAccountApi;
  stripe: Stripe;
}

export function createServices(app: FastifyInstance, outside: OutsideWorld): Services {
  const { config, db, log } = app;
  const tokens = new TokenService(db.prisma, app.jwt, config.encryptionKey);
  const connections = new ConnectionService(db.prisma, config.encryptionKey);
  const documents = new DocumentStore(db.prisma);
  const reader = new StripeReader(outside.stripe);
  const customers = new CustomerMatcher(db.prisma);
  const stornoAccess = new StornoAccess(config, db, connections);
  const bnr = new BnrRates(db.prisma, config.bnrUrl);
  const engine = new DocumentEngine(documents, stornoAccess, reader, customers, connections, bnr, log, config.stalledAfterMs, config.verdictPollMs);
  const inbox = new Inbox(db);
  const handler = createEventHandler({ connections, tokens, stornoAccount: outside.stornoAccount, documents, engine, reader, customers, log });
  const retention = new Retention(db.prisma, config.retentionMs, log);
  return {
    tokens,
    deviceGrants: new DeviceGrantService(db.prisma, config.publicUrl),
    connections,
    consentSessions: new ConsentSessionStore(db.prisma, config.encryptionKey, config.publicUrl.startsWith('https://')),
    stornoAccount: outside.stornoAccount,
    stripeAccountNames: new StripeAccountNames(outside.stripe, log),
    codeAttempts: new CodeAttemptBudget(),
    retention,
    inbox,
    documents,
    reader,
    customers,
    engine,
    stornoAccess,
    views: new DocumentViews(reader, documents, customers, engine),
    periods: new PeriodService({
      db,
      reader,
      engine,
      documents,
      connections,
      log,
      exportSecret: config.jwtSecret,
      backfillConcurrency: config.backfillConcurrency,
      // RON equivalents of the period's totals, at the BNR rate each sale's document would carry.
      rates: (currency, day) =>
        bnr.rateFor(currency, day).then(
          (r) => r.rate,
          (err: unknown) => {
            if (err instanceof BnrCurrencyUnknown) return null;
            throw err;
          },
        ),
    }),
    worker: new Worker(inbox, handler, DocumentEngine.isTransient, log, {
      tick: async () => {
        await retention.runIfDue();
        await engine.sweep();
      },
      tickEveryMs: config.workerTickMs,
      // SQLite means one server process: whatever a lease still holds belongs to a process that died.
      recover:
        db.dialect === 'sqlite'
          ? async () => {
              const events = await inbox.releaseAll();
              const links = await documents.releaseAll();
              if (events || links) log.warn({ events, links }, 'took over work left by a previous process');
            }
          : undefined,
    }),
  };
}
