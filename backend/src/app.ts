// buildApp(config) → a Fastify instance with every route registered; tests drive it with `inject`.
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import jwt from '@fastify/jwt';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { API_PREFIX } from '../../src/api/contract.js';
import type { AppConfig } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { applyMigrations } from './db/migrations.js';
import { authenticate } from './http/authenticate.js';
import { registerErrorHandling } from './http/errors.js';
import { logOneLinePerRequest, loggerOptions } from './http/logging.js';
import { previewRoutes } from './dev/preview.js';
import { createStornoAccountApi } from './oauth/stornoAccountClient.js';
import { consentRoutes } from './routes/consent.js';
import { documentFileLinkRoutes, documentFileRoutes } from './routes/documentFiles.js';
import { documentRoutes } from './routes/documents.js';
import { fiscalRoutes } from './routes/fiscal.js';
import { healthRoutes } from './routes/health.js';
import { oauthRoutes } from './routes/oauth.js';
import { openApiDocument, openApiRoutes } from './routes/openapi.js';
import { periodExportRoutes, reconciliationRoutes } from './routes/reconciliation.js';
import { settingsRoutes } from './routes/settings.js';
import { stornoWebhookRoutes } from './routes/stornoWebhooks.js';
import { stripeWebhookRoutes } from './routes/stripeWebhooks.js';
import { createStripeClient } from './stripe/client.js';
import { createServices, type OutsideWorld } from './services.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    db: Database;
  }
}

export { API_PREFIX };

/** Routes of the extension's data: registered in one scope whose hook authenticates every request. */
const DATA_ROUTES: FastifyPluginAsync[] = [settingsRoutes, documentRoutes, documentFileLinkRoutes, fiscalRoutes, reconciliationRoutes];
/** Public on purpose under API_PREFIX: each authenticates its own way (app signature, device code, webhook signature, signed link). */
const PUBLIC_API_ROUTES: FastifyPluginAsync[] = [healthRoutes, oauthRoutes, stripeWebhookRoutes, stornoWebhookRoutes, openApiRoutes, documentFileRoutes, periodExportRoutes];

export interface BuildOptions {
  /** Apply pending migrations while starting (default true). */
  migrate?: boolean;
  /** Logger destination override (tests capture log lines with it). */
  logStream?: NodeJS.WritableStream;
  /** Clients of Storno and Stripe; by default built from the config. */
  outside?: Partial<OutsideWorld>;
}

function defaultOutsideWorld(config: AppConfig): OutsideWorld {
  return {
    stornoAccount: createStornoAccountApi(config),
    stripe: createStripeClient({ secretKey: config.stripe.secretKey, apiUrl: config.stripe.apiUrl }),
  };
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

export function buildApp(config: AppConfig, options: BuildOptions = {}): FastifyInstance {
  // Readable lines for a person at the terminal (npm start); JSON everywhere else (production, tests, log capture).
  const logger = loggerOptions(config.logLevel, { pretty: config.env === 'development' && !options.logStream });
  const app = Fastify({
    logger: options.logStream && logger && typeof logger === 'object' ? { ...logger, stream: options.logStream } : logger,
    // logOneLinePerRequest writes the request's single line instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Off unless configured: otherwise any client picks its own address (and rate-limit key) with X-Forwarded-For.
    // (A hop count as proxy-addr reads it: the N nearest addresses are proxies.)
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1_048_576,
    // Drain in-flight requests on close (SIGTERM) instead of cutting them off.
    forceCloseConnections: 'idle',
  });

  app.decorate('config', config);
  const db = openDatabase(config.databaseUrl);
  app.decorate('db', db);
  app.addHook('onReady', async () => {
    if (options.migrate !== false) await applyMigrations(config.databaseUrl);
  });
  app.addHook('onReady', async () => {
    // On SQLite the worker lives in the server process; on PostgreSQL every instance runs one.
    if (config.workerEnabled) app.services.worker.start();
    if (config.workerEnabled) app.services.periods.jobs.start();
  });
  app.addHook('onClose', async () => {
    await app.services?.worker.stop();
    await app.services?.periods.jobs.stop();
    await db.close();
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  logOneLinePerRequest(app);
  app.register(openApiDocument);
  app.register(formbody);
  app.register(cookie);
  app.register(rateLimit, { global: false });
  // The extension runs in a sandboxed iframe whose origin is "null"; it sends no cookies.
  app.register(cors, {
    origin: '*',
    methods: ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Stripe-Signature'],
  });

  app.register(jwt, { secret: config.jwtSecret, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'] } });
  app.register(
    fp(async (instance) => {
      instance.decorate('services', createServices(instance, { ...defaultOutsideWorld(config), ...options.outside }));
    }),
  );

  // Public at the root: health for the platform, the consent page (session + CSRF), the dev-only preview.
  app.register(healthRoutes);
  app.register(consentRoutes);
  // The local Dashboard preview is a development tool: never served in production.
  if (config.env !== 'production') app.register(previewRoutes);
  app.register(
    async (api) => {
      for (const routes of PUBLIC_API_ROUTES) api.register(routes);
      // Secure by default: a route added to this scope cannot answer before authenticate() has passed.
      api.register(async (data) => {
        data.addHook('onRequest', authenticate);
        for (const routes of DATA_ROUTES) data.register(routes);
      });
    },
    { prefix: API_PREFIX },
  );
  return app;
}
