// Validates stripe-app.json and stripe-app.dev.json against the manifest rules (shared/stripe-apps.md §1).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
type Json = Record<string, unknown>;
const load = (file: string): Json => JSON.parse(readFileSync(join(root, file), 'utf8')) as Json;

const KNOWN_VIEWPORTS = new Set([
  'stripe.dashboard.payment.list',
  'stripe.dashboard.payment.detail',
  'stripe.dashboard.customer.list',
  'stripe.dashboard.customer.detail',
  'stripe.dashboard.invoice.list',
  'stripe.dashboard.invoice.detail',
  'stripe.dashboard.subscription.list',
  'stripe.dashboard.subscription.detail',
  'stripe.dashboard.product.list',
  'stripe.dashboard.product.detail',
  'stripe.dashboard.payment-link.list',
  'stripe.dashboard.payment-link.detail',
  'stripe.dashboard.home.overview',
  'stripe.dashboard.balance.overview',
  'stripe.dashboard.billing.overview',
  'stripe.dashboard.report.overview',
  'stripe.dashboard.revenue-recognition.overview',
  'stripe.dashboard.tax-report.overview',
  'stripe.dashboard.drawer.default',
  'stripe.dashboard.fullpage',
  'settings',
  'onboarding',
]);

const KNOWN_PERMISSIONS = new Set([
  'customer_read',
  'customer_write',
  'billing_clock_read',
  'charge_read',
  'charge_write',
  'checkout_session_read',
  'checkout_session_write',
  'payment_intent_read',
  'payment_intent_write',
  'invoice_read',
  'invoice_write',
  'credit_note_read',
  'credit_note_write',
  'subscription_read',
  'subscription_write',
  'plan_read',
  'plan_write',
  'product_read',
  'tax_rate_read',
  'tax_rate_write',
  'event_read',
  'webhook_read',
  'webhook_write',
  'secret_write',
  'user_email_read',
  'file_read',
  'file_write',
  'connected_account_read',
  'balance_read',
  'balance_transaction_source_read',
]);

const EXPECTED_VIEWS: Record<string, string> = {
  'stripe.dashboard.home.overview': 'HomeOverviewView',
  'stripe.dashboard.customer.detail': 'CustomerDetailView',
  'stripe.dashboard.payment.detail': 'PaymentDetailView',
  'stripe.dashboard.invoice.detail': 'InvoiceDetailView',
  'stripe.dashboard.subscription.detail': 'SubscriptionDetailView',
  settings: 'AppSettings',
};

// What the code needs is derived in backend/src/stripe/permissions.test.ts; this pins the reviewed list.
const EXPECTED_PERMISSIONS = [
  'customer_read',
  'charge_read',
  'payment_intent_read',
  'invoice_read',
  'subscription_read',
  'checkout_session_read',
  'tax_rate_read',
  'plan_read',
  'product_read',
  'secret_write',
  'event_read',
];

interface Csp {
  'connect-src'?: string[] | null;
  'image-src'?: string[] | null;
  purpose?: unknown;
}

/** `stripe apps start --manifest stripe-app.dev.json`: the override's fields replace the base ones. */
function merge(base: Json, override: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (key === 'extends') continue;
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? merge(current as Json, value as Json)
        : value;
  }
  return out;
}

function cspProblems(csp: Csp | undefined, { allowLocalhost }: { allowLocalhost: boolean }): string[] {
  const problems: string[] = [];
  if (!csp) return ['content_security_policy missing'];
  if (typeof csp.purpose !== 'string' || csp.purpose.trim() === '') problems.push('CSP purpose missing');
  for (const url of csp['connect-src'] ?? []) {
    const local = /^http:\/\/localhost(:\d+)?\//.test(url);
    if (!url.startsWith('https://') && !(allowLocalhost && local)) problems.push(`${url}: https only`);
    if (!/^https?:\/\/[^/]+\/.+/.test(url)) problems.push(`${url}: needs a path`);
    if (!url.endsWith('/')) problems.push(`${url}: should end with / (prefix)`);
    if (/^https?:\/\/([^/]*\.)?stripe\.com(\/|:)/.test(url)) problems.push(`${url}: Stripe API URLs are not allowed`);
    const host = url.replace(/^https?:\/\//, '').split('/')[0];
    if (host.slice(1).includes('*') || (host.includes('*') && !host.startsWith('*.'))) problems.push(`${url}: wildcard only as the left-most label`);
  }
  for (const url of csp['image-src'] ?? []) if (!/^https?:\/\/.+/.test(url)) problems.push(`${url}: bad image-src`);
  return problems;
}

function manifestProblems(manifest: Json, { allowLocalhost }: { allowLocalhost: boolean }): string[] {
  const problems: string[] = [];
  if (typeof manifest.id !== 'string' || !/^[a-zA-Z0-9_\-.]+$/.test(manifest.id)) problems.push('id');
  if (typeof manifest.version !== 'string' || manifest.version === '') problems.push('version');
  if (typeof manifest.name !== 'string' || manifest.name.length === 0 || manifest.name.length > 35) problems.push('name length');
  else if (/\b(stripe|app|free|paid)\b/i.test(manifest.name)) problems.push('name has a forbidden word');
  if (typeof manifest.icon !== 'string' || !/^(\.\/.+\.png|)$/.test(manifest.icon)) problems.push('icon path');

  const permissions = manifest.permissions as { permission: string; purpose: unknown }[];
  if (!Array.isArray(permissions)) problems.push('permissions');
  const seen = new Set<string>();
  for (const { permission, purpose } of permissions ?? []) {
    if (!KNOWN_PERMISSIONS.has(permission)) problems.push(`unknown permission ${permission}`);
    if (seen.has(permission)) problems.push(`duplicate permission ${permission}`);
    seen.add(permission);
    const ok = typeof purpose === 'string' ? purpose.trim().length > 0 : !!purpose && typeof purpose === 'object' && Object.values(purpose).every((text) => typeof text === 'string' && text.length > 0);
    if (!ok) problems.push(`purpose missing for ${permission}`);
  }

  const ui = manifest.ui_extension as { views: { viewport: string; component: string }[]; content_security_policy?: Csp };
  const viewports = new Set<string>();
  for (const { viewport, component } of ui.views) {
    if (!KNOWN_VIEWPORTS.has(viewport)) problems.push(`unknown viewport ${viewport}`);
    if (viewports.has(viewport)) problems.push(`two views for ${viewport}`);
    viewports.add(viewport);
    if (!/^[a-zA-Z0-9_]+$/.test(component)) problems.push(`component name ${component}`);
    const file = join(root, 'src', 'views', `${component}.tsx`);
    if (!existsSync(file)) problems.push(`missing src/views/${component}.tsx`);
    else if (!/export default \w+;|export default function/.test(readFileSync(file, 'utf8'))) problems.push(`${component}.tsx has no default export`);
  }
  problems.push(...cspProblems(ui.content_security_policy, { allowLocalhost }));

  const apiBase = (manifest.constants as Json | undefined)?.API_BASE;
  if (typeof apiBase !== 'string') problems.push('constants.API_BASE missing');
  else if (!(ui.content_security_policy?.['connect-src'] ?? []).some((src) => (src.endsWith('/') ? apiBase.startsWith(src) : apiBase === src))) {
    problems.push('constants.API_BASE is not covered by connect-src');
  }
  return problems;
}

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))).toBe(true);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('stripe-app.json', () => {
  const manifest = load('stripe-app.json');

  it('follows the manifest rules', () => {
    expect(manifestProblems(manifest, { allowLocalhost: false })).toEqual([]);
  });

  it('has the six views, the permissions with a purpose each, and the backend in connect-src', () => {
    const views = (manifest.ui_extension as { views: { viewport: string; component: string }[] }).views;
    expect(Object.fromEntries(views.map((view) => [view.viewport, view.component]))).toEqual(EXPECTED_VIEWS);
    expect((manifest.permissions as { permission: string }[]).map((p) => p.permission).sort()).toEqual([...EXPECTED_PERMISSIONS].sort());
    const csp = (manifest.ui_extension as { content_security_policy: Csp }).content_security_policy;
    expect(csp['connect-src']).toEqual(['https://stripe-app.storno.ro/api/v1/stripe-app/']);
    expect((manifest.constants as Json).API_BASE).toBe('https://stripe-app.storno.ro/api/v1/stripe-app/');
  });

  it('icon is a 300×300 PNG', () => {
    const icon = join(root, String(manifest.icon));
    expect(existsSync(icon)).toBe(true);
    expect(pngSize(icon)).toEqual({ width: 300, height: 300 });
  });

  it('the rules catch bad values', () => {
    const bad = merge(manifest, {
      id: 'bad id!',
      name: 'Free Stripe app',
      permissions: [{ permission: 'refund_read', purpose: '' }],
      ui_extension: {
        views: [{ viewport: 'stripe.dashboard.refund.detail', component: 'Refund-View' }],
        content_security_policy: { 'connect-src': ['http://example.com/', 'https://api.stripe.com/v1/', 'https://a.*.example.com/x/'], purpose: '' },
      },
    });
    const problems = manifestProblems(bad, { allowLocalhost: false });
    expect(problems).toEqual(
      expect.arrayContaining([
        'id',
        'name has a forbidden word',
        'unknown permission refund_read',
        'purpose missing for refund_read',
        'unknown viewport stripe.dashboard.refund.detail',
        'component name Refund-View',
        'CSP purpose missing',
        'http://example.com/: https only',
        'http://example.com/: needs a path',
        'https://api.stripe.com/v1/: Stripe API URLs are not allowed',
        'https://a.*.example.com/x/: wildcard only as the left-most label',
      ]),
    );
  });
});

describe('stripe-app.dev.json', () => {
  const dev = load('stripe-app.dev.json');
  const merged = merge(load('stripe-app.json'), dev);

  it('extends the main manifest and points at the local backend', () => {
    expect(dev.extends).toBe('stripe-app.json');
    const csp = (merged.ui_extension as { content_security_policy: Csp }).content_security_policy;
    expect(csp['connect-src']).toEqual(['http://localhost:8787/api/v1/stripe-app/']);
    expect((merged.constants as Json).API_BASE).toBe('http://localhost:8787/api/v1/stripe-app/');
  });

  it('the merged manifest follows the rules (localhost allowed only here)', () => {
    expect(manifestProblems(merged, { allowLocalhost: true })).toEqual([]);
    expect(manifestProblems(merged, { allowLocalhost: false })).toContain('http://localhost:8787/api/v1/stripe-app/: https only');
  });
});
