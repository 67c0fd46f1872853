// Test helpers for the sandbox's own tests: a built sandbox plus a small authenticated `inject` wrapper.
import { buildStornoSandbox, SANDBOX_SEED, type StornoSandbox, type StornoSandboxOptions } from './index.js';

export const KEY = SANDBOX_SEED.apiKeys.demo.key;
export const COMPANY_A = SANDBOX_SEED.companies.a.id;
export const COMPANY_B = SANDBOX_SEED.companies.b.id;

export interface Call {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions read arbitrary JSON
  headers: Record<string, unknown>;
}

export interface Kit {
  sandbox: StornoSandbox;
  call(method: string, url: string, payload?: unknown, headers?: Record<string, string>): Promise<Call>;
  /** Creates a draft invoice for company A and returns its detail. */
  draft(body?: Record<string, unknown>): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function kit(options: StornoSandboxOptions = {}): Promise<Kit> {
  const sandbox = await buildStornoSandbox({ providerDelayMs: 0, ...options });
  const call: Kit['call'] = async (method, url, payload, headers = {}) => {
    const res = await sandbox.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: KEY, 'x-company': COMPANY_A, ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    let body: unknown = res.body;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.statusCode, body, headers: res.headers };
  };
  const draft: Kit['draft'] = async (body = {}) => {
    const res = await call('POST', '/api/v1/invoices', {
      clientId: SANDBOX_SEED.clients.roCompany.id,
      dueDate: '2030-01-31',
      lines: [{ description: 'Abonament SaaS', quantity: '1', unitPrice: '100.00', vatRate: '21.00' }],
      ...body,
    });
    if (res.status !== 201) throw new Error(`draft failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.invoice;
  };
  return { sandbox, call, draft };
}
