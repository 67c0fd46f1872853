// Writes stripe-app.dev.local.json for the backend's PORT / PUBLIC_URL (the committed stripe-app.dev.json is for
// the default port 8787):  PORT=9000 node --import tsx scripts/dev-manifest.ts
import { writeFileSync } from 'node:fs';
import { devApiBase, devManifest, LOCAL_DEV_MANIFEST } from '../backend/src/dev/devManifest.js';

const apiBase = devApiBase(process.env);
writeFileSync(LOCAL_DEV_MANIFEST, `${JSON.stringify(devManifest(apiBase), null, 2)}\n`);
console.log(`Wrote ${LOCAL_DEV_MANIFEST} for ${apiBase}\nThen: stripe apps start --manifest ${LOCAL_DEV_MANIFEST}`);
