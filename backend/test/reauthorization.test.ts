// When Storno refuses the stored credentials (revoked at Storno), the connection asks for re-authorization.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../sandbox/stripe/index.js';
import { connectDemo, startWorld, type Session, type World } from './support/world.js';

describe('credentials revoked at Storno', () => {
  let world: World;
  let s: Session;
  beforeAll(async () => {
    world = await startWorld();
    s = await connectDemo(world);
  });
  afterAll(async () => world?.close());

  it('marks the connection and answers 401 reauthorization_required, so the extension prompts a reconnect', async () => {
    expect((await s.get(`/invoices/${DEMO.invoices.b2b}`)).statusCode).toBe(200);
    const connection = (await world.app.services.connections.byAccount(s.accountId))!;
    const credentials = world.app.services.connections.credentials(connection)!;
    // The merchant revokes the app at Storno; our access token also runs out.
    await fetch(`${world.storno.url}/api/v1/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: credentials.refreshToken }),
    });
    await world.app.db.prisma.connection.update({ where: { id: connection.id }, data: { stornoCredentials: world.app.services.connections.seal({ ...credentials, expiresAt: Date.now() - 1000 }) } });

    const refused = await s.get(`/customers/${DEMO.customers.b2bCluj}`); // a view that talks to Storno
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toBe('reauthorization_required');
    expect((await world.app.services.connections.byId(connection.id))!.status).toBe('reauthorization_required');

    // Home and Settings still load from our own data, with the state that asks for a reconnect (issue 12).
    const settings = await s.get('/settings');
    expect(settings.statusCode).toBe(200);
    expect(settings.json().status).toBe('reauthorization_required');
    const home = await s.get('/dashboard');
    expect(home.statusCode).toBe(200);
    expect(home.json().connectionStatus).toBe('reauthorization_required');
    // Auto mode can be switched off, and Disconnect works.
    const off = await s.put('/settings', { autoMode: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().autoMode).toBe(false);
    expect((await s.post('/disconnect')).json()).toEqual({ status: 'disconnected' });
    expect((await s.get('/settings')).statusCode).toBe(401);
  });
});
