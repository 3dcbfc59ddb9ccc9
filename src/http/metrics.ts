import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The service's Prometheus registry. Other modules never import prom-client: they get plain callbacks
 * (`recordLogin`, `recordJob`, …) from app.ts, which keeps metrics an HTTP-side concern.
 */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly logins: Counter<'outcome' | 'code'>;
  readonly jobRuns: Counter<'job' | 'outcome'>;
  readonly jobRowsDeleted: Counter<'job'>;
  setGaugeCollector(name: string, help: string, labelNames: string[], collect: () => Array<{ labels: Record<string, string>; value: number }>): void;
  counter(name: string, help: string, labelNames: string[]): Counter<string>;
  histogram(name: string, help: string, labelNames: string[]): Histogram<string>;
}

export function createServiceMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nemid_idp_' });
  const httpDuration = new Histogram({
    name: 'nemid_idp_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const logins = new Counter({
    name: 'nemid_idp_logins_total',
    help: 'Finished logins by outcome (success, failure, cancelled) and catalogue code',
    labelNames: ['outcome', 'code'] as const,
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'nemid_idp_job_runs_total',
    help: 'Job runs on this instance by outcome (ok, failed, skipped: another instance had the slot)',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const jobRowsDeleted = new Counter({
    name: 'nemid_idp_job_rows_deleted_total',
    help: 'Rows deleted by jobs',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    logins,
    jobRuns,
    jobRowsDeleted,
    counter(name, help, labelNames) {
      return new Counter({ name, help, labelNames, registers: [registry] });
    },
    histogram(name, help, labelNames) {
      return new Histogram({ name, help, labelNames, registers: [registry], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    },
    setGaugeCollector(name, help, labelNames, collect) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          for (const sample of collect()) this.set(sample.labels, sample.value);
        },
      });
    },
  };
}
