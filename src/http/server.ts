import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { IdpError } from '../errors/index.js';
import { opaqueId } from '../shared/index.js';
import type { ServiceMetrics } from './metrics.js';
import { FAVICON_SVG } from './views/layout.js';
import { registerErrorHandling, type ErrorRendering } from './plugins/errors.js';
import { registerSecurityHeaders, type CspSources } from './plugins/security-headers.js';

export interface HttpServerOptions {
  readonly log: Logger;
  readonly cookieSecrets: readonly string[];
  readonly bodyLimitBytes: number;
  readonly rateLimitPerMinute: number;
  readonly trustProxy: boolean;
  readonly csp: CspSources;
  readonly errors: ErrorRendering;
  readonly metrics?: ServiceMetrics;
  /** Runs before every route but the operations endpoints; throwing refuses the request (e.g. schema behind). */
  readonly requestGate?: () => Promise<void>;
  /** The simulator's launcher pages are framed by the IdP's login page on another origin; nothing else is. */
  readonly allowFramingByCsp?: boolean;
  /** Sent as `x-served-by` on every response, so one login's steps can be traced across instances. */
  readonly servedBy?: string;
  /** True once SIGTERM started the drain: every response then closes its connection, so clients move on. */
  readonly draining?: () => boolean;
  /** Serve HTTPS with this key and certificate (PEM); `requestClientCertificate` asks the peer for one (the routes judge it). */
  readonly https?: { readonly keyPem: string; readonly certPem: string; readonly requestClientCertificate?: boolean };
}

const TRACE_HEADER = 'x-trace-id';
const UNLIMITED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
// HEAD is answered only where GET changes nothing. Fastify adds a HEAD route for every GET route and runs the GET
// handler for it: on /saml/sso that would open a login and spend the request ID, on /login/<id> advance the state.
const HEAD_ALLOWED_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/saml/metadata']);

const pathOf = (url: string) => url.split('?')[0] ?? '';

/** The client's address, or a fixed key once the socket is gone (request.ip is undefined after an early disconnect). */
export function rateLimitKey(request: { ip?: string; socket?: { remoteAddress?: string } | null }): string {
  return request.ip || request.socket?.remoteAddress || 'disconnected';
}

/**
 * A Fastify instance with everything every route needs: trace ids on every log line, security headers with CSP
 * nonces, signed cookies (a list of secrets: the first signs, all verify), form bodies, rate limits (not on the
 * operations endpoints), body limits and the one error renderer. Routes are added by the caller.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.log as unknown as FastifyBaseLogger,
    genReqId: () => opaqueId(),
    // One line per request (the onResponse hook below) instead of Fastify's two ("incoming request" + "request
    // completed"): logging was a tenth of the main thread's time per login (bench/login.ts profile).
    logController: new LogController({ requestIdLogLabel: 'traceId', disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    // Requests already on a kept-alive connection when close() starts are served (with Connection: close), not
    // answered 503: the drain before close() has told the balancer to stop sending new ones.
    return503OnClosing: false,
    routerOptions: { maxParamLength: 200 },
    ...(options.https
      ? {
          https: {
            key: options.https.keyPem,
            cert: options.https.certPem,
            minVersion: 'TLSv1.2' as const,
            requestCert: options.https.requestClientCertificate ?? false,
            // The route decides which client certificates it answers (the simulated PID-CPR pins the enrolled VOCES).
            rejectUnauthorized: false,
          },
        }
      : {}),
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      // The logger's req serializer keeps only the method, the path with parameter names, and the user agent.
      { req: { method: request.method, url: request.url, headers: request.headers }, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime },
      'request completed',
    );
  });
  const draining = options.draining ?? (() => false);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(TRACE_HEADER, request.id);
    if (options.servedBy) reply.header('x-served-by', options.servedBy);
    if (draining()) reply.header('connection', 'close');
    if (request.method === 'HEAD' && !HEAD_ALLOWED_PATHS.has(pathOf(request.url))) {
      reply.header('allow', 'GET, POST');
      throw new IdpError('METHOD_NOT_ALLOWED', 'HEAD is not answered on routes whose GET changes state');
    }
  });
  if (options.metrics) {
    const histogram = options.metrics.httpDuration;
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      histogram.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });
  }
  await app.register(cookie, { secret: [...options.cookieSecrets], parseOptions: {} });
  await app.register(formbody, { bodyLimit: options.bodyLimitBytes });
  await registerSecurityHeaders(app, options.csp, { frameguard: !options.allowFramingByCsp });
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (request) => rateLimitKey(request),
    allowList: (request) => UNLIMITED_PATHS.has(pathOf(request.url)),
  });
  const gate = options.requestGate;
  if (gate) {
    app.addHook('preHandler', async (request) => {
      if (!UNLIMITED_PATHS.has(pathOf(request.url))) await gate();
    });
  }
  registerErrorHandling(app, options.errors);
  // Browsers ask for /favicon.ico on every origin; one small mark instead of a 404 (and a console error) per page.
  for (const path of ['/favicon.ico', '/favicon.svg']) {
    app.get(path, async (_request, reply) => {
      await reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG);
    });
  }
  return app;
}
