// Local stand-ins for the outside world in the embedded run: the Storno API sandbox when STORNO_API_URL is
// unset, the Stripe API fake when STRIPE_API_URL is unset and BNR's exchange-rate feeds when BNR_URL is unset. Both keep their state under ./data/ so a
// second `npm start` finds the same documents and payments.
import { join } from 'node:path';
import { startBnrStandIn, type BnrStandIn } from '../../sandbox/bnr/index.js';
import { startStornoSandbox, type StornoSandbox } from '../../sandbox/storno/index.js';
import { startStripeFake, type StripeFake } from '../../sandbox/stripe/index.js';
import type { DevSecrets } from './devSecrets.js';

export interface StandIns {
  /** Environment values for the backend's config (the stand-ins' URLs). */
  env: Record<string, string>;
  names: string[];
  storno?: StornoSandbox;
  stripe?: StripeFake;
  bnr?: BnrStandIn;
  close(): Promise<void>;
}

export async function startStandIns(input: {
  env: Record<string, string | undefined>;
  dataDir: string;
  secrets: DevSecrets;
  publicUrl: string;
}): Promise<StandIns> {
  const { env, dataDir, secrets, publicUrl } = input;
  const result: StandIns = { env: {}, names: [], close: async () => {} };
  const closers: (() => Promise<void>)[] = [];

  if (!env.STORNO_API_URL) {
    const storno = await startStornoSandbox({
      port: Number(env.STORNO_SANDBOX_PORT ?? 8790),
      providerDelayMs: env.STORNO_SANDBOX_PROVIDER_DELAY_MS ? Number(env.STORNO_SANDBOX_PROVIDER_DELAY_MS) : undefined,
      apiKey: env.STORNO_SANDBOX_API_KEY,
      demoEmail: env.STORNO_SANDBOX_DEMO_EMAIL,
      demoPassword: env.STORNO_SANDBOX_DEMO_PASSWORD,
      stateFile: join(dataDir, 'storno-sandbox.json'),
      oauthClients: [
        {
          clientId: env.STORNO_OAUTH_CLIENT_ID ?? secrets.STORNO_OAUTH_CLIENT_ID,
          clientSecret: env.STORNO_OAUTH_CLIENT_SECRET ?? secrets.STORNO_OAUTH_CLIENT_SECRET,
          name: 'Storno e-Factura for Stripe (local)',
          redirectUris: [`${publicUrl}/stripe-link/callback`],
        },
      ],
    });
    result.storno = storno;
    result.env.STORNO_API_URL = storno.url;
    result.names.push(`Storno API sandbox at ${storno.url}`);
    closers.push(() => storno.close());
  }

  if (!env.STRIPE_API_URL) {
    const stripe = await startStripeFake({
      port: Number(env.STRIPE_FAKE_PORT ?? 8791),
      secretKey: env.STRIPE_SECRET_KEY ?? secrets.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? secrets.STRIPE_WEBHOOK_SECRET,
      webhookUrl: `${publicUrl}/api/v1/stripe-app/webhooks/stripe`,
      stateFile: join(dataDir, 'stripe-fake.json'),
    });
    result.stripe = stripe;
    result.env.STRIPE_API_URL = stripe.url;
    result.names.push(`Stripe API fake at ${stripe.url}`);
    closers.push(() => stripe.close());
  }

  if (!env.BNR_URL) {
    // Any free port: the backend is handed the URL, nothing else needs to find it.
    const bnr = await startBnrStandIn({ port: Number(env.BNR_STAND_IN_PORT ?? 0) });
    result.bnr = bnr;
    result.env.BNR_URL = bnr.url;
    result.names.push(`BNR exchange-rate stand-in at ${bnr.url}`);
    closers.push(() => bnr.close());
  }

  result.close = async () => {
    for (const close of closers.reverse()) await close();
  };
  return result;
}
