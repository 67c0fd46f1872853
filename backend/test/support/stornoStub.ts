// Test support: a tiny real-HTTP Fastify stub on 127.0.0.1:0 whose answers each test scripts.
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

export interface RecordedRequest {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type StubHandler = (req: FastifyRequest, reply: FastifyReply, n: number) => unknown;

export interface Stub {
  url: string;
  requests: RecordedRequest[];
  /** Route → handler; a route is "METHOD /path" (no query). Unmatched routes answer 599. */
  on(route: string, handler: StubHandler): void;
  reset(): void;
  close(): Promise<void>;
  count(route: string): number;
}

export async function startStub(): Promise<Stub> {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const handlers = new Map<string, StubHandler>();
  const counts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  app.all('/*', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    const route = `${req.method} ${path}`;
    requests.push({ method: req.method, url: req.url, path, headers: req.headers, body: req.body });
    const n = (counts.get(route) ?? 0) + 1;
    counts.set(route, n);
    const handler = handlers.get(route);
    if (!handler) return reply.code(599).send({ error: `no stub for ${route}` });
    return handler(req, reply, n);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (route, handler) => void handlers.set(route, handler),
    reset: () => {
      handlers.clear();
      counts.clear();
      requests.length = 0;
    },
    close: () => app.close(),
    count: (route) => counts.get(route) ?? 0,
  };
}

/** Ends the TCP connection without any answer (a dropped connection). */
export function drop(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.hijack();
  req.raw.socket.destroy();
  return reply;
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
