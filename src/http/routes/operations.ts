import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

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

const NO_RATE_LIMIT = { config: { rateLimit: false } } as const;

/** /healthz: the process answers. /readyz: it can serve logins now. /metrics: Prometheus text. */
export function registerOperationsRoutes(app: FastifyInstance, deps: OperationsDependencies): void {
  app.get('/healthz', NO_RATE_LIMIT, async (_request, reply) => {
    await reply.type('application/json').send({ status: 'ok' });
  });
  app.get('/readyz', NO_RATE_LIMIT, async (_request, reply) => {
    const report = await deps.readiness();
    await reply.code(report.ready ? 200 : 503).type('application/json').send({ status: report.ready ? 'ready' : 'not ready', ...report });
  });
  app.get('/metrics', NO_RATE_LIMIT, async (_request, reply) => {
    await reply.type(deps.metrics.contentType).send(await deps.metrics.metrics());
  });
}
