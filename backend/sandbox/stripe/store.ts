// In-memory object store of the fake, partitioned by Stripe account: an object is only visible to requests
// made for its own account, like connected-account data in real Stripe.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface StripeObject {
  id: string;
  object: string;
  created?: number;
  [key: string]: unknown;
}

/** Requests without a `Stripe-Account` header act on the platform's own account. */
export const PLATFORM_ACCOUNT = 'acct_platform';

interface Entry {
  obj: StripeObject;
  seq: number;
}

interface Snapshot {
  version: 1;
  accounts: Record<string, StripeObject[]>;
}

export class FakeStore {
  private readonly accounts = new Map<string, Map<string, Entry>>();
  private seq = 0;
  /** Called after every mutation (the persistence hook). */
  onChange: () => void = () => {};

  hasAccount(account: string): boolean {
    return this.accounts.has(account);
  }

  accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  /** Creates (or empties and refills) an account with the given objects. */
  createAccount(account: string, objects: StripeObject[] = []): void {
    this.accounts.set(account, new Map());
    for (const obj of objects) this.insert(account, obj);
    this.onChange();
  }

  dropAccount(account: string): void {
    this.accounts.delete(account);
    this.onChange();
  }

  put(account: string, obj: StripeObject): void {
    if (!obj.id || !obj.object) throw new Error('put() needs an object with `id` and `object`');
    this.insert(account, obj);
    this.onChange();
  }

  private insert(account: string, obj: StripeObject): void {
    let objects = this.accounts.get(account);
    if (!objects) {
      objects = new Map();
      this.accounts.set(account, objects);
    }
    // A replaced object keeps its place in list order, as an update does in Stripe.
    const previous = objects.get(obj.id);
    objects.set(obj.id, { obj, seq: previous?.seq ?? ++this.seq });
  }

  get(account: string, id: string): StripeObject | undefined {
    return this.accounts.get(account)?.get(id)?.obj;
  }

  remove(id: string, account?: string): boolean {
    let removed = false;
    for (const [name, objects] of this.accounts) {
      if (account && name !== account) continue;
      removed = objects.delete(id) || removed;
    }
    if (removed) this.onChange();
    return removed;
  }

  /** Objects of one type, newest first (Stripe's list order); ties keep reverse insertion order. */
  list(account: string, type: string, filter?: (obj: StripeObject) => boolean): StripeObject[] {
    const objects = this.accounts.get(account);
    if (!objects) return [];
    const entries: Entry[] = [];
    for (const entry of objects.values()) {
      if (entry.obj.object === type && (!filter || filter(entry.obj))) entries.push(entry);
    }
    entries.sort((a, b) => (b.obj.created ?? 0) - (a.obj.created ?? 0) || b.seq - a.seq);
    return entries.map((e) => e.obj);
  }

  snapshot(): Snapshot {
    const accounts: Record<string, StripeObject[]> = {};
    for (const [name, objects] of this.accounts) {
      accounts[name] = [...objects.values()].sort((a, b) => a.seq - b.seq).map((e) => e.obj);
    }
    return { version: 1, accounts };
  }

  restore(snapshot: Snapshot): void {
    this.accounts.clear();
    for (const [name, objects] of Object.entries(snapshot.accounts)) {
      this.accounts.set(name, new Map());
      for (const obj of objects) this.insert(name, obj);
    }
  }
}

/**
 * Optional JSON persistence: writes are debounced so that generating hundreds of payments in a test does
 * not rewrite the file each time; `flush()` runs on close.
 */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly store: FakeStore,
  ) {}

  /** Loads a previous state; returns false when there is none yet. */
  load(): boolean {
    if (!existsSync(this.path)) return false;
    this.store.restore(JSON.parse(readFileSync(this.path, 'utf8')) as Snapshot);
    return true;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), 200);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    writeFileSync(this.path, JSON.stringify(this.store.snapshot()));
  }
}
