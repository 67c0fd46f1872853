// The sandbox's seeded world: fixed ids and credentials so other tests (and people) can refer to them.
// `SANDBOX_SEED` is the public, read-only description; `seedState()` turns it into a fresh mutable state.
import { hashSecret, hashPassword } from './ids.js';
import type { SandboxState, VatRate, DocumentSeries, Client } from './state.js';

/** Every permission the server knows that an invoicing integration may need (seeded into keys and the OAuth client). */
export const ALL_SCOPES = [
  'company.view',
  'client.view',
  'client.create',
  'client.edit',
  'client.delete',
  'invoice.view',
  'invoice.create',
  'invoice.edit',
  'invoice.delete',
  'invoice.issue',
  'invoice.send',
  'invoice.cancel',
  'invoice.refund',
  'series.view',
  'series.manage',
  'payment.view',
  'payment.create',
  'payment.delete',
  'efactura.view',
  'efactura.submit',
  'settings.view',
  'webhook.view',
  'webhook.manage',
] as const;

const ids = {
  organization: '0a5e0000-0000-4000-8000-000000000001',
  demoUser: '0a5e0000-0000-4000-8000-000000000101',
  restrictedUser: '0a5e0000-0000-4000-8000-000000000102',
  demoMembership: '0a5e0000-0000-4000-8000-000000000201',
  restrictedMembership: '0a5e0000-0000-4000-8000-000000000202',
  companyA: '0a5e0000-0000-4000-8000-00000000c0a1',
  companyB: '0a5e0000-0000-4000-8000-00000000c0b2',
  demoApiKey: '0a5e0000-0000-4000-8000-000000000301',
  restrictedApiKey: '0a5e0000-0000-4000-8000-000000000302',
  oauthClient: '0a5e0000-0000-4000-8000-000000000401',
  clientRoCompany: '0a5e0000-0000-4000-8000-00000000a001',
  clientAna: '0a5e0000-0000-4000-8000-00000000a002',
  clientGerman: '0a5e0000-0000-4000-8000-00000000a003',
  clientOfB: '0a5e0000-0000-4000-8000-00000000a004',
} as const;

const seriesIds = {
  aInvoice: '0a5e0000-0000-4000-8000-00000000e0a1',
  aCreditNote: '0a5e0000-0000-4000-8000-00000000e0a2',
  aExport: '0a5e0000-0000-4000-8000-00000000e0a3',
  bInvoice: '0a5e0000-0000-4000-8000-00000000e0b1',
  bCreditNote: '0a5e0000-0000-4000-8000-00000000e0b2',
} as const;

export const SANDBOX_SEED = {
  organization: { id: ids.organization, name: 'Demo Organization', slug: 'demo-organization' },
  users: {
    demo: {
      id: ids.demoUser,
      email: 'demo@storno.test',
      password: 'demo-password',
      role: 'owner',
      firstName: 'Demo',
      lastName: 'User',
    },
    /** An accountant allowed only company A (membership.allowedCompanies). */
    restricted: {
      id: ids.restrictedUser,
      email: 'accountant@storno.test',
      password: 'accountant-password',
      role: 'accountant',
      firstName: 'Ana',
      lastName: 'Contabil',
    },
  },
  apiKeys: {
    /** Belongs to the demo user (both companies). `af_` + 64 hex, as the real keys. */
    demo: { id: ids.demoApiKey, key: `af_${'0123456789abcdef'.repeat(4)}` },
    /** Belongs to the restricted user (company A only). */
    restricted: { id: ids.restrictedApiKey, key: `af_${'fedcba9876543210'.repeat(4)}` },
  },
  companies: {
    a: {
      id: ids.companyA,
      name: 'Demo Software SRL',
      cif: 12345674,
      vatCode: 'RO12345674',
      city: 'Cluj-Napoca',
      state: 'Cluj',
      series: { invoice: seriesIds.aInvoice, creditNote: seriesIds.aCreditNote, export: seriesIds.aExport },
    },
    b: {
      id: ids.companyB,
      name: 'Atelier Digital SRL',
      cif: 33333338,
      vatCode: 'RO33333338',
      city: 'Sector 3',
      state: 'București',
      series: { invoice: seriesIds.bInvoice, creditNote: seriesIds.bCreditNote },
    },
  },
  /** Invoice series prefixes: FACT (default invoice), STORNO (credit notes); company A also has EXP (invoice, not default). */
  seriesPrefixes: { invoice: 'FACT', creditNote: 'STORNO', export: 'EXP' },
  clients: {
    /** Romanian VAT-registered company (company A). */
    roCompany: { id: ids.clientRoCompany, name: 'Client Cluj SRL', cui: '4221306', vatCode: 'RO4221306' },
    /** A private person matched by e-mail (company A). */
    ana: { id: ids.clientAna, name: 'Ana Popescu', email: 'ana@example.ro' },
    /** An EU (German) company, VIES-valid (company A). */
    german: { id: ids.clientGerman, name: 'Beispiel GmbH', cui: 'DE123456789', vatCode: 'DE123456789' },
    /** The only client of company B. */
    ofCompanyB: { id: ids.clientOfB, name: 'Librăria Centrală SRL', cui: '4221306', vatCode: 'RO4221306' },
  },
  oauthClient: {
    id: ids.oauthClient,
    clientId: 'storno_cid_sandbox_stripe_app',
    clientSecret: 'storno_cs_sandbox_stripe_app_secret',
    name: 'Storno e-invoicing for Stripe',
    redirectUris: ['http://127.0.0.1:8787/stripe-link/callback'],
  },
  /** VAT rates seeded on each company (percent strings; 21 is the default S rate, 0 is Z "Scutit"). */
  vatRates: ['21.00', '11.00', '9.00', '5.00', '0.00'],
} as const;

export interface SeedOverrides {
  apiKey?: string;
  demoEmail?: string;
  demoPassword?: string;
  oauthClients?: { clientId: string; clientSecret: string; name: string; redirectUris: string[] }[];
}

function vatRatesFor(companyId: string, idPrefix: string): VatRate[] {
  const labels: Record<string, string> = {
    '21.00': 'Standard',
    '11.00': 'Redusă 11%',
    '9.00': 'Redusă 9%',
    '5.00': 'Redusă 5%',
    '0.00': 'Scutit',
  };
  return SANDBOX_SEED.vatRates.map((rate, position) => ({
    id: `${idPrefix}${String(position + 1).padStart(4, '0')}`,
    companyId,
    rate,
    label: labels[rate] ?? rate,
    categoryCode: rate === '0.00' ? 'Z' : 'S',
    isDefault: rate === '21.00',
    isActive: true,
    position,
  }));
}

function series(id: string, companyId: string, prefix: string, type: string, isDefault: boolean, createdAt: string): DocumentSeries {
  return { id, companyId, prefix, type, currentNumber: 0, active: true, isDefault, source: 'manual', createdAt };
}

const SEEDED_AT = '2026-01-05T09:00:00+02:00';

function client(partial: Partial<Client> & Pick<Client, 'id' | 'companyId' | 'name'>): Client {
  return {
    type: 'company',
    cui: null,
    cnp: null,
    vatCode: null,
    isVatPayer: false,
    registrationNumber: null,
    address: null,
    city: null,
    county: null,
    country: 'RO',
    postalCode: null,
    email: null,
    phone: null,
    bankName: null,
    bankAccount: null,
    defaultPaymentTermDays: null,
    contactPerson: null,
    clientCode: null,
    notes: null,
    idNumber: null,
    currency: null,
    source: 'manual',
    lastSyncedAt: null,
    viesValid: null,
    viesValidatedAt: null,
    viesName: null,
    createdAt: SEEDED_AT,
    deletedAt: null,
    ...partial,
  };
}

/** A fresh state built from the seed and the caller's overrides. */
export function seedState(overrides: SeedOverrides = {}): SandboxState {
  const s = SANDBOX_SEED;
  const a = s.companies.a;
  const b = s.companies.b;
  const oauthClients = overrides.oauthClients ?? [
    { clientId: s.oauthClient.clientId, clientSecret: s.oauthClient.clientSecret, name: s.oauthClient.name, redirectUris: [...s.oauthClient.redirectUris] },
  ];
  const companyBase = {
    organizationId: s.organization.id,
    registrationNumber: null as string | null,
    vatPayer: true,
    country: 'RO',
    phone: null,
    email: null,
    website: null,
    capitalSocial: '200.00',
    vatOnCollection: false,
    oss: false,
    vatIn: null,
    eoriCode: null,
    representative: null,
    representativeRole: null,
    bankName: 'Banca Transilvania',
    defaultCurrency: 'RON',
    efacturaDelayHours: null,
    isReadOnly: false,
    hasValidToken: true,
    createdAt: SEEDED_AT,
  };
  return {
    version: 1,
    organizations: [{ ...s.organization, createdAt: SEEDED_AT }],
    users: [
      {
        id: s.users.demo.id,
        email: overrides.demoEmail ?? s.users.demo.email,
        passwordHash: hashPassword(overrides.demoPassword ?? s.users.demo.password),
        firstName: s.users.demo.firstName,
        lastName: s.users.demo.lastName,
        createdAt: SEEDED_AT,
      },
      {
        id: s.users.restricted.id,
        email: s.users.restricted.email,
        passwordHash: hashPassword(s.users.restricted.password),
        firstName: s.users.restricted.firstName,
        lastName: s.users.restricted.lastName,
        createdAt: SEEDED_AT,
      },
    ],
    memberships: [
      { id: ids.demoMembership, userId: s.users.demo.id, organizationId: s.organization.id, role: 'owner', allowedCompanies: [] },
      {
        id: ids.restrictedMembership,
        userId: s.users.restricted.id,
        organizationId: s.organization.id,
        role: 'accountant',
        allowedCompanies: [a.id],
      },
    ],
    companies: [
      {
        ...companyBase,
        id: a.id,
        name: a.name,
        cif: a.cif,
        vatCode: a.vatCode,
        registrationNumber: 'J12/1234/2020',
        address: 'Str. Observatorului 12',
        city: a.city,
        state: a.state,
        email: 'facturi@demo-software.test',
        bankAccount: 'RO49BTRL01301202A12345XX',
        bankBic: 'BTRLRO22',
      },
      {
        ...companyBase,
        id: b.id,
        name: b.name,
        cif: b.cif,
        vatCode: b.vatCode,
        registrationNumber: 'J40/5678/2019',
        address: 'Bd. Unirii 5',
        city: b.city,
        state: b.state,
        email: 'contabilitate@atelier-digital.test',
        bankAccount: 'RO66BACX0000001234567890',
        bankBic: 'BACXROBU',
      },
    ],
    vatRates: [...vatRatesFor(a.id, '0a5e0000-0000-4000-8000-0000000a'), ...vatRatesFor(b.id, '0a5e0000-0000-4000-8000-0000000b')],
    series: [
      series(a.series.invoice, a.id, 'FACT', 'invoice', true, '2026-01-05T09:00:00+02:00'),
      series(a.series.creditNote, a.id, 'STORNO', 'credit_note', true, '2026-01-05T09:00:01+02:00'),
      series(a.series.export, a.id, 'EXP', 'invoice', false, '2026-01-05T09:00:02+02:00'),
      series(b.series.invoice, b.id, 'FACT', 'invoice', true, '2026-01-05T09:00:00+02:00'),
      series(b.series.creditNote, b.id, 'STORNO', 'credit_note', true, '2026-01-05T09:00:01+02:00'),
    ],
    clients: [
      client({
        id: s.clients.roCompany.id,
        companyId: a.id,
        name: s.clients.roCompany.name,
        cui: s.clients.roCompany.cui,
        vatCode: s.clients.roCompany.vatCode,
        isVatPayer: true,
        registrationNumber: 'J12/4321/2001',
        address: 'Str. Memorandumului 28',
        city: 'Cluj-Napoca',
        county: 'Cluj',
        postalCode: '400114',
        email: 'office@client-cluj.test',
        createdAt: '2026-01-05T09:01:00+02:00',
      }),
      client({
        id: s.clients.ana.id,
        companyId: a.id,
        type: 'individual',
        name: s.clients.ana.name,
        email: s.clients.ana.email,
        address: 'Str. Lipscani 10',
        city: 'Sector 3',
        county: 'București',
        createdAt: '2026-01-05T09:02:00+02:00',
      }),
      client({
        id: s.clients.german.id,
        companyId: a.id,
        name: s.clients.german.name,
        cui: s.clients.german.cui,
        vatCode: s.clients.german.vatCode,
        isVatPayer: true,
        address: 'Friedrichstraße 100',
        city: 'Berlin',
        country: 'DE',
        postalCode: '10117',
        email: 'rechnung@beispiel.test',
        viesValid: true,
        viesValidatedAt: SEEDED_AT,
        viesName: 'BEISPIEL GMBH',
        createdAt: '2026-01-05T09:03:00+02:00',
      }),
      client({
        id: s.clients.ofCompanyB.id,
        companyId: b.id,
        name: s.clients.ofCompanyB.name,
        cui: s.clients.ofCompanyB.cui,
        vatCode: s.clients.ofCompanyB.vatCode,
        isVatPayer: true,
        address: 'Str. Memorandumului 28',
        city: 'Cluj-Napoca',
        county: 'Cluj',
        createdAt: '2026-01-05T09:04:00+02:00',
      }),
    ],
    invoices: [],
    invoiceEvents: [],
    payments: [],
    apiKeys: [
      {
        id: s.apiKeys.demo.id,
        userId: s.users.demo.id,
        name: 'Demo key',
        tokenHash: hashSecret(overrides.apiKey ?? s.apiKeys.demo.key),
        scopes: [...ALL_SCOPES],
        revokedAt: null,
      },
      {
        id: s.apiKeys.restricted.id,
        userId: s.users.restricted.id,
        name: 'Accountant key',
        tokenHash: hashSecret(s.apiKeys.restricted.key),
        scopes: [...ALL_SCOPES],
        revokedAt: null,
      },
    ],
    oauthClients: oauthClients.map((c, i) => ({
      id: i === 0 ? s.oauthClient.id : `0a5e0000-0000-4000-8000-0000000004${String(i + 1).padStart(2, '0')}`,
      clientId: c.clientId,
      clientSecretHash: hashSecret(c.clientSecret),
      name: c.name,
      clientType: 'confidential' as const,
      redirectUris: [...c.redirectUris],
      scopes: [...ALL_SCOPES],
    })),
    oauthCodes: [],
    oauthTokens: [],
    webhooks: [],
    deliveries: [],
    monthlyUsage: {},
  };
}
