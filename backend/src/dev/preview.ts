// The local Dashboard preview (development only): GET /preview serves a page that renders the REAL
// extension views (src/views, unmodified) through a remote-ui host (preview/), and /preview/api/* gives
// that page what the Dashboard and Stripe would: app signatures for the demo account, the Stripe fake's
// demo objects, and simulated Stripe activity whose signed webhooks reach this backend.
// Registered by app.ts outside production; the plugin also refuses on its own in production.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildContext } from 'esbuild';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Stripe from 'stripe';
import { z } from 'zod';
import { API_PREFIX } from '../../../src/api/contract.js';
import { signedAppPayload } from '../http/stripeSignature.js';
import { escapeHtml } from '../oauth/consentPage.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PREVIEW_USER = { id: 'usr_preview', name: 'Preview User' };

/**
 * esbuild bundle of preview/main.tsx (which imports src/views/*). Built at the first request and rebuilt
 * incrementally on each one, so an edit in src/ or preview/ shows on reload. esbuild is a dev dependency:
 * it is imported here, lazily, never when the module loads in production.
 */
function createBundler(root: string) {
  let context: Promise<BuildContext> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const open = async () => {
    const esbuild = await import('esbuild');
    return esbuild.context({
      absWorkingDir: root,
      entryPoints: [join(root, 'preview/main.tsx')],
      outfile: join(root, '.build/preview/app.js'),
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      jsx: 'automatic',
      charset: 'utf8',
      sourcemap: 'inline',
      define: { 'process.env.NODE_ENV': '"development"' },
      logLevel: 'silent',
    });
  };
  return {
    /** The bundle's text; one build at a time. */
    build(): Promise<string> {
      const run = queue.then(async () => {
        context ??= open();
        const result = await (await context).rebuild();
        return result.outputFiles?.[0]?.text ?? '';
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async dispose(): Promise<void> {
      const current = context;
      context = undefined;
      if (current) await (await current).dispose();
    },
  };
}

const jsonForScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function previewPage(boot: { apiBase: string; userId: string; userName: string; accountId: string; accountName: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Dashboard preview — ${boot.accountName}`)}</title>
<script id="preview-boot" type="application/json">${jsonForScript(boot)}</script>
</head>
<body>
<div id="root"></div>
<script type="module" src="/preview/app.js"></script>
</body>
</html>
`;
}

/** A browser page elsewhere must not use this backend's preview helpers (CORS is open for the extension). */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

const signatureBody = z.object({ user_id: z.string().regex(/^usr_\w{1,64}$/), account_id: z.string() });

const emitBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('payment_succeeded'), customer: z.string().regex(/^cus_\w+$/).optional() }),
  z.object({ kind: z.literal('refund'), payment: z.string().regex(/^(pi|ch)_\w+$/) }),
]);

type Delivered = { id: string; type: string; status: number };

export async function previewRoutes(app: FastifyInstance): Promise<void> {
  const { config } = app;
  if (config.env === 'production') return;
  // Registered once even if registered twice (a test may add it to an app that already has it).
  if (app.hasRoute({ method: 'GET', url: '/preview' })) return;
  // Loaded only in development: the demo ids of the Stripe fake (its module reads fixtures at import).
  const { DEMO } = await import('../../sandbox/stripe/demo.js');
  const bundler = createBundler(ROOT);
  app.addHook('onClose', () => bundler.dispose());

  const fail = (reply: FastifyReply, status: number, error: string, message: string) => reply.code(status).send({ error, message });

  /** Calls the Stripe fake's control routes (`/__fake/*`); there are none when STRIPE_API_URL is real Stripe. */
  async function stripeFake(path: string, body?: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
    if (!config.stripe.apiUrl) return { status: 503, json: { error: { message: 'STRIPE_API_URL is not the local Stripe fake' } } };
    const response = await fetch(`${config.stripe.apiUrl}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  }
  const fakeMessage = (json: Record<string, unknown>) => (json.error as { message?: string } | undefined)?.message ?? 'Stripe fake error';

  app.get('/preview', async (_request, reply) => {
    const page = previewPage({
      apiBase: `${config.publicUrl}${API_PREFIX}/`,
      userId: PREVIEW_USER.id,
      userName: PREVIEW_USER.name,
      accountId: DEMO.account,
      accountName: 'Storno Demo SRL',
    });
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
  });

  app.get('/preview/app.js', async (_request, reply) => {
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'no-store');
    try {
      return reply.send(await bundler.build());
    } catch (error) {
      // A build error (e.g. a syntax error in a view) shows in the page instead of a blank screen.
      const message = `Preview build failed:\n${error instanceof Error ? error.message : String(error)}`;
      app.log.warn({ err: error }, 'preview build failed');
      return reply.code(500).send(`document.getElementById('root').textContent = ${jsonForScript(message)};`);
    }
  });

  // The Dashboard's fetchStripeSignature(): the default payload signed with the app secret, for the demo
  // account only — enough for the preview, useless against any real account.
  app.post('/preview/api/signature', async (request, reply) => {
    if (!sameOrigin(request)) return fail(reply, 403, 'forbidden', 'Cross-origin request');
    const body = signatureBody.safeParse(request.body);
    if (!body.success) return fail(reply, 400, 'invalid_request', 'user_id (usr_…) and account_id are required');
    if (body.data.account_id !== DEMO.account) return fail(reply, 403, 'forbidden', `The preview signs only for the demo account ${DEMO.account}`);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: signedAppPayload(body.data.user_id, body.data.account_id),
      secret: config.stripe.appSecrets[0]!,
    });
    return reply.header('cache-control', 'no-store').send({ signature });
  });

  app.get('/preview/api/demo', async (_request, reply) => {
    const { status, json } = await stripeFake('/__fake/demo');
    if (status !== 200) return fail(reply, 502, 'stripe_fake_unavailable', fakeMessage(json));
    return reply.send(json);
  });

  // Simulated Stripe activity: the fake creates the objects and posts their signed events to /webhooks/stripe.
  app.post('/preview/api/emit', async (request, reply) => {
    if (!sameOrigin(request)) return fail(reply, 403, 'forbidden', 'Cross-origin request');
    const body = emitBody.safeParse(request.body);
    if (!body.success) return fail(reply, 400, 'invalid_request', 'kind is payment_succeeded (customer?) or refund (payment)');
    const input = body.data;
    const { status, json } =
      input.kind === 'payment_succeeded'
        ? await stripeFake('/__fake/payments', {
            account: DEMO.account,
            customer: input.customer ?? DEMO.customers.b2bCluj,
            currency: 'ron',
            amount: '12100',
            description: 'Preview payment',
          })
        : await stripeFake('/__fake/refunds', {
            account: DEMO.account,
            [input.payment.startsWith('ch_') ? 'charge' : 'payment_intent']: input.payment,
          });
    if (status !== 200) return fail(reply, status === 503 ? 503 : 400, 'emit_failed', fakeMessage(json));
    const object = (input.kind === 'payment_succeeded' ? json.payment_intent : json.refund) as { id: string; object: string };
    return reply.send({ object: { id: object.id, object: object.object }, delivered: json.delivered as Delivered[] });
  });
}
