// Storno's document status (storno-api.md §3.6) → the pipeline the merchant sees.
// Refund documents stay `refund` after ANAF's verdict and their parent becomes `refunded`: for those the
// provider state is read from `anafStatus`.
import type { DocumentStatus } from '../../../src/api/contract.js';

const PROVIDER_OK = new Set(['ok', 'validated']);
const PROVIDER_FAILED = new Set(['nok', 'rejected', 'validation_failed', 'upload_failed', 'no_token', 'pending_timeout']);

export function pipelineStatus(invoice: { status: string; anafStatus?: string | null }): DocumentStatus {
  const anaf = invoice.anafStatus ?? null;
  switch (invoice.status) {
    case 'draft':
      return 'draft';
    case 'sent_to_provider':
      return 'sent_to_provider';
    case 'validated':
      return 'validated';
    case 'rejected':
      return 'rejected';
    case 'issued':
      return 'issued';
    default:
      // refund, refunded, paid, …: the provider's verdict lives in anafStatus.
      if (anaf && PROVIDER_OK.has(anaf)) return 'validated';
      if (anaf && PROVIDER_FAILED.has(anaf)) return 'rejected';
      if (anaf === 'uploaded') return 'sent_to_provider';
      return 'issued';
  }
}
