// The local-development manifest override (`stripe apps start --manifest …`): `stripe-app.json` plus the backend's
// URL in `connect-src` and `constants.API_BASE`. The committed `stripe-app.dev.json` is this for the default port;
// `node --import tsx scripts/dev-manifest.ts` writes `stripe-app.dev.local.json` for whatever PORT / PUBLIC_URL say.
export const DEFAULT_PORT = 8787;
export const DEV_MANIFEST = 'stripe-app.dev.json';
export const LOCAL_DEV_MANIFEST = 'stripe-app.dev.local.json';

/** The backend's API base as the Dashboard reaches it: PUBLIC_URL when set (e.g. a tunnel), else localhost:PORT. */
export function devApiBase(env: { PORT?: string; PUBLIC_URL?: string }): string {
  const origin = env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : `http://localhost:${env.PORT || DEFAULT_PORT}`;
  return `${origin}/api/v1/stripe-app/`;
}

export function devManifest(apiBase: string) {
  return {
    extends: 'stripe-app.json',
    ui_extension: {
      content_security_policy: {
        'connect-src': [apiBase],
        'image-src': null,
        purpose: 'Talk to the local Storno.ro e-invoicing backend while developing.',
      },
    },
    constants: { API_BASE: apiBase },
  };
}

/** Which manifest `stripe apps start` should use for this backend. */
export const devManifestFor = (env: { PORT?: string; PUBLIC_URL?: string }): string =>
  devApiBase(env) === devApiBase({}) ? DEV_MANIFEST : LOCAL_DEV_MANIFEST;
