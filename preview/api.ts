// The preview page's calls to its backend routes (backend/src/dev/preview.ts), all on the page's origin.

export interface EmitResult {
  /** The Stripe object created (a PaymentIntent) or refunded (the refund). */
  object: { id: string; object: string };
  delivered: { id: string; type: string; status: number }[];
}

export type EmitRequest = { kind: 'payment_succeeded'; customer?: string } | { kind: 'refund'; payment: string };

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

/** The Stripe fake's demo objects ({ids, descriptions}). */
export async function fetchDemo(): Promise<{ ids?: unknown; descriptions?: Record<string, string> }> {
  return json(await window.fetch('/preview/api/demo'));
}

/** Make the Stripe fake create a payment or a refund and post its signed webhook events to the backend. */
export async function emit(request: EmitRequest): Promise<EmitResult> {
  return json(await window.fetch('/preview/api/emit', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) }));
}
