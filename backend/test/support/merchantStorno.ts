// Storno as the merchant sees it, signed in with the demo API key to company A: to check (and change) what the product
// left there. `client` is the product's own Storno client; `api` makes the calls the product never makes.
import { expect } from 'vitest';
import { SANDBOX_SEED } from '../../sandbox/storno/index.js';
import { StornoClient } from '../../src/storno/client.js';
import type { World } from './world.js';

export function merchantStorno(world: World) {
  const key = SANDBOX_SEED.apiKeys.demo.key;
  const company = SANDBOX_SEED.companies.a.id;
  return {
    client: new StornoClient({ baseUrl: world.storno.url, credentials: { type: 'apiKey', key }, companyId: company }),
    /** JSON in and out; a non-2xx answer fails the test. */
    async api(method: 'GET' | 'PATCH', path: string, body?: object) {
      const res = await fetch(`${world.storno.url}${path}`, {
        method,
        headers: { authorization: key, 'x-company': company, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(res.ok).toBe(true);
      return res.json();
    },
  };
}
