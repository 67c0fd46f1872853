// StornoClient against a scripted local HTTP stub: error mapping, response validation, retry rules,
// circuit breaker, OAuth refresh, pagination.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StornoClient } from './client.js';
import { StornoAuthError, StornoCompanyNotFoundError, StornoConflictError, StornoError, StornoNotFoundError, StornoPlanLimitError, StornoResponseError, StornoTransientError, StornoValidationError } from './errors.js';
import { resetCircuitBreakers } from './http.js';
import { StornoOAuth, codeChallengeS256 } from './oauth.js';
import type { OAuthTokens, StornoClientOptions } from './types.js';
import { delay, drop, startStub, type Stub } from '../../test/support/stornoStub.js';
import { oauthCredentials } from '../../test/support/tokens.js';

const COMPANY = '11111111-1111-4111-8111-111111111111';
const INVOICE_ID = '22222222-2222-4222-8222-222222222222';
const FAST = { retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 }, timeoutMs: 300 };

const invoice = (over: Record<string, unknown> = {}) => ({
  id: INVOICE_ID,
  number: 'DRAFT-1a2b3c4d',
  status: 'draft',
  documentType: 'invoice',
  currency: 'RON',
  subtotal: '100.00',
  vatTotal: '21.00',
  total: '121.00',
  issueDate: '2026-02-14T00:00:00+02:00',
  dueDate: null,
  lines: [{ description: 'Abonament', quantity: '1.0000', unitPrice: '100.00', vatRate: '21.00' }],
  someFieldWeDoNotKnow: { nested: true },
  ...over,
});
const validation = { valid: true, errors: [], warnings: [], schematronAvailable: false };

let stub: Stub;
beforeAll(async () => {
  stub = await startStub();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.reset();
  resetCircuitBreakers();
});

function apiKeyClient(over: Partial<StornoClientOptions> = {}) {
  return new StornoClient({ baseUrl: stub.url, credentials: { type: 'apiKey', key: 'af_' + 'a'.repeat(64) }, companyId: COMPANY, ...FAST, ...over });
}

async function failure(p: Promise<unknown>): Promise<StornoError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StornoError);
    return e as StornoError;
  }
  throw new Error('expected the call to fail');
}

describe('request basics', () => {
  it('sends the API key without Bearer, X-Company and Accept: application/json', async () => {
    stub.on('GET /api/v1/vat-rates', () => ({
      data: [{ id: 'v1', rate: '21.00', label: 'Standard', categoryCode: 'S', isDefault: true, isActive: true, position: 0 }],
    }));
    const rates = await apiKeyClient().listVatRates();
    expect(rates[0]!.rate).toBe('21.00');
    const h = stub.requests[0]!.headers;
    expect(h.authorization).toBe('af_' + 'a'.repeat(64));
    expect(h['x-company']).toBe(COMPANY);
    expect(h.accept).toBe('application/json');
  });

  it('sends idempotencyKey and decimals as strings in the JSON body', async () => {
    stub.on('POST /api/v1/invoices', () => ({ invoice: invoice(), validation }));
    await apiKeyClient().createInvoice({
      idempotencyKey: 'stripe-app:c:in_1',
      documentType: 'invoice',
      lines: [{ description: 'X', quantity: '1.0000', unitPrice: '10.00', vatRate: '21.00' }],
    });
    expect(stub.requests[0]!.body).toEqual({
      idempotencyKey: 'stripe-app:c:in_1',
      documentType: 'invoice',
      lines: [{ description: 'X', quantity: '1.0000', unitPrice: '10.00', vatRate: '21.00' }],
    });
  });
});

describe('error mapping', () => {
  const cases: Array<[string, (stub: Stub) => void, (e: StornoError) => void]> = [
    [
      '401 invalid OAuth2 token',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(401).send({ status_code: 401, message: 'Invalid OAuth2 token', error_code: 'OAUTH2_AUTH_FAILED' })),
      (e) => {
        expect(e).toBeInstanceOf(StornoAuthError);
        expect(e.status).toBe(401);
        expect(e.code).toBe('invalid_token');
      },
    ],
    [
      '403 bad API key',
      (s) =>
        s.on('GET /api/v1/me', (_q, r) =>
          r.code(403).send({ status_code: 403, detail: 'x', message: 'Invalid API Token', error_code: 'AUTH_HEADER_TOKEN' }),
        ),
      (e) => {
        expect(e).toBeInstanceOf(StornoAuthError);
        expect(e.code).toBe('invalid_api_key');
        expect(e.message).toContain('Invalid API Token');
      },
    ],
    [
      '404 company not found',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(404).send({ error: 'Company not found.' })),
      (e) => {
        expect(e).toBeInstanceOf(StornoCompanyNotFoundError);
        expect(e.code).toBe('company_not_found');
      },
    ],
    [
      '404 item',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(404).send({ error: 'Invoice not found.' })),
      (e) => {
        expect(e).toBeInstanceOf(StornoNotFoundError);
        expect(e).not.toBeInstanceOf(StornoCompanyNotFoundError);
      },
    ],
    [
      '400 {error}',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(400).send({ error: 'Invalid invoiceTypeCode' })),
      (e) => {
        expect(e).toBeInstanceOf(StornoValidationError);
        expect(e.message).toContain('Invalid invoiceTypeCode');
        expect((e as StornoValidationError).issues).toEqual([{ message: 'Invalid invoiceTypeCode' }]);
      },
    ],
    [
      '422 client create {errors:[{key,message}]}',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(422).send({ errors: [{ key: 'name', message: 'Name is required.' }] })),
      (e) => {
        expect(e).toBeInstanceOf(StornoValidationError);
        expect((e as StornoValidationError).issues).toEqual([{ key: 'name', message: 'Name is required.' }]);
        expect(e.message).toContain('name: Name is required.');
      },
    ],
    [
      "422 issue's UBL validation with rule ids",
      (s) =>
        s.on('GET /api/v1/me', (_q, r) =>
          r.code(422).send({
            error: 'Validation failed',
            valid: false,
            errors: [{ message: 'Buyer address missing', source: 'business', ruleId: 'BR-RO-080', location: '/Invoice/cac:AccountingCustomerParty' }],
            warnings: [],
          }),
        ),
      (e) => {
        const v = e as StornoValidationError;
        expect(v).toBeInstanceOf(StornoValidationError);
        expect(v.status).toBe(422);
        expect(v.ruleIds).toEqual(['BR-RO-080']);
        expect(v.issues[0]).toMatchObject({ source: 'business', location: '/Invoice/cac:AccountingCustomerParty' });
        expect(v.message).toContain('[BR-RO-080] Buyer address missing');
      },
    ],
    [
      '402 plan limit',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(402).send({ error: 'Monthly invoice limit reached.', code: 'PLAN_LIMIT', limit: 50 })),
      (e) => {
        expect(e).toBeInstanceOf(StornoPlanLimitError);
        expect((e as StornoPlanLimitError).limit).toBe(50);
        expect(e.code).toBe('PLAN_LIMIT');
      },
    ],
    [
      '409 conflict',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(409).send({ error: 'Prefix exists', code: 'DUPLICATE_PREFIX' })),
      (e) => {
        expect(e).toBeInstanceOf(StornoConflictError);
        expect(e.code).toBe('DUPLICATE_PREFIX');
      },
    ],
    [
      '500 problem JSON',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(500).send({ type: 'x', title: 'An error occurred', status: 500, detail: 'Internal Server Error' })),
      (e) => {
        expect(e).toBeInstanceOf(StornoTransientError);
        expect(e.status).toBe(500);
        expect(e.body).toMatchObject({ title: 'An error occurred' });
      },
    ],
    [
      '502 HTML error page',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(502).type('text/html').send('<html><body>Bad gateway</body></html>')),
      (e) => {
        expect(e).toBeInstanceOf(StornoTransientError);
        expect(e.body).toContain('Bad gateway');
      },
    ],
    [
      '200 HTML instead of JSON',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(200).type('text/html').send('<html>login</html>')),
      (e) => {
        expect(e).toBeInstanceOf(StornoResponseError);
        expect(e.code).toBe('invalid_response');
      },
    ],
    [
      '200 broken JSON',
      (s) => s.on('GET /api/v1/me', (_q, r) => r.code(200).type('application/json').send('{"id": ')),
      (e) => expect(e).toBeInstanceOf(StornoResponseError),
    ],
    [
      'dropped connection',
      (s) => s.on('GET /api/v1/me', drop),
      (e) => {
        expect(e).toBeInstanceOf(StornoTransientError);
        expect(e.code).toBe('network_error');
        expect(e.status).toBeUndefined();
      },
    ],
    [
      'timeout',
      (s) =>
        s.on('GET /api/v1/me', async () => {
          await delay(600);
          return { id: 'u' };
        }),
      (e) => {
        expect(e).toBeInstanceOf(StornoTransientError);
        expect(e.code).toBe('timeout');
      },
    ],
  ];

  for (const [name, arrange, check] of cases) {
    it(name, async () => {
      arrange(stub);
      check(await failure(apiKeyClient({ retry: { maxAttempts: 1 } }).me()));
    });
  }

  it('429 with Retry-After is waited for, then succeeds (even for a POST without a guarantee)', async () => {
    stub.on('POST /api/v1/invoices', (_q, r, n) =>
      n === 1 ? r.code(429).header('Retry-After', '1').send({ error: 'Too many' }) : { invoice: invoice(), validation },
    );
    const started = Date.now();
    const res = await apiKeyClient().createInvoice({ lines: [{ description: 'X', quantity: '1', unitPrice: '1.00' }] });
    expect(res.invoice.id).toBe(INVOICE_ID);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(stub.count('POST /api/v1/invoices')).toBe(2);
  });

  it('429 asking for longer than maxRetryAfterMs is not waited for; the error carries retryAfterMs', async () => {
    stub.on('GET /api/v1/me', (_q, r) => r.code(429).header('Retry-After', '120').send(''));
    const e = await failure(apiKeyClient().me());
    expect(e).toBeInstanceOf(StornoTransientError);
    expect(e.code).toBe('rate_limited');
    expect((e as StornoTransientError).retryAfterMs).toBe(120_000);
    expect(stub.count('GET /api/v1/me')).toBe(1);
  });

  it('a refused connection is a typed transient error', async () => {
    const closed = await startStub();
    await closed.close();
    const dead = new StornoClient({ baseUrl: closed.url, credentials: { type: 'apiKey', key: 'af_x' }, ...FAST });
    const e = await failure(dead.me());
    expect(e).toBeInstanceOf(StornoTransientError);
    expect(e.code).toBe('connection_refused');
  });
});

describe('response validation', () => {
  it('names a mistyped field', async () => {
    stub.on(`GET /api/v1/invoices/${INVOICE_ID}`, () => invoice({ total: 121 }));
    const e = await failure(apiKeyClient().getInvoice(INVOICE_ID));
    expect(e).toBeInstanceOf(StornoResponseError);
    expect(String(e)).toBe('StornoResponseError: invoice.total: expected string, received number');
  });

  it('names a missing nested field and a non-decimal string', async () => {
    stub.on('POST /api/v1/invoices', () => {
      const inv = invoice({ subtotal: 'lots' }) as Record<string, unknown>;
      delete inv.number;
      return { invoice: inv, validation };
    });
    const e = await failure(apiKeyClient().createInvoice({ idempotencyKey: 'k', lines: [] }));
    expect(e.message).toContain('invoice.number: expected string, received undefined');
    expect(e.message).toContain('invoice.subtotal: expected a decimal string');
  });

  it('tolerates unknown extra fields and keeps them', async () => {
    stub.on(`GET /api/v1/invoices/${INVOICE_ID}`, () => invoice());
    const inv = await apiKeyClient().getInvoice(INVOICE_ID);
    expect((inv as Record<string, unknown>).someFieldWeDoNotKnow).toEqual({ nested: true });
  });
});

describe('retries only where repeating is safe', () => {
  it('retries a GET through 500s and drops', async () => {
    stub.on(`GET /api/v1/invoices/${INVOICE_ID}`, (q, r, n) => (n === 1 ? r.code(503).send({ error: 'x' }) : n === 2 ? drop(q, r) : invoice()));
    expect((await apiKeyClient().getInvoice(INVOICE_ID)).id).toBe(INVOICE_ID);
    expect(stub.count(`GET /api/v1/invoices/${INVOICE_ID}`)).toBe(3);
  });

  it('does NOT retry a create without idempotencyKey after a 500 or a drop', async () => {
    stub.on('POST /api/v1/invoices', (_q, r) => r.code(500).send({ error: 'boom' }));
    await failure(apiKeyClient().createInvoice({ lines: [] }));
    expect(stub.count('POST /api/v1/invoices')).toBe(1);
    stub.reset();
    stub.on('POST /api/v1/invoices', drop);
    await failure(apiKeyClient().createInvoice({ lines: [] }));
    expect(stub.count('POST /api/v1/invoices')).toBe(1);
  });

  it('retries a create that carries an idempotencyKey', async () => {
    stub.on('POST /api/v1/invoices', (q, r, n) => (n === 1 ? drop(q, r) : { invoice: invoice(), validation }));
    const res = await apiKeyClient().createInvoice({ idempotencyKey: 'k1', lines: [] });
    expect(res.invoice.id).toBe(INVOICE_ID);
    expect(stub.count('POST /api/v1/invoices')).toBe(2);
    expect(stub.requests.map((r) => (r.body as { idempotencyKey: string }).idempotencyKey)).toEqual(['k1', 'k1']);
  });

  it('does not retry 4xx answers', async () => {
    stub.on(`GET /api/v1/invoices/${INVOICE_ID}`, (_q, r) => r.code(404).send({ error: 'Not found' }));
    await failure(apiKeyClient().getInvoice(INVOICE_ID));
    expect(stub.count(`GET /api/v1/invoices/${INVOICE_ID}`)).toBe(1);
  });

  it('issue: a lost answer is reconciled by re-reading the invoice, without issuing twice', async () => {
    let status = 'draft';
    stub.on(`POST /api/v1/invoices/${INVOICE_ID}/issue`, (q, r) => {
      status = 'issued'; // the server did the work…
      return drop(q, r); // …but the answer never arrives
    });
    stub.on(`GET /api/v1/invoices/${INVOICE_ID}`, () => invoice({ status, number: status === 'issued' ? 'FACT0043' : 'DRAFT-1' }));
    const res = await apiKeyClient().issueInvoice(INVOICE_ID);
    expect(res).toMatchObject({ status: 'issued', number: 'FACT0043', reconciled: true });
    expect(stub.count(`POST /api/v1/invoices/${INVOICE_ID}/issue`)).toBe(1);
  });

  it('issue: still a draft after a drop ⇒ issued again; a 500 is not blindly repeated', async () => {
    stub.on(`POST /api/v1/invoices/${INVOICE_ID}/issue`, (q, r, n) =>
      n === 1 ? drop(q, r) : { status: 'issued', number: 'FACT0044', efacturaDelayHours: null, scheduledSendAt: null },
    );
    stub.on(`GET /api/v1/invoices/${INVOICE_ID}`, () => invoice());
    expect(await apiKeyClient().issueInvoice(INVOICE_ID)).toMatchObject({ number: 'FACT0044' });
    expect(stub.count(`POST /api/v1/invoices/${INVOICE_ID}/issue`)).toBe(2);
  });

  it('submit: never re-posted; a lost answer is confirmed by the status', async () => {
    stub.on(`POST /api/v1/invoices/${INVOICE_ID}/submit`, drop);
    stub.on(`GET /api/v1/invoices/${INVOICE_ID}`, () => invoice({ status: 'issued', number: 'FACT1' }));
    const e = await failure(apiKeyClient().submitInvoice(INVOICE_ID));
    expect(e).toBeInstanceOf(StornoTransientError);
    expect(stub.count(`POST /api/v1/invoices/${INVOICE_ID}/submit`)).toBe(1);
    stub.on(`GET /api/v1/invoices/${INVOICE_ID}`, () => invoice({ status: 'sent_to_provider', number: 'FACT1' }));
    expect(await apiKeyClient().submitInvoice(INVOICE_ID)).toMatchObject({ status: 'sent_to_provider', reconciled: true });
  });

  it('payment: not re-posted; found again by its reference after a lost answer', async () => {
    const path = `/api/v1/invoices/${INVOICE_ID}/payments`;
    stub.on(`POST ${path}`, drop);
    stub.on(`GET ${path}`, () => [
      { id: 'p1', amount: '121.00', currency: 'RON', paymentDate: '2026-02-14', paymentMethod: 'card', reference: 'ch_1', notes: null },
    ]);
    const p = await apiKeyClient().createPayment(INVOICE_ID, { amount: '121', paymentMethod: 'card', reference: 'ch_1' });
    expect(p.id).toBe('p1');
    expect(stub.count(`POST ${path}`)).toBe(1);
    await failure(apiKeyClient().createPayment(INVOICE_ID, { amount: '5.00', paymentMethod: 'card' }));
    expect(stub.count(`POST ${path}`)).toBe(2);
  });

  it('delete webhook: a 404 after a lost first attempt counts as deleted', async () => {
    stub.on('DELETE /api/v1/webhooks/w1', (q, r, n) => (n === 1 ? drop(q, r) : r.code(404).send({ error: 'Not found' })));
    await expect(apiKeyClient().deleteWebhook('w1')).resolves.toBeUndefined();
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive transient failures, fails fast, is shared per base URL, and recovers', async () => {
    const opts = { retry: { maxAttempts: 1 }, circuitBreaker: { consecutiveFailures: 3, halfOpenAfterMs: 200 } };
    let healthy = false;
    stub.on('GET /api/v1/me', (_q, r) => (healthy ? { id: 'u1', email: 'a@b.ro' } : r.code(503).send({ error: 'down' })));
    const a = apiKeyClient(opts);
    for (let i = 0; i < 3; i++) expect((await failure(a.me())).code).toBe('server_error');
    // Another client for the same Storno sees the open circuit too, and nothing reaches the server.
    const b = apiKeyClient(opts);
    const open = await failure(b.me());
    expect(open).toBeInstanceOf(StornoTransientError);
    expect(open.code).toBe('circuit_open');
    expect(stub.count('GET /api/v1/me')).toBe(3);
    healthy = true;
    await delay(250);
    expect((await b.me()).id).toBe('u1'); // half-open trial call succeeds → closed
    expect((await a.me()).id).toBe('u1');
  });

  it('answers such as 404 do not open it', async () => {
    const opts = { retry: { maxAttempts: 1 }, circuitBreaker: { consecutiveFailures: 2, halfOpenAfterMs: 10_000 } };
    stub.on('GET /api/v1/me', (_q, r) => r.code(404).send({ error: 'nope' }));
    for (let i = 0; i < 4; i++) expect(await failure(apiKeyClient(opts).me())).toBeInstanceOf(StornoNotFoundError);
  });
});

describe('OAuth2 credentials', () => {
  const tokenCalls: unknown[] = [];
  function oauthClient(expiresAt: number, saved: OAuthTokens[] = []) {
    const tokens = { accessToken: 'storno_oat_old', refreshToken: 'storno_ort_1', expiresAt };
    return new StornoClient({
      baseUrl: stub.url,
      credentials: oauthCredentials(tokens, { baseUrl: stub.url, clientId: 'storno_cid_x', clientSecret: 'storno_cs_x' }, saved),
      companyId: COMPANY,
      ...FAST,
    });
  }
  function arrange() {
    tokenCalls.length = 0;
    let n = 0;
    stub.on('POST /api/v1/oauth2/token', async (q) => {
      tokenCalls.push(q.body);
      await delay(30);
      n += 1;
      return { access_token: `storno_oat_new${n}`, refresh_token: `storno_ort_${n + 1}`, token_type: 'Bearer', expires_in: 3600, scope: 'invoice.view' };
    });
    stub.on('GET /api/v1/me', (q, r) =>
      q.headers.authorization === 'Bearer storno_oat_old'
        ? r.code(401).send({ status_code: 401, message: 'Invalid OAuth2 token', error_code: 'OAUTH2_AUTH_FAILED' })
        : { id: 'u1', email: 'a@b.ro', seenToken: q.headers.authorization },
    );
  }

  it('refreshes before expiry, once for 10 concurrent calls, and stores the rotated pair', async () => {
    arrange();
    const saved: OAuthTokens[] = [];
    const client = oauthClient(Date.now() + 30_000, saved); // inside the 60 s margin
    const results = await Promise.all(Array.from({ length: 10 }, () => client.me()));
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'storno_ort_1', client_id: 'storno_cid_x', client_secret: 'storno_cs_x' });
    expect(results.every((r) => (r as Record<string, unknown>).seenToken === 'Bearer storno_oat_new1')).toBe(true);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ accessToken: 'storno_oat_new1', refreshToken: 'storno_ort_2' });
    expect(saved[0]!.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('refreshes once on a 401 for 10 concurrent calls (token revoked before its expiry), then repeats them', async () => {
    arrange();
    const client = oauthClient(Date.now() + 3_600_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => client.me()));
    expect(tokenCalls).toHaveLength(1);
    expect(results).toHaveLength(10);
    expect(stub.requests.filter((r) => r.path === '/api/v1/me' && r.headers.authorization === 'Bearer storno_oat_new1')).toHaveLength(10);
  });

  it('a dead refresh token is a StornoAuthError invalid_grant', async () => {
    stub.on('POST /api/v1/oauth2/token', (_q, r) => r.code(400).send({ error: 'invalid_grant', error_description: 'Refresh token revoked' }));
    const e = await failure(oauthClient(0).me());
    expect(e).toBeInstanceOf(StornoAuthError);
    expect(e.code).toBe('invalid_grant');
    expect(stub.count('POST /api/v1/oauth2/token')).toBe(1);
  });

  it('a refresh whose answer is lost is never repeated (a replay would revoke the family)', async () => {
    stub.on('POST /api/v1/oauth2/token', drop);
    expect(await failure(oauthClient(0).me())).toBeInstanceOf(StornoTransientError);
    expect(stub.count('POST /api/v1/oauth2/token')).toBe(1);
  });
});

describe('StornoOAuth helper', () => {
  it('builds the authorize URL with an S256 challenge (RFC 7636 appendix B vector)', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(codeChallengeS256(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const url = new URL(
      new StornoOAuth({ baseUrl: 'https://api.storno.ro', webBaseUrl: 'https://app.storno.ro', clientId: 'storno_cid_1' }).authorizeUrl({
        redirectUri: 'https://app.example/cb',
        scopes: ['invoice.view', 'invoice.create'],
        state: 's1',
        codeVerifier: verifier,
      }),
    );
    expect(url.origin + url.pathname).toBe('https://app.storno.ro/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'storno_cid_1',
      redirect_uri: 'https://app.example/cb',
      scope: 'invoice.view invoice.create',
      state: 's1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges a code (JSON body) and maps invalid_client', async () => {
    stub.on('POST /api/v1/oauth2/token', (q, r) =>
      (q.body as { client_secret?: string }).client_secret === 'good'
        ? { access_token: 'storno_oat_a', refresh_token: 'storno_ort_a', token_type: 'Bearer', expires_in: 3600, scope: 'x' }
        : r.code(401).send({ error: 'invalid_client' }),
    );
    const ok = new StornoOAuth({ baseUrl: stub.url, clientId: 'cid', clientSecret: 'good' });
    const t = await ok.exchangeCode({ code: 'c', redirectUri: 'https://x/cb', codeVerifier: 'v' });
    expect(t).toMatchObject({ accessToken: 'storno_oat_a', refreshToken: 'storno_ort_a', scope: 'x' });
    expect(stub.requests[0]!.body).toMatchObject({ grant_type: 'authorization_code', code: 'c', redirect_uri: 'https://x/cb', code_verifier: 'v' });
    const e = await failure(new StornoOAuth({ baseUrl: stub.url, clientId: 'cid', clientSecret: 'bad' }).exchangeCode({ code: 'c', redirectUri: 'r', codeVerifier: 'v' }));
    expect(e).toBeInstanceOf(StornoAuthError);
    expect(e.code).toBe('invalid_client');
  });

  it('revokes', async () => {
    stub.on('POST /api/v1/oauth2/revoke', (_q, r) => r.code(200).send(''));
    await new StornoOAuth({ baseUrl: stub.url, clientId: 'cid' }).revoke('storno_ort_a', 'refresh_token');
    expect(stub.requests[0]!.body).toEqual({ token: 'storno_ort_a', token_type_hint: 'refresh_token', client_id: 'cid' });
  });
});

describe('pagination', () => {
  it('pages to the end although the server clamps limit to 20', async () => {
    const rows = Array.from({ length: 45 }, (_, i) => ({ id: `c${i}`, name: `Client ${i}`, cui: String(1000 + i) }));
    stub.on('GET /api/v1/clients', (q) => {
      const query = q.query as Record<string, string>;
      const limit = Math.min(20, Math.max(1, Number(query.limit ?? 10)));
      const page = Number(query.page ?? 1);
      const hits = rows.filter((r) => !query.search || r.name.includes(query.search));
      return { data: hits.slice((page - 1) * limit, page * limit), total: hits.length, page, limit, currency: 'RON' };
    });
    const all = await apiKeyClient().listAllClients();
    expect(all.map((c) => c.id)).toEqual(rows.map((r) => r.id));
    expect(stub.count('GET /api/v1/clients')).toBe(3);
    const some = await apiKeyClient().listAllClients('Client 1');
    expect(some).toHaveLength(11);
    expect(stub.requests.at(-1)!.url).toContain('search=Client+1');
  });
});
