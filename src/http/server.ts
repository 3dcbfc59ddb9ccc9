import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { opaqueId } from '../shared/index.js';
import type { ServiceMetrics } from './metrics.js';
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
}

const TRACE_HEADER = 'x-trace-id';
const UNLIMITED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * A Fastify instance with everything every route needs: trace ids on every log line, security headers with CSP
 * nonces, signed cookies (a list of secrets: the first signs, all verify), form bodies, rate limits (not on the
 * operations endpoints), body limits and the one error renderer. Routes are added by the caller.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.log as unknown as FastifyBaseLogger,
    genReqId: () => opaqueId(),
    logController: new LogController({ requestIdLogLabel: 'traceId' }),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header(TRACE_HEADER, request.id);
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
    allowList: (request) => UNLIMITED_PATHS.has(request.url.split('?')[0] ?? ''),
  });
  const gate = options.requestGate;
  if (gate) {
    app.addHook('preHandler', async (request) => {
      if (!UNLIMITED_PATHS.has(request.url.split('?')[0] ?? '')) await gate();
    });
  }
  registerErrorHandling(app, options.errors);
  return app;
}
