// The preview's Platform (see src/api/platform.ts): what the Dashboard gives the views, done by the page.
// Signatures come from the backend's dev-only /preview/api/signature, the Secret Store is localStorage
// (one key per Dashboard user and secret name), toasts are DOM toasts, openUrl opens a real tab.
import type { Platform } from '../src/api/platform';
import { openUrl } from './links';
import { showToast } from './toasts';

const secretKey = (userId: string, name: string) => `storno-preview:secret:${userId}:${name}`;

export function previewPlatform(identity: { userId: string; accountId: string }): Partial<Platform> {
  return {
    async fetchSignature() {
      const response = await window.fetch('/preview/api/signature', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user_id: identity.userId, account_id: identity.accountId }),
      });
      const body = (await response.json()) as { signature?: string; message?: string };
      if (!response.ok || !body.signature) throw new Error(body.message ?? `signature: HTTP ${response.status}`);
      return body.signature;
    },
    secrets: {
      get: async (userId, name) => window.localStorage.getItem(secretKey(userId, name)),
      set: async (userId, name, payload) => window.localStorage.setItem(secretKey(userId, name), payload),
      delete: async (userId, name) => window.localStorage.removeItem(secretKey(userId, name)),
    },
    toast: (message, kind) => showToast(message, kind),
    openUrl,
    fetch: (url, init) => window.fetch(url, init),
  };
}
