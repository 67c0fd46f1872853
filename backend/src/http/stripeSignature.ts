// Verifies the `Stripe-Signature` the Dashboard attaches to extension requests (fetchStripeSignature()).
// The default payload is exactly {"user_id":…,"account_id":…} in that order, signed with the app's
// `absec_` secret; during a secret rotation several secrets are accepted.
import Stripe from 'stripe';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signedAppPayload(userId: string, accountId: string): string {
  return JSON.stringify({ user_id: userId, account_id: accountId });
}

export function isValidAppSignature(
  header: string | undefined,
  userId: string,
  accountId: string,
  secrets: string[],
  nowSeconds?: number,
): boolean {
  if (!header || !userId || !accountId) return false;
  const payload = signedAppPayload(userId, accountId);
  return secrets.some((secret) => {
    try {
      return Stripe.webhooks.signature!.verifyHeader(
        payload,
        header,
        secret,
        SIGNATURE_TOLERANCE_SECONDS,
        undefined,
        nowSeconds,
      );
    } catch {
      return false;
    }
  });
}
