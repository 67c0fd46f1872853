// Factory for `vi.mock('@stripe/ui-extension-sdk/utils', …)`: the real functions need the Dashboard host
// and throw "hostEndpoint has not been initialized" in tests. Each test file calls
// `vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'))`.
import { vi } from 'vitest';

export const AUTHORIZATION_VALUE = 'Bearer DO_NOT_PASS_A_REAL_API_KEY';
export const STRIPE_API_KEY = 'DO_NOT_PASS_A_REAL_API_KEY';
export const fetchStripeSignature = vi.fn(async () => 't=1,v1=from-sdk');
export const showToast = vi.fn(async () => ({ update: () => undefined, dismiss: () => undefined }));
export const stripeApiFetch = vi.fn(async () => ({ ok: true, status: 200, json: {}, headers: {}, redirected: false, statusText: 'OK', type: 'basic', url: '' }));
