// The development manifest points the extension at the backend's actual port, not a hard-coded one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { devApiBase, devManifest, devManifestFor } from '../src/dev/devManifest.js';

describe('development manifest', () => {
  it('the committed stripe-app.dev.json is the one for the default port', () => {
    expect(JSON.parse(readFileSync('stripe-app.dev.json', 'utf8'))).toEqual(devManifest(devApiBase({})));
    expect(devManifestFor({})).toBe('stripe-app.dev.json');
  });

  it('another port or a public URL gets its own manifest', () => {
    expect(devManifest(devApiBase({ PORT: '9000' }))).toMatchObject({
      ui_extension: { content_security_policy: { 'connect-src': ['http://localhost:9000/api/v1/stripe-app/'] } },
      constants: { API_BASE: 'http://localhost:9000/api/v1/stripe-app/' },
    });
    expect(devApiBase({ PORT: '9000', PUBLIC_URL: 'https://abc.tunnel.example/' })).toBe('https://abc.tunnel.example/api/v1/stripe-app/');
    expect(devManifestFor({ PORT: '9000' })).toBe('stripe-app.dev.local.json');
  });
});
