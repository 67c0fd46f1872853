// `npm run sandbox`: runs the Storno API sandbox alone. Settings come from the environment (defaults in README):
//   STORNO_SANDBOX_PORT (8790), STORNO_SANDBOX_HOST (127.0.0.1), STORNO_SANDBOX_API_KEY, STORNO_SANDBOX_DEMO_EMAIL,
//   STORNO_SANDBOX_DEMO_PASSWORD, STORNO_SANDBOX_PROVIDER_DELAY_MS (1500), STORNO_SANDBOX_STATE_FILE
//   (./data/storno-sandbox.json; "none" = memory only), STORNO_SANDBOX_OAUTH_CLIENT_ID / _SECRET / _REDIRECT_URIS.
// The OAuth client falls back to the backend's ./data/dev-secrets.json when present, so both agree out of the box.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SANDBOX_SEED, startStornoSandbox } from './index.js';

const env = process.env;

function int(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`${name} must be a non-negative integer (got "${raw}")`);
    process.exit(1);
  }
  return n;
}

function devSecrets(): Record<string, string> {
  const file = join(env.DATA_DIR ?? './data', 'dev-secrets.json');
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

const apiKey = env.STORNO_SANDBOX_API_KEY || SANDBOX_SEED.apiKeys.demo.key;
if (!/^af_[0-9a-f]{64}$/.test(apiKey)) {
  console.error('STORNO_SANDBOX_API_KEY must be "af_" followed by 64 lowercase hex characters');
  process.exit(1);
}
const port = int('STORNO_SANDBOX_PORT', 8790);
const backendPort = env.PORT || '8787';
const secrets = devSecrets();
const oauthClient = {
  clientId: env.STORNO_SANDBOX_OAUTH_CLIENT_ID || secrets.STORNO_OAUTH_CLIENT_ID || SANDBOX_SEED.oauthClient.clientId,
  clientSecret: env.STORNO_SANDBOX_OAUTH_CLIENT_SECRET || secrets.STORNO_OAUTH_CLIENT_SECRET || SANDBOX_SEED.oauthClient.clientSecret,
  name: SANDBOX_SEED.oauthClient.name,
  redirectUris: (env.STORNO_SANDBOX_OAUTH_REDIRECT_URIS || `http://127.0.0.1:${backendPort}/stripe-link/callback`)
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean),
};
const stateFile = env.STORNO_SANDBOX_STATE_FILE ?? join(env.DATA_DIR ?? './data', 'storno-sandbox.json');
const demoEmail = env.STORNO_SANDBOX_DEMO_EMAIL || SANDBOX_SEED.users.demo.email;
const demoPassword = env.STORNO_SANDBOX_DEMO_PASSWORD || SANDBOX_SEED.users.demo.password;

const sandbox = await startStornoSandbox({
  port,
  host: env.STORNO_SANDBOX_HOST || '127.0.0.1',
  providerDelayMs: int('STORNO_SANDBOX_PROVIDER_DELAY_MS', 1500),
  apiKey,
  demoEmail,
  demoPassword,
  oauthClients: [oauthClient],
  stateFile: stateFile === 'none' ? undefined : stateFile,
  logger: env.STORNO_SANDBOX_LOG === 'true',
});

console.log(`Storno API sandbox listening on ${sandbox.url}
  API base          ${sandbox.url}/api/v1
  demo user         ${demoEmail} / ${demoPassword}  (both companies)
  restricted user   ${SANDBOX_SEED.users.restricted.email} / ${SANDBOX_SEED.users.restricted.password}  (company A only)
  API key           ${apiKey}   (header  Authorization: <key>)
  companies         ${SANDBOX_SEED.companies.a.name} ${SANDBOX_SEED.companies.a.id}
                    ${SANDBOX_SEED.companies.b.name} ${SANDBOX_SEED.companies.b.id}
  OAuth2 client     ${oauthClient.clientId}  redirect ${oauthClient.redirectUris.join(', ')}
  sign-in page      ${sandbox.url}/oauth2/authorize
  state file        ${stateFile === 'none' ? '(memory only)' : stateFile}`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the Storno sandbox`);
  sandbox.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
