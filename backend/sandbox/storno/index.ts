// Storno API sandbox: a local stand-in of the real Storno.ro REST API (shared/storno-api.md), for development
// and tests. `buildStornoSandbox` gives an app ready for `inject`; `startStornoSandbox` also listens.
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { loggerOptions } from '../../src/http/logging.js';
import { authenticate } from './auth.js';
import type { ResolvedOptions, SandboxContext } from './context.js';
import { registerSandboxErrors } from './errors.js';
import { installFaults, type FaultRule } from './faults.js';
import { oauthTokenRoutes } from './oauth.js';
import { oauthPages } from './oauthPages.js';
import { createProvider } from './provider.js';
import { accountRoutes } from './routes/account.js';
import { adminRoutes } from './routes/admin.js';
import { clientRoutes } from './routes/clients.js';
import { fileRoutes } from './routes/files.js';
import { invoiceRoutes } from './routes/invoices.js';
import { lifecycleRoutes } from './routes/lifecycle.js';
import { paymentRoutes } from './routes/payments.js';
import { webhookRoutes } from './routes/webhooks.js';
import { createStore, type Store } from './state.js';
import { createWebhookDispatcher } from './webhooks.js';

export { SANDBOX_SEED } from './seed.js';
export type { FaultRule } from './faults.js';
export { signBody as signWebhookBody } from './webhooks.js';

export interface StornoSandboxOptions {
  /** 0 = random (default 0). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Time from submit to the provider's verdict; default 1500; 0 = on the next tick. */
  providerDelayMs?: number;
  /** Demo API key (af_ + 64 hex); default SANDBOX_SEED.apiKeys.demo.key. */
  apiKey?: string;
  /** The user with both companies; defaults in SANDBOX_SEED.users.demo. */
  demoEmail?: string;
  demoPassword?: string;
  /** OAuth2 clients; default SANDBOX_SEED.oauthClient. */
  oauthClients?: { clientId: string; clientSecret: string; name: string; redirectUris: string[] }[];
  /** Default 3600. */
  accessTokenTtlSeconds?: number;
  /** Persist the state as JSON there (loaded on start, written shortly after each change). */
  stateFile?: string;
  /** Accept http://127.0.0.1 / localhost webhook URLs besides https (deviation; default true). */
  allowLoopbackWebhooks?: boolean;
  /** Delays before the 2nd and 3rd delivery attempts; default [60000, 300000]. */
  webhookRetryDelaysMs?: number[];
  /** PRNG seed for fault injection; default 1. */
  seed?: number;
  /** Invoices per organization and calendar month before 402 PLAN_LIMIT; default 100000. */
  monthlyInvoiceLimit?: number;
  /** false (default), true (info level, redacted), or Fastify logger options. */
  logger?: boolean | object;
}

export interface StornoSandbox {
  /** e.g. http://127.0.0.1:54321 (no trailing slash); '' until listening. */
  url: string;
  app: FastifyInstance;
  faults: { set(rules: FaultRule[]): void; clear(): void };
  /** The live state (tests may inspect or tweak it, e.g. `store.state.companies[0].hasValidToken = false`). */
  store: Store;
  /** Resolves once scheduled provider verdicts are given and in-flight webhook deliveries finished. */
  settle(): Promise<void>;
  /** API requests received (method, path without query, status), oldest first; the last 20,000. For counting calls. */
  readonly requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

/** A sandbox ready for `app.inject` (not listening; `url` is ''). */
export async function buildStornoSandbox(options: StornoSandboxOptions = {}): Promise<StornoSandbox> {
  const resolved: ResolvedOptions = {
    providerDelayMs: options.providerDelayMs ?? 1500,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    allowLoopbackWebhooks: options.allowLoopbackWebhooks ?? true,
    monthlyInvoiceLimit: options.monthlyInvoiceLimit ?? 100_000,
  };
  const store = createStore(
    { apiKey: options.apiKey, demoEmail: options.demoEmail, demoPassword: options.demoPassword, oauthClients: options.oauthClients },
    options.stateFile,
  );
  const webhooks = createWebhookDispatcher(store, options.webhookRetryDelaysMs ?? [60_000, 300_000]);
  const provider = createProvider(store, webhooks, resolved.providerDelayMs);
  const ctx: SandboxContext = { store, webhooks, provider, options: resolved };

  const logger =
    options.logger === true ? loggerOptions('info') : typeof options.logger === 'object' ? (options.logger as object) : false;
  const app = Fastify({ logger, forceCloseConnections: true });
  registerSandboxErrors(app);
  await app.register(formbody);
  await app.register(cookie);
  const faults = installFaults(app, options.seed ?? 1);

  // Every /api/v1 route needs a credential, except the OAuth2 token endpoints.
  app.addHook('preHandler', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (!path.startsWith('/api/v1/') || path.startsWith('/api/v1/oauth2/')) return;
    authenticate(store, request);
  });
  const requests: StornoSandbox['requests'] = [];
  // Any successful mutation schedules a state-file write; every API call is counted (tests, bench).
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && reply.statusCode < 500) store.changed();
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/api/')) {
      requests.push({ method: request.method, path, status: reply.statusCode });
      if (requests.length > 20_000) requests.splice(0, requests.length - 20_000);
    }
  });

  accountRoutes(app, ctx);
  clientRoutes(app, ctx);
  invoiceRoutes(app, ctx);
  lifecycleRoutes(app, ctx);
  fileRoutes(app, ctx);
  paymentRoutes(app, ctx);
  webhookRoutes(app, ctx);
  oauthTokenRoutes(app, ctx);
  oauthPages(app, ctx);
  adminRoutes(app, ctx, faults);

  let closed = false;
  const sandbox: StornoSandbox = {
    url: '',
    app,
    faults,
    store,
    requests,
    async settle() {
      await provider.idle();
      await webhooks.idle();
    },
    async close() {
      if (closed) return;
      closed = true;
      provider.close();
      webhooks.close();
      await app.close();
      store.flush();
    },
  };
  await app.ready();
  return sandbox;
}

/** Builds the sandbox and listens on host:port (random port by default). */
export async function startStornoSandbox(options: StornoSandboxOptions = {}): Promise<StornoSandbox> {
  const sandbox = await buildStornoSandbox(options);
  const host = options.host ?? '127.0.0.1';
  await sandbox.app.listen({ port: options.port ?? 0, host });
  const address = sandbox.app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  sandbox.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return sandbox;
}
