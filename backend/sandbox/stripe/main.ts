// Runs the Stripe fake on its own (`tsx backend/sandbox/stripe/main.ts`) for the local preview and manual
// testing. Settings come from the same variables the backend reads, so both agree on key and secret.
import { DEMO, startStripeFake } from './index.js';

const port = Number(process.env.STRIPE_FAKE_PORT ?? 12111);
const fake = await startStripeFake({
  port,
  host: process.env.STRIPE_FAKE_HOST ?? '127.0.0.1',
  secretKey: process.env.STRIPE_SECRET_KEY ?? 'sk_test_fake_devonly',
  webhookSecret: process.env.STRIPE_WEBHOOK_SECRET ?? 'whsec_fake_devonly',
  webhookUrl: process.env.STRIPE_FAKE_WEBHOOK_URL,
  stateFile: process.env.STRIPE_FAKE_STATE_FILE,
  logger: true,
});
fake.app.log.info({ url: fake.url, demoAccount: DEMO.account }, 'Stripe fake listening (STRIPE_API_URL)');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void fake.close().then(() => process.exit(0));
  });
}
