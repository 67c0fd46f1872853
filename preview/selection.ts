// What the preview shows: the Dashboard page (viewport), the object on it and the Dashboard locale.
// It lives in the URL query (/preview?viewport=payment&object=pi_demo_b2b&locale=ro-RO) so a person or a
// test can deep-link. Pure functions only: no DOM, so they run in unit tests.

export const VIEWPORTS = {
  home: { id: 'stripe.dashboard.home.overview', label: 'Home', page: 'Home', object: null },
  customer: { id: 'stripe.dashboard.customer.detail', label: 'Customer', page: 'Customers', object: 'customer' },
  payment: { id: 'stripe.dashboard.payment.detail', label: 'Payment', page: 'Payments', object: 'payment_intent' },
  invoice: { id: 'stripe.dashboard.invoice.detail', label: 'Invoice', page: 'Invoices', object: 'invoice' },
  subscription: { id: 'stripe.dashboard.subscription.detail', label: 'Subscription', page: 'Subscriptions', object: 'subscription' },
  settings: { id: 'settings', label: 'Settings', page: 'Settings', object: null },
} as const;

export type ViewportKey = keyof typeof VIEWPORTS;
export const VIEWPORT_KEYS = Object.keys(VIEWPORTS) as ViewportKey[];

export const LOCALES = ['en-US', 'ro-RO'] as const;
export type Locale = (typeof LOCALES)[number];

export interface Selection {
  viewport: ViewportKey;
  /** Stripe object id; null on pages without an object (home, settings). */
  object: string | null;
  locale: Locale;
}

const isViewport = (value: string | null): value is ViewportKey => value !== null && value in VIEWPORTS;
const isLocale = (value: string | null): value is Locale => (LOCALES as readonly string[]).includes(value ?? '');

export function parseSelection(search: string): Selection {
  const query = new URLSearchParams(search);
  const viewport = query.get('viewport');
  const locale = query.get('locale');
  const key = isViewport(viewport) ? viewport : 'home';
  const object = VIEWPORTS[key].object ? query.get('object') || null : null;
  return { viewport: key, object, locale: isLocale(locale) ? locale : 'en-US' };
}

export function selectionQuery(selection: Selection): string {
  const query = new URLSearchParams({ viewport: selection.viewport });
  if (selection.object) query.set('object', selection.object);
  query.set('locale', selection.locale);
  return `?${query}`;
}

/** The `objectContext` the Dashboard gives a view: a payment page can show a charge or a PaymentIntent. */
export function objectContextOf(selection: Selection): { id: string; object: string } | null {
  const type = VIEWPORTS[selection.viewport].object;
  if (!type || !selection.object) return null;
  return { id: selection.object, object: type === 'payment_intent' && selection.object.startsWith('ch_') ? 'charge' : type };
}

// Id prefix → the viewport that shows such an object.
const PREFIXES: [string, ViewportKey][] = [
  ['cus_', 'customer'],
  ['pi_', 'payment'],
  ['ch_', 'payment'],
  ['in_', 'invoice'],
  ['sub_', 'subscription'],
];

export function viewportOfId(id: string): ViewportKey | null {
  return PREFIXES.find(([prefix]) => id.startsWith(prefix))?.[1] ?? null;
}

/** Dashboard RouteDescriptor (`href={{ name: 'invoiceDetails', params: { invoiceId } }}`) → preview page. */
export function selectionOfRoute(route: unknown, locale: Locale): Selection | null {
  if (!route || typeof route !== 'object') return null;
  const { name, params } = route as { name?: unknown; params?: Record<string, unknown> };
  const pages: Record<string, [ViewportKey, string]> = {
    customerDetails: ['customer', 'customerId'],
    paymentDetails: ['payment', 'paymentId'],
    invoiceDetails: ['invoice', 'invoiceId'],
    subscriptionDetails: ['subscription', 'subscriptionId'],
  };
  if (name === 'dashboard') return { viewport: 'home', object: null, locale };
  const page = typeof name === 'string' ? pages[name] : undefined;
  const id = page ? params?.[page[1]] : undefined;
  return page && typeof id === 'string' ? { viewport: page[0], object: id, locale } : null;
}

export interface DemoObject {
  id: string;
  description: string;
}

/**
 * The demo objects of each viewport, from the Stripe fake's `GET /__fake/demo` answer ({ids, descriptions}).
 * Ids are classified by prefix; charges are left out (their PaymentIntent shows the same payment).
 */
export function demoCatalog(demo: { ids?: unknown; descriptions?: Record<string, string> }): Record<ViewportKey, DemoObject[]> {
  const catalog = Object.fromEntries(VIEWPORT_KEYS.map((key) => [key, [] as DemoObject[]])) as Record<ViewportKey, DemoObject[]>;
  const seen = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const viewport = viewportOfId(value);
      if (viewport && !value.startsWith('ch_') && !seen.has(value)) {
        seen.add(value);
        catalog[viewport].push({ id: value, description: demo.descriptions?.[value] ?? '' });
      }
    } else if (value && typeof value === 'object') {
      for (const child of Object.values(value)) visit(child);
    }
  };
  visit(demo.ids);
  return catalog;
}
