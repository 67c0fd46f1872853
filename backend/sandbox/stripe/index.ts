// The Stripe API fake: a Fastify app speaking the pinned API version to the real stripe-node SDK, seeded
// with the Romanian demo account, plus test controls (put/remove/accounts) and simulated activity that
// sends signed webhook events to the backend.
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { account as accountObject, newId } from './builders.js';
import { DEMO, DEMO_ACCOUNT_NAME, DEMO_DESCRIPTIONS, demoObjects } from './demo.js';
import type { EmittedEvent, StripeEventObject } from './events.js';
import { buildEvent, deliver } from './events.js';
import { invalidRequest } from './errors.js';
import type { Params } from './params.js';
import { parseStripeParams, stringParam } from './params.js';
import { renderObject } from './render.js';
import type { FakeRequest } from './routes.js';
import { registerStripeErrors, registerStripeRoutes } from './routes.js';
import type { CreatePaidInvoiceInput, CreatePaymentInput, CreateRefundInput, PendingEvent } from './simulate.js';
import { SimulationError, createPaidInvoice, createPayment, createRefund } from './simulate.js';
import type { SimLine, SimStep } from './simulate.js';
import type { CheckoutWithInvoiceInput, RefundBeforeInvoicePaidInput, SendInvoiceInput } from './scenarios.js';
import { checkoutWithInvoice, refundBeforeInvoicePaid, sendInvoice, voidInvoice } from './scenarios.js';
import type { StripeObject } from './store.js';
import { FakeStore, PLATFORM_ACCOUNT, StateFile } from './store.js';
import { loggerOptions } from '../../src/http/logging.js';

export { DEMO, DEMO_DESCRIPTIONS, demoObjects } from './demo.js';
export { PLATFORM_ACCOUNT } from './store.js';
export type { StripeObject } from './store.js';
export type { EmittedEvent, StripeEventObject } from './events.js';
export type { FakeRequest } from './routes.js';
export type { SimLine, SimStep } from './simulate.js';
export { SimulationError } from './simulate.js';
export { signatureHeader } from './events.js';

export interface StripeFakeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The only API key accepted (`Authorization: Bearer …`). */
  secretKey: string;
  /** `whsec_…` used to sign emitted events. */
  webhookSecret: string;
  /** Default target of emitted events (the backend's /webhooks/stripe). */
  webhookUrl?: string;
  /** JSON file persisting the whole state (accounts and objects) across restarts. */
  stateFile?: string;
  /** Seed the demo account (default true). */
  seedDemo?: boolean;
  logger?: boolean | object;
}

/** `account` defaults to the demo account in every helper below. */
type OnAccount<T extends { account: string }> = Omit<T, 'account'> & { account?: string };
type Emit = { emit?: boolean; targetUrl?: string };

export interface EmitEventInput {
  type: string;
  /** The object to send, or the id of a stored one (the current version is sent). */
  object?: StripeObject;
  objectId?: string;
  account?: string;
  targetUrl?: string;
  previousAttributes?: Record<string, unknown>;
}

export interface StripeFake {
  /** http://HOST:PORT — give it to createStripeClient({ apiUrl }) as STRIPE_API_URL. */
  url: string;
  app: FastifyInstance;
  /** Insert or replace any object (by id) in an account; the account is created when missing. */
  put(accountId: string, object: StripeObject): void;
  /** Remove an object by id from one account, or from every account. */
  remove(id: string, accountId?: string): boolean;
  /** A copy of a stored object as stored (all invoice lines, hidden fields included). */
  get(accountId: string, id: string): StripeObject | undefined;
  /** Every stored object of a type in an account, newest first (copies). */
  list(accountId: string, type: string): StripeObject[];
  /** Create (or reset) an account holding exactly these objects; `'demo'` seeds the demo set. */
  createAccount(accountId: string, objects?: StripeObject[] | 'demo'): void;
  /** Make an account unknown (requests for it get Stripe's 403, like an uninstalled app). */
  removeAccount(accountId: string): void;
  emitEvent(input: EmitEventInput): Promise<EmittedEvent>;
  createRefund(input: OnAccount<CreateRefundInput> & Emit): Promise<{
    refund: StripeObject;
    charge: StripeObject;
    events: EmittedEvent[];
  }>;
  createPaidInvoice(input: OnAccount<CreatePaidInvoiceInput> & Emit): Promise<{
    invoice: StripeObject;
    paymentIntent: StripeObject;
    charge: StripeObject;
    invoicePayment: StripeObject;
    events: EmittedEvent[];
  }>;
  createPayment(input: OnAccount<CreatePaymentInput> & Emit): Promise<{
    paymentIntent: StripeObject;
    charge: StripeObject;
    session: StripeObject | null;
    events: EmittedEvent[];
  }>;
  /**
   * Sales that unfold over time, built but not yet played: each returns its objects (final state) and
   * `steps`, the moments in Stripe's order, to give to play() (optionally out of order, or with waits).
   */
  scenarios: {
    /** send_invoice (net 30 by default): steps created → finalized → paid (days later). */
    sendInvoice(input: OnAccount<SendInvoiceInput>): ReturnType<typeof sendInvoice>;
    /** Checkout with invoice_creation: steps payment (no invoice yet) → invoice (created, finalized, paid). */
    checkoutWithInvoice(input: OnAccount<CheckoutWithInvoiceInput>): ReturnType<typeof checkoutWithInvoice>;
    /** Paid invoice refunded at once: steps paid (stored, no events) → refunded → invoicePaid (events only). */
    refundBeforeInvoicePaid(input: OnAccount<RefundBeforeInvoicePaidInput>): ReturnType<typeof refundBeforeInvoicePaid>;
  };
  /** Stores each step's objects, then (unless `emit: false`) sends its events in order. */
  play(steps: SimStep | SimStep[], options?: Emit): Promise<EmittedEvent[]>;
  /** Voids a stored open invoice now (`invoice.voided`; emitted when `emit`). */
  voidInvoice(input: { invoice: string; account?: string; voidedAt?: number } & Emit): Promise<{ invoice: StripeObject; events: EmittedEvent[] }>;
  /** Authenticated /v1 requests received (method, url, account, Stripe-Version), oldest first; last 5000. */
  readonly requests: FakeRequest[];
  /** Every event built so far (delivered or not), oldest first. */
  readonly events: StripeEventObject[];
  close(): Promise<void>;
}

export async function startStripeFake(options: StripeFakeOptions): Promise<StripeFake> {
  const store = new FakeStore();
  const stateFile = options.stateFile ? new StateFile(options.stateFile, store) : undefined;
  if (!stateFile?.load()) {
    store.createAccount(PLATFORM_ACCOUNT, []);
    if (options.seedDemo !== false) seedDemo(store, DEMO.account);
  }
  if (stateFile) store.onChange = () => stateFile.schedule();

  const events: StripeEventObject[] = [];
  const requests: FakeRequest[] = [];

  async function emitEvent(input: EmitEventInput): Promise<EmittedEvent> {
    const account = input.account ?? DEMO.account;
    let object = input.object;
    if (!object && input.objectId) {
      object = store.get(account, input.objectId);
      if (!object) throw new SimulationError(`No such object: '${input.objectId}' in ${account}`);
    }
    if (!object) throw new SimulationError('emitEvent needs object or objectId');
    // Webhook payloads carry the object as the API shows it without expansions.
    const event = buildEvent(input.type, renderObject(object, {}, { store, account }), account, input.previousAttributes);
    events.push(event);
    store.put(account, event);
    const target = input.targetUrl ?? options.webhookUrl;
    if (!target) return { event, status: 0, responseBody: 'no webhook target configured' };
    return deliver(target, event, options.webhookSecret);
  }

  async function emitAll(pending: PendingEvent[], account: string, emit: Emit): Promise<EmittedEvent[]> {
    if (!emit.emit) return [];
    const out: EmittedEvent[] = [];
    for (const p of pending) out.push(await emitEvent({ type: p.type, object: p.object, account, targetUrl: emit.targetUrl }));
    return out;
  }

  async function play(steps: SimStep[], emit: Emit): Promise<EmittedEvent[]> {
    const out: EmittedEvent[] = [];
    for (const step of steps) {
      for (const obj of step.puts) store.put(step.account, structuredClone(obj));
      out.push(...(await emitAll(step.events, step.account, emit)));
    }
    return out;
  }

  const app = Fastify({
    logger: options.logger === true ? loggerOptions('info') : (options.logger ?? false),
    routerOptions: { querystringParser: parseStripeParams },
  });
  await app.register(formbody, { parser: parseStripeParams });
  registerStripeErrors(app);
  registerStripeRoutes(app, {
    store,
    secretKey: options.secretKey,
    log: requests,
    createRefund: async (account, params) => {
      const amount = stringParam(params, 'amount');
      try {
        const { refund } = await fake.createRefund({
          account,
          charge: stringParam(params, 'charge'),
          paymentIntent: stringParam(params, 'payment_intent'),
          amount: amount === undefined ? undefined : Number(amount),
          reason: (stringParam(params, 'reason') as CreateRefundInput['reason']) ?? null,
          emit: Boolean(options.webhookUrl),
        });
        return refund;
      } catch (err) {
        if (err instanceof SimulationError) throw invalidRequest(err.message, 'amount');
        throw err;
      }
    },
  });
  registerControlRoutes(app, () => fake);
  registerScenarioRoutes(app, () => fake);

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';

  const fake: StripeFake = {
    url: `http://${host}:${port}`,
    app,
    put: (accountId, object) => store.put(accountId, structuredClone(object)),
    remove: (id, accountId) => store.remove(id, accountId),
    get: (accountId, id) => {
      const obj = store.get(accountId, id);
      return obj ? structuredClone(obj) : undefined;
    },
    list: (accountId, type) => store.list(accountId, type).map((o) => structuredClone(o)),
    createAccount: (accountId, objects = []) => {
      if (objects === 'demo') seedDemo(store, accountId);
      else store.createAccount(accountId, objects.map((o) => structuredClone(o)));
    },
    removeAccount: (accountId) => store.dropAccount(accountId),
    emitEvent,
    async createRefund(input) {
      const account = input.account ?? DEMO.account;
      const result = createRefund(store, { ...input, account });
      return { refund: result.refund, charge: result.charge, events: await emitAll(result.events, account, input) };
    },
    async createPaidInvoice(input) {
      const account = input.account ?? DEMO.account;
      const { events: pending, ...objects } = createPaidInvoice(store, { ...input, account });
      return { ...objects, events: await emitAll(pending, account, input) };
    },
    async createPayment(input) {
      const account = input.account ?? DEMO.account;
      const { events: pending, ...objects } = createPayment(store, { ...input, account });
      return { ...objects, events: await emitAll(pending, account, input) };
    },
    scenarios: {
      sendInvoice: (input) => sendInvoice(store, { ...input, account: input.account ?? DEMO.account }),
      checkoutWithInvoice: (input) => checkoutWithInvoice(store, { ...input, account: input.account ?? DEMO.account }),
      refundBeforeInvoicePaid: (input) => refundBeforeInvoicePaid(store, { ...input, account: input.account ?? DEMO.account }),
    },
    play: (steps, options = {}) => play(Array.isArray(steps) ? steps : [steps], { emit: true, ...options }),
    async voidInvoice(input) {
      const { invoice, step } = voidInvoice(store, { ...input, account: input.account ?? DEMO.account });
      return { invoice, events: await play([step], input) };
    },
    events,
    requests,
    async close() {
      stateFile?.flush();
      await app.close();
    },
  };
  return fake;
}

function seedDemo(store: FakeStore, accountId: string): void {
  store.createAccount(accountId, [accountObject({ id: accountId, name: DEMO_ACCOUNT_NAME }), ...demoObjects()]);
}

/** Routes for the local preview page (no Stripe auth: this is a local development stand-in). */
function registerControlRoutes(app: FastifyInstance, fake: () => StripeFake): void {
  app.get('/__fake/demo', async () => ({ ids: DEMO, descriptions: DEMO_DESCRIPTIONS }));

  app.post('/__fake/events', async (request) => {
    const body = (request.body ?? {}) as Params;
    const type = stringParam(body, 'type');
    const objectId = stringParam(body, 'object_id');
    if (!type || !objectId) throw invalidRequest('type and object_id are required');
    const result = await emitOrExplain(() =>
      fake().emitEvent({ type, objectId, account: stringParam(body, 'account'), targetUrl: stringParam(body, 'target_url') }),
    );
    return { id: result.event.id, type, delivered_status: result.status, response: result.responseBody.slice(0, 500) };
  });

  app.post('/__fake/refunds', async (request) => {
    const body = (request.body ?? {}) as Params;
    const amount = stringParam(body, 'amount');
    const result = await emitOrExplain(() =>
      fake().createRefund({
        account: stringParam(body, 'account'),
        charge: stringParam(body, 'charge'),
        paymentIntent: stringParam(body, 'payment_intent'),
        amount: amount === undefined ? undefined : Number(amount),
        emit: true,
      }),
    );
    return { refund: result.refund, delivered: result.events.map((e) => ({ id: e.event.id, type: e.event.type, status: e.status })) };
  });

  app.post('/__fake/payments', async (request) => {
    const body = (request.body ?? {}) as Params;
    const amount = stringParam(body, 'amount');
    const result = await emitOrExplain(() =>
      fake().createPayment({
        account: stringParam(body, 'account'),
        customer: stringParam(body, 'customer') ?? null,
        currency: stringParam(body, 'currency'),
        amount: amount === undefined ? undefined : Number(amount),
        description: stringParam(body, 'description'),
        emit: true,
      }),
    );
    return { payment_intent: result.paymentIntent, delivered: result.events.map((e) => ({ id: e.event.id, type: e.event.type, status: e.status })) };
  });
}

/**
 * The scenarios over HTTP, for a fake running as its own process (`npm run`-started stand-ins, other test
 * processes): `POST /__fake/scenarios` builds one and answers its id, object ids and step names; `POST
 * /__fake/scenarios/:id/steps/:step` plays a step (in any order); `POST /__fake/invoices/:id/void` voids.
 */
function registerScenarioRoutes(app: FastifyInstance, fake: () => StripeFake): void {
  const built = new Map<string, Record<string, SimStep>>();
  const line = (value: unknown, i: number): SimLine => {
    const l = (value ?? {}) as Record<string, unknown>;
    const unitAmount = Number(l.unit_amount);
    if (typeof l.description !== 'string' || !Number.isInteger(unitAmount)) {
      throw invalidRequest(`lines[${i}] needs a description and an integer unit_amount (minor units)`, `lines[${i}]`);
    }
    const quantity = l.quantity === undefined ? undefined : Number(l.quantity);
    return { description: l.description, unitAmount, quantity, taxRate: typeof l.tax_rate === 'string' ? l.tax_rate : null };
  };
  const ids = (objects: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(objects).flatMap(([key, value]) => (value && typeof value === 'object' && 'id' in value ? [[key, (value as StripeObject).id]] : [])));

  app.post('/__fake/scenarios', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const customer = typeof body.customer === 'string' ? body.customer : undefined;
    if (!customer) throw invalidRequest('customer is required', 'customer');
    if (!Array.isArray(body.lines) || body.lines.length === 0) throw invalidRequest('lines must be a non-empty array', 'lines');
    const lines = body.lines.map(line);
    const account = typeof body.account === 'string' ? body.account : undefined;
    const scenario = await emitOrExplain(async () => {
      switch (body.kind) {
        case 'send_invoice':
          return fake().scenarios.sendInvoice({ account, customer, lines, daysUntilDue: body.days_until_due === undefined ? undefined : Number(body.days_until_due) });
        case 'checkout_with_invoice':
          return fake().scenarios.checkoutWithInvoice({ account, customer, lineItems: lines });
        case 'refund_before_invoice_paid':
          return fake().scenarios.refundBeforeInvoicePaid({ account, customer, lines, refundAmount: body.refund_amount === undefined ? undefined : Number(body.refund_amount) });
        default:
          throw invalidRequest('kind must be send_invoice, checkout_with_invoice or refund_before_invoice_paid', 'kind');
      }
    });
    const id = newId('scn');
    const { steps, ...objects } = scenario;
    built.set(id, steps);
    return reply.code(201).send({ id, kind: body.kind, objects: ids(objects), steps: Object.keys(steps) });
  });

  app.post<{ Params: { id: string; step: string } }>('/__fake/scenarios/:id/steps/:step', async (request, reply) => {
    const step = built.get(request.params.id)?.[request.params.step];
    if (!step) return reply.code(404).send({ error: { type: 'invalid_request_error', message: `No such scenario step: ${request.params.id}/${request.params.step}` } });
    const body = (request.body ?? {}) as Record<string, unknown>;
    const events = await fake().play(step, { emit: body.emit !== false, targetUrl: typeof body.target_url === 'string' ? body.target_url : undefined });
    return { step: step.label, delivered: events.map((e) => ({ id: e.event.id, type: e.event.type, status: e.status })) };
  });

  app.post<{ Params: { id: string } }>('/__fake/invoices/:id/void', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const result = await emitOrExplain(() =>
      fake().voidInvoice({ invoice: request.params.id, account: typeof body.account === 'string' ? body.account : undefined, emit: body.emit !== false }),
    );
    return { invoice: result.invoice, delivered: result.events.map((e) => ({ id: e.event.id, type: e.event.type, status: e.status })) };
  });
}

async function emitOrExplain<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SimulationError) throw invalidRequest(err.message);
    throw err;
  }
}
