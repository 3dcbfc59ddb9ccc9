import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { registerOperationsRoutes, type OperationsDependencies } from './routes/operations.js';

/**
 * The separate operations listener (METRICS_PORT): /metrics, the detailed /readyz and /healthz, and nothing else.
 * Meant for the cluster network only (Prometheus, kubelet), never the balancer's public side.
 */
export async function createOperationsServer(log: Logger, deps: OperationsDependencies): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: log as unknown as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }) });
  registerOperationsRoutes(app, deps, { kind: 'full' });
  app.setNotFoundHandler(async (_request, reply) => {
    await reply.code(404).type('application/json').send({ error: 'NOT_FOUND' });
  });
  return app;
}
