import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { IdpError } from '../../errors/index.js';

export interface ReadinessCheck {
  readonly ok: boolean;
  readonly detail?: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  readonly nearestCertificateExpiry?: string;
}

export interface OperationsDependencies {
  readiness(): Promise<ReadinessReport>;
  metrics: Registry;
}

/**
 * Who may see what. `full`: /metrics and the detailed /readyz to anyone who reaches this listener (the separate
 * operations listener, or the simulator's one port). `status-only`: the public port beside a separate operations
 * listener; /readyz says ready or not ready, /metrics does not exist. `token`: the public port with a bearer
 * token; without it /readyz says only ready or not ready and /metrics is 401.
 */
export type OperationsExposure = { kind: 'full' } | { kind: 'status-only' } | { kind: 'token'; token: string };

const NO_RATE_LIMIT = { config: { rateLimit: false } } as const;

function bearerMatches(request: FastifyRequest, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match) return false;
  const given = Buffer.from(match[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** /healthz: the process answers. /readyz: it can serve logins now. /metrics: Prometheus text. */
export function registerOperationsRoutes(app: FastifyInstance, deps: OperationsDependencies, exposure: OperationsExposure = { kind: 'full' }): void {
  const detailed = (request: FastifyRequest) => exposure.kind === 'full' || (exposure.kind === 'token' && bearerMatches(request, exposure.token));
  app.get('/healthz', NO_RATE_LIMIT, async (_request, reply) => {
    await reply.type('application/json').send({ status: 'ok' });
  });
  app.get('/readyz', NO_RATE_LIMIT, async (request, reply) => {
    const report = await deps.readiness();
    const status = report.ready ? 'ready' : 'not ready';
    await reply
      .code(report.ready ? 200 : 503)
      .type('application/json')
      .send(detailed(request) ? { status, ...report } : { status, ready: report.ready });
  });
  if (exposure.kind === 'status-only') return;
  app.get('/metrics', NO_RATE_LIMIT, async (request, reply) => {
    if (!detailed(request)) {
      reply.header('www-authenticate', 'Bearer realm="nemid-idp operations"');
      throw new IdpError('OPERATIONS_UNAUTHORIZED', 'metrics need the operations bearer token');
    }
    await reply.type(deps.metrics.contentType).send(await deps.metrics.metrics());
  });
}
