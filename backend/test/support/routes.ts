// Every route an app built from this config registers (method and URL, HEAD and CORS preflights left out).
import { buildApp } from '../../src/app.js';
import { testConfig } from './config.js';
import { makeTestDatabase } from './databases.js';

export interface RegisteredRoute {
  method: string;
  url: string;
}

export async function registeredRoutes(env: Record<string, string> = {}): Promise<RegisteredRoute[]> {
  const db = makeTestDatabase('sqlite');
  const app = buildApp(testConfig({ DATABASE_URL: db.url, ...env }), { migrate: false });
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url: route.url });
  });
  await app.ready();
  await app.close();
  await db.cleanup();
  return routes;
}
