// What every route module receives: the store, the outbound side effects, and the resolved options.
import type { Store } from './state.js';
import type { WebhookDispatcher } from './webhooks.js';
import type { Provider } from './provider.js';

export interface ResolvedOptions {
  providerDelayMs: number;
  accessTokenTtlSeconds: number;
  allowLoopbackWebhooks: boolean;
  monthlyInvoiceLimit: number;
}

export interface SandboxContext {
  store: Store;
  webhooks: WebhookDispatcher;
  provider: Provider;
  options: ResolvedOptions;
}
