// A complete test configuration: fixed secrets, stand-in URLs given by the test, a database of its own.
import { loadConfig, type AppConfig } from '../../src/config.js';

export const TEST_SECRETS = {
  STRIPE_SECRET_KEY: 'sk_test_backend_tests',
  STRIPE_APP_SECRET: 'absec_test_app_secret',
  STRIPE_WEBHOOK_SECRET: 'whsec_test_webhook_secret',
  STORNO_OAUTH_CLIENT_ID: 'storno_cid_stripe_app_tests',
  STORNO_OAUTH_CLIENT_SECRET: 'storno_cs_stripe_app_tests',
  ENCRYPTION_KEY: '0'.repeat(63) + '1',
  JWT_SECRET: 'jwt-secret-for-tests-only-0123456789abcdef',
};

export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    STORNO_API_URL: 'http://127.0.0.1:9/storno-unset',
    WORKER_ENABLED: 'false',
    // Tests read verdicts whenever they sweep; production waits VERDICT_POLL_MS between reads.
    VERDICT_POLL_MS: '0',
    ...TEST_SECRETS,
    ...env,
  });
}
