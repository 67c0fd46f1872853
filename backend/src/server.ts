// `npm start`: the backend. With nothing configured (development) it keeps generated secrets in ./data/,
// starts the Storno sandbox and the Stripe fake, and runs on an SQLite file. In production every setting
// must be given and nothing is generated.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DEV_MANIFEST, devManifestFor } from './dev/devManifest.js';
import { ensureDevSecrets, readDevSecretValues } from './dev/devSecrets.js';
import { startStandIns, type StandIns } from './dev/standIns.js';

async function main(): Promise<void> {
  const env = process.env;
  const production = env.NODE_ENV === 'production';
  const dataDir = env.DATA_DIR ?? './data';
  let standIns: StandIns | undefined;
  let fallbacks: Record<string, string> = {};

  if (!production) {
    const { secrets } = ensureDevSecrets(dataDir);
    const port = env.PORT ?? '8787';
    const publicUrl = env.PUBLIC_URL ?? `http://127.0.0.1:${port}`;
    standIns = await startStandIns({ env, dataDir, secrets, publicUrl });
    fallbacks = { ...secrets, ...standIns.env };
  }

  let config;
  try {
    config = loadConfig(env, { fallbacks, devSecretValues: production ? readDevSecretValues(dataDir) : [] });
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      await standIns?.close();
      process.exit(1);
    }
    throw err;
  }

  const app = buildApp(config);
  const dashboardHint = (e: NodeJS.ProcessEnv) => {
    // PUBLIC_URL defaults to 127.0.0.1 here; the Dashboard reaches the backend as localhost.
    const manifest = devManifestFor({ PORT: e.PORT, PUBLIC_URL: e.PUBLIC_URL });
    return manifest === DEV_MANIFEST
      ? `stripe apps start --manifest ${manifest}`
      : `node --import tsx scripts/dev-manifest.ts, then stripe apps start --manifest ${manifest}`;
  };
  await app.listen({ port: config.port, host: config.host });

  const lines = [
    `Storno e-Factura for Stripe — backend ready (${config.env})`,
    `  Backend:       ${config.publicUrl}/api/v1/stripe-app/  (health: ${config.publicUrl}/healthz)`,
    `  Consent page:  ${config.publicUrl}/stripe-link`,
    ...(config.env === 'production' ? [] : [`  Preview:       ${config.publicUrl}/preview  (the extension's views, hosted locally)`]),
    `  Data:          ${app.db.location}`,
    `  Stand-ins:     ${standIns?.names.length ? standIns.names.join('; ') : 'none (real Storno and Stripe)'}`,
    ...(config.env === 'production' ? [] : [`  Dashboard:     ${dashboardHint(env)}`]),
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    // app.close() stops accepting connections, waits for in-flight requests, then closes the database.
    await app.close();
    await standIns?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
