// Simulated e-invoice provider (ANAF): submit → sent_to_provider, then after `delayMs` a verdict on the buyer
// the document carries: its `buyerSnapshot`, frozen when the document was created and refreshed only by an
// update (PUT) — as the real server's XML is built from it. Fixing the client alone and resubmitting changes
// nothing; updating the document with the fixed client does.
// Rejections mirror the CIUS-RO rules that most often fail real uploads (efactura-facts §5).
import { countyCode, isValidCif } from './cif.js';
import { invoiceEventData, recordEvent } from './events.js';
import { randomHex } from './ids.js';
import type { Invoice, Store } from './state.js';
import type { WebhookDispatcher } from './webhooks.js';

export interface Provider {
  submit(invoice: Invoice, by: string | null): void;
  /** Resolves once every scheduled verdict has been given. */
  idle(): Promise<void>;
  close(): void;
}

interface Buyer {
  type: string;
  name: string | null;
  cui: string | null;
  cnp: string | null;
  address: string | null;
  city: string | null;
  county: string | null;
  country: string;
}

function buyerOf(invoice: Invoice): Buyer {
  const snap = (invoice.buyerSnapshot ?? {}) as Partial<Record<keyof Buyer, string | null>>;
  if (invoice.buyerSnapshot) {
    return {
      type: snap.type ?? 'company',
      name: snap.name ?? invoice.receiverName,
      cui: snap.cui ?? null,
      cnp: snap.cnp ?? null,
      address: snap.address ?? null,
      city: snap.city ?? null,
      county: snap.county ?? null,
      country: snap.country ?? 'RO',
    };
  }
  const cif = invoice.receiverCif;
  return {
    type: cif && /^\d{13}$/.test(cif) ? 'individual' : 'company',
    name: invoice.receiverName,
    cui: cif && !/^\d{13}$/.test(cif) ? cif : null,
    cnp: cif && /^\d{13}$/.test(cif) ? cif : null,
    address: snap.address ?? null,
    city: snap.city ?? null,
    county: snap.county ?? null,
    country: snap.country ?? 'RO',
  };
}

/** ANAF's error lines ("E: [rule] text") for the buyer, empty when the upload would be accepted. */
export function anafErrorsFor(store: Store, invoice: Invoice): string[] {
  const buyer = buyerOf(invoice);
  if ((buyer.country || 'RO') !== 'RO') return [];
  const errors: string[] = [];
  const cui = buyer.cui?.trim().replace(/^RO/i, '') ?? '';
  if (cui && !/^0{13}$/.test(cui)) {
    if (!isValidCif(cui)) {
      errors.push(
        `E: [BR-RO-120] validari globale eroare: CIF cumparator invalid ${cui} (cifra de control nu corespunde); ` +
          'identificatorul cumparatorului (BT-47/BT-48) trebuie sa fie un cod fiscal valid',
      );
    }
  } else if (buyer.type !== 'individual' && !buyer.cnp) {
    errors.push('E: [BR-RO-120] Factura trebuie sa contina identificatorul de inregistrare legala al cumparatorului (BT-47) sau codul de TVA (BT-48)');
  }
  if (!buyer.address?.trim()) {
    errors.push('E: [BR-RO-082] Adresa cumparatorului (BT-50) trebuie sa contina strada si numarul (cac:PostalAddress/cbc:StreetName lipseste)');
  }
  if (!buyer.city?.trim()) {
    errors.push('E: [BR-RO-092] Adresa cumparatorului trebuie sa contina localitatea (BT-52, cac:PostalAddress/cbc:CityName lipseste)');
  }
  if (!countyCode(buyer.county)) {
    errors.push(
      `E: [BR-RO-111] Daca tara cumparatorului este RO, subdiviziunea (BT-54) trebuie sa fie un cod ISO 3166-2:RO (ex. RO-CJ); valoare primita: "${buyer.county ?? ''}"`,
    );
  }
  return errors;
}

export function createProvider(store: Store, webhooks: WebhookDispatcher, delayMs: number): Provider {
  const timers = new Set<NodeJS.Timeout>();
  const waiters: (() => void)[] = [];

  const settleWaiters = () => {
    if (timers.size === 0) waiters.splice(0).forEach((w) => w());
  };

  function verdict(invoiceId: string, by: string | null): void {
    // Looked up again: the invoice may have changed (or the state been reset) since the upload.
    const invoice = store.state.invoices.find((i) => i.id === invoiceId && !i.deletedAt);
    if (!invoice || invoice.status !== 'sent_to_provider') return;
    const errors = anafErrorsFor(store, invoice);
    const previous = invoice.status;
    invoice.anafDownloadId = String(Number.parseInt(randomHex(4), 16));
    if (errors.length === 0) {
      invoice.status = invoice.parentDocumentId ? 'refund' : 'validated';
      invoice.anafStatus = 'ok';
      invoice.anafErrorMessage = null;
      invoice.anafMessageId = String(Number.parseInt(randomHex(4), 16));
      recordEvent(store, invoice, previous, invoice.status, by, { anafStatus: 'ok' });
      webhooks.emit(invoice.companyId, 'invoice.validated', invoiceEventData(invoice));
    } else {
      invoice.status = 'rejected';
      invoice.anafStatus = 'nok';
      invoice.anafErrorMessage = errors.join('; ');
      recordEvent(store, invoice, previous, 'rejected', by, { anafStatus: 'nok', anafErrorMessage: invoice.anafErrorMessage });
      webhooks.emit(invoice.companyId, 'invoice.rejected', invoiceEventData(invoice));
    }
    store.changed();
  }

  return {
    submit(invoice, by) {
      const previous = invoice.status;
      invoice.status = 'sent_to_provider';
      invoice.uploaded = true;
      invoice.anafStatus = 'uploaded';
      invoice.anafErrorMessage = null;
      invoice.anafUploadId = String(5_000_000_000 + Number.parseInt(randomHex(3), 16));
      recordEvent(store, invoice, previous, 'sent_to_provider', by, { anafUploadId: invoice.anafUploadId });
      webhooks.emit(invoice.companyId, 'invoice.sent_to_provider', invoiceEventData(invoice));
      store.changed();
      const id = invoice.id;
      const timer = setTimeout(() => {
        timers.delete(timer);
        verdict(id, by);
        settleWaiters();
      }, delayMs);
      timers.add(timer);
    },
    idle() {
      if (timers.size === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      settleWaiters();
    },
  };
}
