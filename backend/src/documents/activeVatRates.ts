// The VAT rates the connected Storno company has active, which every build checks its lines against: read once per
// connection every few minutes instead of for every document. A rate that looks inactive is read again before it
// blocks a document, so a merchant who has just activated it in Storno is not sent back.
import type { Connection } from '../oauth/connections.js';
import type { StornoClient } from '../storno/client.js';

const KEEP_MS = 5 * 60_000;

export class ActiveVatRates {
  private readonly known = new Map<string, { until: number; rates: Promise<ReadonlySet<string>> }>();

  of(connection: Connection, storno: StornoClient, { fresh = false } = {}): Promise<ReadonlySet<string>> {
    const hit = this.known.get(connection.id);
    if (hit && !fresh && hit.until > Date.now()) return hit.rates;
    const entry = { until: Date.now() + KEEP_MS, rates: read(storno) };
    this.known.set(connection.id, entry);
    // A failed read is not remembered: the next build asks Storno again.
    entry.rates.catch(() => this.known.get(connection.id) === entry && this.known.delete(connection.id));
    return entry.rates;
  }
}

async function read(storno: StornoClient): Promise<ReadonlySet<string>> {
  return new Set((await storno.listVatRates()).filter((r) => r.isActive !== false).map((r) => r.rate));
}
