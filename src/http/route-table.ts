import type { TLSSocket } from 'node:tls';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';

// Mounts a framework-agnostic route table (the simulator's) on Fastify, so that only http/ imports Fastify.

export interface TableRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, string> | Buffer | undefined;
  headers: Record<string, string | undefined>;
  clientCertificateDer?: Buffer;
}

export interface TableResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface TableRoute {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: 'form' | 'raw' | 'none';
  handle(request: TableRequest): Promise<TableResponse>;
}

function flat(values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') out[key] = value[0];
  }
  return out;
}

function headersOf(request: FastifyRequest): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/**
 * A whole path prefix handed to a Node request listener as is (the MitID broker simulator's OpenID Provider):
 * Fastify neither parses the body nor adds headers. The listener sees the path below the prefix in `req.url` and the
 * full path in `req.originalUrl`, as a mounted Connect/Koa app would.
 */
export interface RawMount {
  prefix: string;
  listener(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void;
}

export function mountRaw(app: FastifyInstance, mount: RawMount): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    const handler = async (request: FastifyRequest, reply: { hijack(): void }) => {
      reply.hijack();
      const raw = request.raw as IncomingMessage & { originalUrl?: string };
      const full = raw.url ?? '/';
      raw.originalUrl = full;
      raw.url = full.slice(mount.prefix.length) || '/';
      if (!raw.url.startsWith('/')) raw.url = `/${raw.url}`;
      mount.listener(raw, (reply as unknown as { raw: ServerResponse }).raw);
    };
    scope.all(mount.prefix, handler);
    scope.all(`${mount.prefix}/*`, handler);
  });
}

/** The TLS client certificate the peer presented (on a listener that asks for one), as DER. */
function peerCertificateDer(request: FastifyRequest): Buffer | undefined {
  const socket = request.raw.socket as TLSSocket;
  if (!socket.encrypted || typeof socket.getPeerCertificate !== 'function') return undefined;
  const raw = socket.getPeerCertificate(false)?.raw;
  return Buffer.isBuffer(raw) && raw.length > 0 ? raw : undefined;
}

export function mountRouteTable(app: FastifyInstance, routes: readonly TableRoute[]): void {
  for (const route of routes) {
    app.register(async (scope) => {
      if (route.body === 'raw') {
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
      }
      scope.route({
        method: route.method,
        url: route.path,
        handler: async (request, reply) => {
          const body = route.body === 'raw' ? (Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)) : route.body === 'form' ? flat(request.body) : undefined;
          const clientCertificateDer = peerCertificateDer(request);
          const response = await route.handle({
            params: flat(request.params),
            query: flat(request.query),
            body,
            headers: headersOf(request),
            ...(clientCertificateDer ? { clientCertificateDer } : {}),
          });
          reply.code(response.status);
          for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
          return reply.send(response.body);
        },
      });
    });
  }
}
