// The backend's HTTP contract as an OpenAPI 3.1 document (GET /api/v1/stripe-app/openapi.json). It mirrors
// src/api/contract.ts, which both sides compile against; a test checks every registered route is listed.
import type { FastifyInstance } from 'fastify';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const money = { type: 'string', description: 'Decimal in major units, e.g. "121.00" (never a float)', examples: ['121.00'] };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const str = { type: 'string' };
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const errors = {
  '400': { description: 'Invalid input', ...json(ref('Error')) },
  '401': { description: '`unauthorized` or `reauthorization_required`', ...json(ref('Error')) },
  '404': { description: 'Unknown object', ...json(ref('Error')) },
  '503': { description: 'Stripe or Storno unreachable; nothing was lost', ...json(ref('Error')) },
};
const guarded = { security: [{ bearer: [], stripeSignature: [] }] };
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, schema: str, description });
const createBody = { required: false, ...json(ref('CreateDocumentRequest')) };

function read(summary: string, params: object[], schema: object) {
  return { get: { summary, ...guarded, parameters: params, responses: { '200': { description: 'OK', ...json(schema) }, ...errors } } };
}
function create(summary: string, params: object[]) {
  return {
    post: {
      summary,
      ...guarded,
      parameters: params,
      requestBody: createBody,
      responses: {
        '201': { description: 'Document made now (status may be `blocked` with a `problem`)', ...json(ref('DocumentSummary')) },
        '200': { description: 'The document already existed', ...json(ref('DocumentSummary')) },
        '409': { description: 'Nothing can be made (draft invoice, no parent document, …)', ...json(ref('Error')) },
        ...errors,
      },
    },
  };
}

const documentStatus = { type: 'string', enum: ['pending', 'blocked', 'draft', 'issued', 'sent_to_provider', 'validated', 'rejected'] };

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Storno e-Factura for Stripe — backend',
    version: '1.0.0',
    description:
      'Every data route needs `Authorization: Bearer <access_token>` and a `Stripe-Signature` (from fetchStripeSignature) whose user and account match the token.',
  },
  servers: [{ url: '/api/v1/stripe-app' }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      stripeSignature: { type: 'apiKey', in: 'header', name: 'Stripe-Signature' },
    },
    schemas: {
      Error: { type: 'object', required: ['error', 'message'], properties: { error: str, message: str } },
      OAuthError: { type: 'object', required: ['error'], properties: { error: str, error_description: str } },
      DocumentProblem: {
        oneOf: [
          { type: 'object', properties: { kind: { const: 'preflight' }, checks: { type: 'array', items: { type: 'object', properties: { code: str, message: str } } } } },
          { type: 'object', properties: { kind: { const: 'total_mismatch' }, expected: money, actual: money, difference: money, currency: str } },
        ],
      },
      DocumentSummary: {
        type: 'object',
        properties: {
          id: str,
          kind: { type: 'string', enum: ['invoice', 'payment', 'refund', 'standalone_refund'] },
          stripeObjectId: str,
          stornoDocumentId: nullable(str),
          number: nullable(str),
          status: documentStatus,
          clientName: nullable(str),
          total: nullable(money),
          currency: nullable(str),
          providerError: nullable(str),
          problem: nullable(ref('DocumentProblem')),
          origin: { type: 'string', enum: ['manual', 'auto'] },
          createdAt: str,
          updatedAt: str,
        },
      },
      CreateDocumentRequest: { type: 'object', properties: { issueAnyway: { type: 'boolean' }, standalone: { type: 'boolean' } }, additionalProperties: false },
      Settings: {
        type: 'object',
        properties: {
          status: { type: 'string', enum: ['connected', 'disconnected', 'reauthorization_required'] },
          company: nullable({ type: 'object', properties: { id: str, name: str, cif: str } }),
          authorizedBy: nullable({ type: 'object', properties: { email: str, name: str } }),
          authorizedAt: nullable(str),
          autoMode: { type: 'boolean' },
          defaultVatRate: str,
        },
      },
      Dashboard: {
        type: 'object',
        properties: {
          tab: { type: 'string', enum: ['all', 'pending', 'errors'] },
          counts: { type: 'object', additionalProperties: { type: 'integer' } },
          documents: { type: 'array', items: ref('DocumentSummary') },
          autoMode: { type: 'boolean' },
        },
      },
      Customer: { type: 'object', description: 'CustomerResponse in src/api/contract.ts: customer, match {client, matchedBy}, noMatchReason, proposal, history' },
      Invoice: { type: 'object', description: 'InvoiceResponse: invoice, document, canCreate' },
      Payment: { type: 'object', description: 'PaymentResponse: payment, document, canCreate, refunds[]' },
      Refund: { type: 'object', description: 'RefundResponse: refund, creditNote, canCreate, reason, standaloneAllowed' },
      Subscription: { type: 'object', description: 'SubscriptionResponse: subscription, cycles[] (period, amount, Stripe status, document)' },
      DeviceAuthorization: {
        type: 'object',
        properties: { device_code: str, user_code: str, verification_uri: str, verification_uri_complete: str, expires_in: { type: 'integer' }, interval: { type: 'integer' } },
      },
      Tokens: {
        type: 'object',
        properties: { access_token: str, token_type: { const: 'Bearer' }, expires_in: { type: 'integer' }, refresh_token: str },
      },
    },
  },
  paths: {
    '/oauth/device': {
      post: {
        summary: 'RFC 8628 §3.1 device authorization (Stripe-Signature for the account is required)',
        requestBody: json({ type: 'object', required: ['stripe_account_id', 'user_id'], properties: { stripe_account_id: str, user_id: str } }),
        responses: { '200': { description: 'OK', ...json(ref('DeviceAuthorization')) }, '401': { description: 'Bad signature', ...json(ref('Error')) } },
      },
    },
    '/token': {
      post: {
        summary: 'Token endpoint: device_code (or its URN) and refresh_token grants; JSON or form',
        responses: { '200': { description: 'Tokens', ...json(ref('Tokens')) }, '400': { description: 'RFC 8628 §3.5 / RFC 6749 errors', ...json(ref('OAuthError')) } },
      },
    },
    '/oauth/approve': { post: { summary: 'Consent page only (session cookie + CSRF): user_code, company_id, approve', responses: { '200': { description: '{status, stripe_account_id}' }, '403': { description: 'No access to that company' } } } },
    '/oauth/revoke': { post: { summary: 'RFC 7009 revocation', responses: { '200': { description: 'Always' } } } },
    '/disconnect': { post: { summary: 'Revoke every token of the connection and forget the Storno credentials', ...guarded, responses: { '200': { description: '{status:"disconnected"}' } } } },
    '/settings': {
      ...read('Connection, company, who authorized, auto mode', [], ref('Settings')),
      put: { summary: 'Change auto mode or the default VAT rate', ...guarded, requestBody: json({ type: 'object', properties: { autoMode: { type: 'boolean' }, defaultVatRate: str } }), responses: { '200': { description: 'OK', ...json(ref('Settings')) }, ...errors } },
    },
    '/dashboard': read('Status counts and recent documents', [{ name: 'tab', in: 'query', schema: { type: 'string', enum: ['all', 'pending', 'errors'] } }], ref('Dashboard')),
    '/customers/{id}': read('Matched Storno client (and how), its invoice history, or why nothing matched', [idParam('id', 'cus_…')], ref('Customer')),
    '/customers/{id}/client': { post: { summary: 'Create the Storno client from the Stripe customer', ...guarded, parameters: [idParam('id', 'cus_…')], responses: { '201': { description: 'OK', ...json(ref('Customer')) }, ...errors } } },
    '/invoices/{id}': read('Stripe invoice and its e-invoice with the pipeline', [idParam('id', 'in_…')], ref('Invoice')),
    '/invoices/{id}/einvoice': create('Make the e-invoice of a Stripe invoice', [idParam('id', 'in_…')]),
    '/payments/{id}': read('Payment, its document and its refunds with their credit notes', [idParam('id', 'pi_… or ch_…')], ref('Payment')),
    '/payments/{id}/einvoice': create('Make the e-invoice of a payment without a Stripe invoice', [idParam('id', 'pi_… or ch_…')]),
    '/refunds/{id}': read('Refund, its credit note, or why none can be made', [idParam('id', 're_…')], ref('Refund')),
    '/refunds/{id}/credit-note': create('Make the credit note (or, with standalone, the standalone refund invoice)', [idParam('id', 're_…')]),
    '/subscriptions/{id}': read('Subscription and every billing cycle with its document', [idParam('id', 'sub_…')], ref('Subscription')),
    '/subscriptions/{id}/cycles/{invoiceId}/einvoice': create('Make the e-invoice of one billing cycle', [idParam('id', 'sub_…'), idParam('invoiceId', 'in_…')]),
    '/documents/{id}/submit': create('Continue a document to the provider', [idParam('id', 'document id')]),
    '/documents/{id}/retry': create('Retry a rejected (fix and resend) or blocked (rebuild) document', [idParam('id', 'document id')]),
    '/documents/{id}/resend': create('Fix and resend a rejected document: re-read Stripe and the Storno client, update the Storno document, submit; says what changed', [idParam('id', 'document id')]),
    '/documents/{id}/send-anyway': create('Send an issued document outside mandatory e-Factura scope (buyer outside Romania) to ANAF anyway', [idParam('id', 'document id')]),
    '/customers/{id}/client/confirm': { post: { summary: 'Confirm the proposed company client (same e-mail) for a customer without a tax ID; body {clientId}', ...guarded, parameters: [idParam('id', 'cus_…')], responses: { '200': { description: 'OK', ...json(ref('Customer')) }, ...errors } } },
    '/webhooks/stripe': { post: { summary: 'Stripe webhook intake (Stripe-Signature with the endpoint secret)', responses: { '200': { description: '{received, duplicate}' }, '400': { description: 'Bad signature; nothing stored' } } } },
    '/webhooks/storno/{connectionId}': { post: { summary: 'Storno webhook intake (X-Webhook-Signature HMAC)', parameters: [idParam('connectionId', 'connection id')], responses: { '200': { description: '{received}' }, '400': { description: 'Bad signature' } } } },
    '/healthz': { get: { summary: 'Process up', responses: { '200': { description: 'OK' } } } },
    '/readyz': { get: { summary: 'Database reachable and migrated', responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } } } },
  },
} as const;

export async function openApiRoutes(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', async () => OPENAPI_DOCUMENT);
}
