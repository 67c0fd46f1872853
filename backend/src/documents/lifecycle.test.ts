// The lifecycle table as the store enforces it: the source status guards each step, only the step's actor may take
// it, and only the holder of a lease (its fencing token) writes, renews or releases.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDatabase, testDatabaseKinds, type TestDatabase } from '../../test/support/databases.js';
import { openDatabase, type Database } from '../db/database.js';
import { applyMigrations } from '../db/migrations.js';
import { LeaseLost } from './errors.js';
import { allows, IllegalTransition, obligationOf, TRANSITIONS } from './lifecycle.js';
import { DocumentStore, type Lease } from './store.js';

describe('the transition table', () => {
  it('every event names where it may start, where it may lead and who takes it', () => {
    for (const [event, t] of Object.entries(TRANSITIONS)) {
      expect(t.from.length, event).toBeGreaterThan(0);
      expect(t.to.length, event).toBeGreaterThan(0);
      expect(t.by.length, event).toBeGreaterThan(0);
    }
  });

  it('nothing leaves a final status, and only the merchant retries or resends', () => {
    for (const event of Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]) {
      if (event !== 'verdict') expect(allows(event, 'validated'), event).toBe(false);
      expect(allows(event, 'cancelled'), event).toBe(false);
    }
    expect(allows('retry', 'rejected', 'merchant')).toBe(true);
    expect(allows('retry', 'rejected', 'engine')).toBe(false);
    expect(allows('resend', 'rejected', 'engine')).toBe(false);
    expect(allows('issue', 'pending')).toBe(false);
  });

  it('a document waiting on a connection that needs re-authorization asks for a reconnect', () => {
    const link = { status: 'pending', hold: null, problem: null, outsideScope: false, stornoDocumentId: null };
    expect(obligationOf(link, 'reauthorization_required')).toEqual({ state: 'waiting_reconnect', action: 'reconnect' });
    expect(obligationOf({ ...link, hold: 'parent' }, 'active')).toEqual({ state: 'waiting_parent', action: null });
    expect(obligationOf({ ...link, status: 'validated' }, 'reauthorization_required')).toEqual({ state: 'done', action: null });
    // Issued and out of e-Factura's scope is done; issued for a Romanian buyer is still owed, whatever was read before.
    expect(obligationOf({ ...link, status: 'issued', outsideScope: true, stornoDocumentId: 's' }, 'active')).toEqual({ state: 'done', action: null });
    expect(obligationOf({ ...link, status: 'issued', outsideScope: false, stornoDocumentId: 's' }, 'active')).toEqual({ state: 'in_progress', action: null });
  });
});

describe.each(testDatabaseKinds())('leases and steps on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let store: DocumentStore;
  let connectionId: string;

  beforeAll(async () => {
    testDb = makeTestDatabase(kind);
    await applyMigrations(testDb.url);
    db = openDatabase(testDb.url);
    store = new DocumentStore(db.prisma);
    connectionId = randomUUID();
    await db.prisma.connection.create({
      data: {
        id: connectionId,
        stripeAccountId: `acct_${connectionId.slice(0, 8)}`,
        stornoCompanyId: 'co',
        companyName: 'Demo SRL',
        companyCif: 'RO1',
        authorizedByEmail: 'a@b.ro',
        authorizedByName: 'A',
        authorizedAt: new Date(),
        status: 'active',
      },
    });
  });
  afterAll(async () => {
    await db.close();
    await testDb.cleanup();
  });

  const newLink = () => store.ensure({ connectionId, kind: 'invoice', stripeObjectId: `in_${randomUUID().slice(0, 8)}`, origin: 'manual' });
  const expireLease = (linkId: string) => db.prisma.documentLink.update({ where: { id: linkId }, data: { lockedUntil: new Date(Date.now() - 1) } });

  it('one driver at a time; a driver whose lease was taken over can no longer write, renew or release', async () => {
    const link = await newLink();
    const first = (await store.lease(link.id))!;
    expect(first).toBeTruthy();
    expect(await store.lease(link.id)).toBeNull();

    await expireLease(link.id); // the first drive outlived its lease
    const second = (await store.lease(link.id))!;
    expect(second.token).not.toBe(first.token);

    await expect(store.commit(first, { providerError: 'stale' })).rejects.toBeInstanceOf(LeaseLost);
    await expect(store.renew(first)).rejects.toBeInstanceOf(LeaseLost);
    await store.release(first); // releases nothing of the second driver's
    expect(await store.lease(link.id)).toBeNull();

    const written = await store.commit(second, { documentNumber: 'FACT0001' }, { event: 'create', to: 'draft', by: 'engine' });
    expect(written).toMatchObject({ status: 'draft', documentNumber: 'FACT0001' });
    await store.release(second);
    expect(await store.lease(link.id)).not.toBeNull();
  });

  it('a step from the wrong status, or by the wrong actor, changes nothing', async () => {
    const link = await newLink();
    const lease: Lease = (await store.lease(link.id))!;
    await expect(store.commit(lease, { providerError: 'x' }, { event: 'issue', to: 'issued', by: 'engine' })).rejects.toBeInstanceOf(IllegalTransition);
    await store.commit(lease, {}, { event: 'reject', to: 'rejected', by: 'engine' });
    // A retry is the merchant's; the engine cannot take it (the type forbids it too).
    const byEngine = { event: 'retry', to: 'pending', by: 'engine' } as unknown as Parameters<DocumentStore['commit']>[2];
    await expect(store.commit(lease, {}, byEngine)).rejects.toBeInstanceOf(IllegalTransition);
    expect((await store.byId(connectionId, link.id))!.status).toBe('rejected');
    expect((await store.commit(lease, {}, { event: 'retry', to: 'pending', by: 'merchant' })).status).toBe('pending');
  });

  it("Home's deadline figures count what has not reached ANAF: an upload meets the deadline, a rejection owes it again", async () => {
    const conn = randomUUID();
    await db.prisma.connection.create({
      data: { id: conn, stripeAccountId: `acct_${conn.slice(0, 8)}`, stornoCompanyId: 'co', companyName: 'Demo SRL', companyCif: 'RO1', authorizedByEmail: 'a@b.ro', authorizedByName: 'A', authorizedAt: new Date(), status: 'active' },
    });
    const overdue = async (status: string) => {
      const link = await store.ensure({ connectionId: conn, kind: 'invoice', stripeObjectId: `in_${randomUUID().slice(0, 8)}`, origin: 'auto' });
      await db.prisma.documentLink.update({ where: { id: link.id }, data: { status, issueDate: '2025-01-06', stornoDocumentId: status === 'pending' ? null : 'st' } });
    };
    for (const status of ['pending', 'blocked', 'rejected', 'issued', 'sent_to_provider', 'validated', 'cancelled']) await overdue(status);
    const home = await store.dashboard(conn, 'active', 'all');
    expect(home.tiles.overdue).toBe(4); // pending, blocked, rejected, issued
    expect(home.tiles.dueSoon).toBe(0);
  });
});
