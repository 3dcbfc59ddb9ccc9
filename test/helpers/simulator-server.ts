import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimRequest, SimRoute } from '../../src/simulator/index.js';

// A tiny node:http adapter for the simulator's framework-neutral routes, so tests exercise the simulator over real
// HTTP on 127.0.0.1 without Fastify (which only src/http may import). Paths match Fastify-style `:param` segments.

export interface RunningSimulatorServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;

function compile(path: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  const pattern = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':')
        ? ((names.push(segment.slice(1)), '([^/]+)'))
        : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return { regex: new RegExp(`^${pattern}$`), names };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startSimulatorServer(routes: readonly SimRoute[], options: { port?: number } = {}): Promise<RunningSimulatorServer> {
  const compiled = routes.map((route) => ({ route, ...compile(route.path) }));
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const match = compiled
        .filter((entry) => entry.route.method === req.method)
        .map((entry) => ({ entry, result: entry.regex.exec(url.pathname) }))
        .find((candidate) => candidate.result !== null);
      if (!match || !match.result) {
        res.writeHead(404).end('not found');
        return;
      }
      const params: Record<string, string> = {};
      match.entry.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match.result?.[index + 1] ?? '');
      });
      const raw = await readBody(req);
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      let body: SimRequest['body'];
      if (match.entry.route.body === 'raw') body = raw;
      else if (match.entry.route.body === 'form') body = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
      else body = undefined;
      const answer = await match.entry.route.handle({ params, query: Object.fromEntries(url.searchParams), body, headers });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator test adapter: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
