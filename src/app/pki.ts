import type { Config } from '../config/index.js';
import type { Logger } from '../http/index.js';
import type { ServiceMetrics } from '../http/index.js';
import {
  createCertificateValidator,
  createCrlSource,
  createOcspSource,
  createRevocationSource,
  loadTrustStore,
  type CertificateValidator,
  type CrlSource,
} from '../pki/index.js';
import type { Clock } from '../shared/index.js';
import { crlCache, type Pool } from '../store/index.js';

export interface PkiWiring {
  readonly validator: CertificateValidator;
  readonly crlSource: CrlSource;
}

/**
 * The environment's pinned trust store and revocation (CRL shared through crl_cache, OCSP, or both), with metrics.
 * Fails start-up when the trust directory does not hold the environment's pinned root.
 */
export function wirePki(config: Config, pool: Pool, clock: Clock, log: Logger, metrics: ServiceMetrics): PkiWiring {
  const trustStore = loadTrustStore(config.environment, config.oces.trustDir);
  const pkiLog = log.child({ component: 'pki' });
  const fetchFailures = metrics.counter('nemid_idp_crl_fetch_failures_total', 'CRL downloads that failed', ['url']);
  const ocspLatency = metrics.histogram('nemid_idp_ocsp_request_seconds', 'OCSP request latency by outcome', ['outcome']);
  const onMetric = (metric: Parameters<NonNullable<Parameters<typeof createCrlSource>[0]['onMetric']>>[0]) => {
    if (metric.name === 'crl_fetch_failure') fetchFailures.inc({ url: metric.url });
    if (metric.name === 'crl_grace_used') pkiLog.warn({ url: metric.url }, 'revocation: CRL used inside its configured grace period past nextUpdate');
    if (metric.name === 'ocsp_request') ocspLatency.observe({ outcome: metric.outcome }, metric.seconds);
  };
  const crlSource = createCrlSource({
    allowedHosts: config.oces.revocationHosts,
    fetchTimeoutMs: config.oces.revocationTimeoutMs,
    maxBytes: config.oces.crlMaxBytes,
    graceMs: config.oces.revocationGraceSeconds * 1000,
    persistence: {
      get: (url) => crlCache.get(pool, url),
      put: async (url, entry) => {
        await crlCache.put(pool, url, entry, clock.now());
      },
    },
    clock,
    log: pkiLog,
    onMetric,
  });
  const ocsp = config.oces.revocationMode === 'crl'
    ? undefined
    : createOcspSource({ allowedHosts: config.oces.revocationHosts, timeoutMs: config.oces.revocationTimeoutMs, log: pkiLog, onMetric });
  const revocation = createRevocationSource({ mode: config.oces.revocationMode, crl: crlSource, ...(ocsp ? { ocsp } : {}) });
  metrics.setGaugeCollector('nemid_idp_crl_age_seconds', 'Age of each cached CRL since its thisUpdate', ['issuer'], () =>
    crlSource.crlStatus().map((s) => ({ labels: { issuer: s.issuer }, value: s.ageSeconds })),
  );
  metrics.setGaugeCollector('nemid_idp_crl_entries', 'Revoked serials in each cached CRL', ['issuer'], () =>
    crlSource.crlStatus().map((s) => ({ labels: { issuer: s.issuer }, value: s.entries })),
  );
  const validator = createCertificateValidator({ trustStore, revocation, clock, log: pkiLog });
  return { validator, crlSource };
}
