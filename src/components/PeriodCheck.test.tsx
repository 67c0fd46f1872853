import { Button, TextField } from '@stripe/ui-extension-sdk/ui';
import { dashboard, doc } from '../test/fixtures';
import { contextFor, expectSigned, hasButton, press, renderView, reply, screenText, settle, setup } from '../test/harness';
import type { BackfillResponse, PeriodSaleView, ReconciliationResponse, SaleStatus } from '../api/contract';
import { presetPeriods } from '../api/period';
import HomeOverviewView from '../views/HomeOverviewView';
import { progressBar } from './PeriodCheck';

vi.mock('@stripe/ui-extension-sdk/utils', () => import('../test/sdkMock'));

const ctx = (locale = 'en-US') => contextFor('stripe.dashboard.home.overview', null, locale);

const sale = (overrides: Partial<PeriodSaleView> = {}): PeriodSaleView => ({
  kind: 'invoice',
  stripeId: 'in_1',
  stripeUrl: 'https://dashboard.stripe.com/invoices/in_1',
  date: '2026-02-03',
  customer: 'Alfa SRL',
  taxId: 'RO4221306',
  amount: '121.00',
  currency: 'RON',
  vat: '21.00',
  status: 'missing',
  reason: null,
  documentId: null,
  einvoiceNumber: null,
  issueDate: null,
  deadline: '2026-02-10',
  late: true,
  anafMessage: null,
  ...overrides,
});

const counts = (byCount: Partial<Record<SaleStatus, number>>) => {
  const all: SaleStatus[] = ['missing', 'rejected', 'blocked', 'in_progress', 'reported', 'not_applicable'];
  return Object.fromEntries(all.map((s) => [s, { count: byCount[s] ?? 0, totals: byCount[s] ? { RON: `${(byCount[s] ?? 0) * 121}.00` } : {}, ronEquivalent: '0.00' }])) as NonNullable<ReconciliationResponse['summary']>['byStatus'];
};

const MISSING = [sale(), sale({ stripeId: 'pi_2', kind: 'payment', customer: 'Ana Ștefănescu', late: false, deadline: '2026-03-20' }), sale({ stripeId: 're_3', kind: 'refund', amount: '-30.00', customer: 'Beta SRL' })];

const rec = (overrides: Partial<ReconciliationResponse> = {}): ReconciliationResponse => ({
  id: 'rec_1',
  from: '2026-02-01',
  to: '2026-02-28',
  status: 'done',
  stale: false,
  progress: { phase: 'done', pagesRead: 3, salesFound: 9 },
  error: null,
  summary: { total: 9, byStatus: counts({ missing: 3, reported: 5, not_applicable: 1 }), late: 2 },
  missing: MISSING,
  activeBackfill: null,
  ...overrides,
});

const job = (overrides: Partial<BackfillResponse> = {}): BackfillResponse => ({
  id: 'bf_1',
  reconciliationId: 'rec_1',
  from: '2026-02-01',
  to: '2026-02-28',
  status: 'running',
  total: 3,
  done: 0,
  failed: 0,
  cancelled: 0,
  etaSeconds: null,
  startedAt: '2026-03-15T12:00:00.000Z',
  finishedAt: null,
  failures: [],
  ...overrides,
});

/** A reply the test hands out when it chooses (to look at the screen between polls). */
function gate<T>() {
  const waiting: Array<(value: T) => void> = [];
  return {
    handler: () => new Promise<T>((resolve) => waiting.push(resolve)),
    release: (value: T) => waiting.shift()!(value),
    get pending() {
      return waiting.length;
    },
  };
}

describe('Home: Check a period', () => {
  it('presets are Romanian calendar months', () => {
    expect(presetPeriods(Date.UTC(2026, 10, 30, 12))).toEqual({ this_month: { from: '2026-11-01', to: '2026-11-30' }, last_month: { from: '2026-10-01', to: '2026-10-31' } });
    // 22:30 UTC on 31 Jan is already 1 Feb in Bucharest.
    expect(presetPeriods(Date.UTC(2026, 0, 31, 22, 30)).last_month).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(presetPeriods(Date.UTC(2026, 0, 15)).last_month).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(progressBar(1, 4)).toBe(`${'█'.repeat(5)}${'░'.repeat(15)} 25%`);
  });

  it('last month → reading → counts per status and the missing sales with their deadlines', async () => {
    const { backend } = setup();
    backend.on('GET', 'dashboard', dashboard());
    backend.on('GET', 'backfills', { active: null });
    backend.on('POST', 'reconciliations', reply(202, rec({ status: 'running', summary: null, missing: [], progress: { phase: 'payments', pagesRead: 1, salesFound: 4 } })));
    const figures = counts({ missing: 3, reported: 5, not_applicable: 1 });
    // A EUR sale: its total in its own currency, and the RON equivalent at the BNR rates.
    figures.not_applicable = { count: 1, totals: { EUR: '100.00' }, ronEquivalent: '508.12' };
    backend.on('GET', 'reconciliations/rec_1', rec({ summary: { total: 9, byStatus: figures, late: 2 } }));
    const { wrapper, update } = await renderView(HomeOverviewView, ctx());
    expect(screenText(wrapper)).toContain('Check a period');

    await press(wrapper, update, 'Last month');
    const [started] = backend.calls('POST', 'reconciliations');
    expectSigned(started);
    expect(started.body).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    const text = screenText(wrapper);
    expect(text).toContain('Missing3');
    expect(text).toContain('Reported5');
    expect(text).toContain('Not applicable1€100.00≈ RON\u00a0508.12 at BNR rates');
    expect(text).not.toContain('≈ RON\u00a0605.00'); // RON-only totals need no equivalent
    expect(text).toContain('2 sales are past their upload deadline');
    expect(text).toContain('Missing e-invoices (3)');
    expect(text).toContain('Invoice · Alfa SRL');
    expect(text).toContain('Upload by 2026-02-10');
    expect(text).toContain('Payment · Ana Ștefănescu');
    expect(wrapper).toContainText('Late');
    expect(hasButton(wrapper, 'Create all missing (3)')).toBe(true);
  });

  it('a single Create makes that sale\'s document and refreshes the figures', async () => {
    const { backend, platform } = setup();
    backend.on('GET', 'dashboard', dashboard());
    backend.on('GET', 'backfills', { active: null });
    backend.on('POST', 'reconciliations', rec());
    let made = false;
    backend.on('POST', 'payments/pi_2/einvoice', () => {
      made = true;
      return reply(201, doc({ id: 'doc_pi_2', kind: 'payment', stripeObjectId: 'pi_2', status: 'pending', number: null }));
    });
    backend.on('GET', 'reconciliations/rec_1', () => rec(made ? { summary: { total: 9, byStatus: counts({ missing: 2, in_progress: 1, reported: 5, not_applicable: 1 }), late: 2 }, missing: [MISSING[0]!, MISSING[2]!] } : {}));
    const { wrapper, update } = await renderView(HomeOverviewView, ctx());
    await press(wrapper, update, 'This month');
    expect(backend.calls('POST', 'reconciliations')[0]!.body).toEqual({ from: '2026-03-01', to: '2026-03-15' });

    // The second missing row is the payment.
    expect(screenText(wrapper)).toContain('Payment · Ana Ștefănescu');
    const create = (wrapper.findAll(Button) as unknown as Array<{ text: string; trigger: (p: string, ...a: unknown[]) => void }>).filter((b) => b.text === 'Create');
    create[1]!.trigger('onPress', {});
    await settle(update);
    expect(backend.calls('POST', 'payments/pi_2/einvoice')).toHaveLength(1);
    expect(platform.toasts).toContainEqual({ message: 'E-invoice created', kind: 'success' });
    expect(screenText(wrapper)).toContain('Missing e-invoices (2)');
    expect(screenText(wrapper)).toContain('In progress1');
  });

  it('Create all: late sales are confirmed first, then a progress bar follows the job to the end', async () => {
    const { backend } = setup();
    backend.on('GET', 'dashboard', dashboard());
    backend.on('GET', 'backfills', { active: null });
    backend.on('POST', 'reconciliations', rec());
    let finished = false;
    backend.on('GET', 'reconciliations/rec_1', () =>
      finished ? rec({ summary: { total: 9, byStatus: counts({ reported: 8, not_applicable: 1 }), late: 0 }, missing: [] }) : rec(),
    );
    backend.on('POST', 'backfills', (request) =>
      request.body?.confirmLate
        ? reply(202, job())
        : reply(409, { error: 'late_confirmation_required', message: '2 of the 3 missing e-invoices are already past their legal upload deadline.', lateCount: 2, late: [MISSING[0], MISSING[2]] }),
    );
    const progress = gate<BackfillResponse>();
    backend.on('GET', 'backfills/bf_1', progress.handler);
    const { wrapper, update } = await renderView(HomeOverviewView, ctx());
    await press(wrapper, update, 'Last month');

    await press(wrapper, update, 'Create all missing (3)');
    expect(backend.calls('POST', 'backfills')[0]!.body).toEqual({ reconciliationId: 'rec_1', confirmLate: false });
    let text = screenText(wrapper);
    expect(text).toContain('2 of 3 are already past their deadline');
    expect(text).toContain('Alfa SRL (2026-02-03)');
    expect(text).toContain('Beta SRL (2026-02-03)');

    await press(wrapper, update, 'Create anyway');
    expect(backend.calls('POST', 'backfills')[1]!.body).toEqual({ reconciliationId: 'rec_1', confirmLate: true });
    expect(screenText(wrapper)).toContain('0 of 3 done');
    expect(screenText(wrapper)).toContain('░'.repeat(20));

    progress.release(job({ done: 1, etaSeconds: 40 }));
    await settle(update);
    text = screenText(wrapper);
    expect(text).toContain('1 of 3 done · about 40 s left');
    expect(text).toContain(progressBar(1, 3));

    progress.release(job({ done: 2, failed: 1, status: 'done', etaSeconds: null, failures: [{ stripeId: 're_3', kind: 'refund', message: 'The refunded sale has no e-invoice.' }] }));
    finished = true;
    await settle(update);
    text = screenText(wrapper);
    expect(text).toContain('Finished: 2 created, 1 could not be made.');
    expect(text).toContain('re_3: The refunded sale has no e-invoice.');
    expect(text).toContain('Reported8');
    expect(text).toContain('Every sale of this period has its e-invoice or needs none.');
  });

  it('reopened while a backfill runs: picks it up and keeps updating; Stop cancels it', async () => {
    const { backend } = setup();
    backend.on('GET', 'dashboard', dashboard());
    backend.on('GET', 'backfills', { active: job({ done: 2, total: 37, etaSeconds: 90 }) });
    const progress = gate<BackfillResponse>();
    backend.on('GET', 'backfills/bf_1', progress.handler);
    backend.on('POST', 'backfills/bf_1/cancel', job({ done: 3, total: 37, status: 'cancelled', cancelled: 34 }));
    backend.on('GET', 'reconciliations/rec_1', rec({ summary: { total: 40, byStatus: counts({ missing: 34, reported: 6 }), late: 0 } }));
    const { wrapper, update } = await renderView(HomeOverviewView, ctx());
    expect(screenText(wrapper)).toContain('2 of 37 done · about 2 min left');
    progress.release(job({ done: 3, total: 37, etaSeconds: 80 }));
    await settle(update);
    expect(screenText(wrapper)).toContain('3 of 37 done');

    await press(wrapper, update, 'Stop');
    expect(backend.calls('POST', 'backfills/bf_1/cancel')).toHaveLength(1);
    progress.release(job({ done: 3, total: 37, status: 'cancelled', cancelled: 34 }));
    await settle(update);
    expect(screenText(wrapper)).toContain('Stopped after 3 e-invoices.');
    expect(hasButton(wrapper, 'Stop')).toBe(false);
  });

  it('custom period: a bad day shows the backend\'s message; export opens signed links', async () => {
    const { backend, platform } = setup();
    backend.on('GET', 'dashboard', dashboard());
    backend.on('GET', 'backfills', { active: null });
    backend.on('POST', 'reconciliations', (request) =>
      request.body?.from === '2026-02-30'
        ? reply(400, { error: 'invalid_period', message: 'from must be a calendar day written YYYY-MM-DD (got "2026-02-30").' })
        : rec({ from: String(request.body?.from), to: String(request.body?.to) }),
    );
    backend.on('POST', 'reconciliations/rec_1/export', { csvUrl: 'https://stripe-app.storno.ro/api/v1/stripe-app/exports/tok.sig.csv', jsonUrl: 'https://stripe-app.storno.ro/api/v1/stripe-app/exports/tok.sig.json', expiresAt: '2026-03-15T12:15:00.000Z' });
    const { wrapper, update } = await renderView(HomeOverviewView, ctx());
    await press(wrapper, update, 'Custom');
    const [from, to] = wrapper.findAll(TextField);
    from!.trigger('onChange', { target: { value: '2026-02-30' } });
    to!.trigger('onChange', { target: { value: '2026-03-05' } });
    await settle(update);
    await press(wrapper, update, 'Check');
    expect(screenText(wrapper)).toContain('from must be a calendar day written YYYY-MM-DD');

    from!.trigger('onChange', { target: { value: '2026-01-10' } });
    await settle(update);
    await press(wrapper, update, 'Check');
    expect(backend.calls('POST', 'reconciliations').at(-1)!.body).toEqual({ from: '2026-01-10', to: '2026-03-05' });
    expect(screenText(wrapper)).toContain('2026-01-10 – 2026-03-05');

    await press(wrapper, update, 'Export for the accountant');
    await press(wrapper, update, 'Download CSV');
    expect(platform.opened).toContain('https://stripe-app.storno.ro/api/v1/stripe-app/exports/tok.sig.csv');
    expect(hasButton(wrapper, 'Download JSON')).toBe(true);
  });

  it('Romanian', async () => {
    const { backend } = setup();
    backend.on('GET', 'dashboard', dashboard());
    backend.on('GET', 'backfills', { active: null });
    backend.on('POST', 'reconciliations', rec());
    const { wrapper, update } = await renderView(HomeOverviewView, ctx('ro-RO'));
    await press(wrapper, update, 'Luna trecută');
    const text = screenText(wrapper);
    expect(text).toContain('Verifică o perioadă');
    expect(text).toContain('Lipsă3');
    expect(text).toContain('Raportate5');
    expect(text).toContain('E-facturi lipsă (3)');
    expect(text).toContain('Termen de încărcare 2026-02-10');
    expect(hasButton(wrapper, 'Creează toate lipsă (3)')).toBe(true);
  });
});
