import { ConfigError, type Config } from '../config/index.js';
import { isIdpError } from '../errors/index.js';
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
  type TrustStore,
} from '../pki/index.js';
import type { Clock } from '../shared/index.js';
import { crlCache, type Pool } from '../store/index.js';

export interface PkiWiring {
  readonly validator: CertificateValidator;
  readonly crlSource: CrlSource;
}

/**
 * The environment's trust store from OCES_TRUST_DIR with the roots OCES_ROOT_SHA256 pins (default: the genuine root).
 * Called before the database is touched; any refusal is a configuration error (exit 78) naming both settings and
 * the fingerprints, so an operator sees at once which root is in the folder and which one is pinned.
 */
export function loadServiceTrustStore(config: Config): TrustStore {
  try {
    return loadTrustStore(config.environment, config.oces.trustDir, config.oces.rootSha256 ? { pinnedRootSha256: config.oces.rootSha256 } : {});
  } catch (error) {
    if (!isIdpError(error, 'CONFIG_INVALID')) throw error;
    const detail = (error.detail ?? {}) as { unpinnedRoots?: string[]; missingPins?: string[]; pins?: string[]; found?: string[] };
    const pins = detail.pins ?? config.oces.rootSha256 ?? [];
    const lines = [
      `OCES_TRUST_DIR / OCES_ROOT_SHA256: ${error.message}`,
      `    OCES_TRUST_DIR=${config.oces.trustDir}`,
      `    OCES_ROOT_SHA256=${config.oces.rootSha256 ? config.oces.rootSha256.join(',') : `(unset: the genuine ${config.environment} root ${pins.join(',')})`}`,
      ...(detail.found ? [`    roots in OCES_TRUST_DIR: ${detail.found.join(', ') || 'none'}`] : []),
      ...(detail.unpinnedRoots?.length ? [`    add a root's fingerprint to OCES_ROOT_SHA256 to trust it, or remove it from OCES_TRUST_DIR`] : []),
      ...(detail.missingPins?.length ? [`    a pinned root must be in OCES_TRUST_DIR (or drop its pin)`] : []),
    ];
    throw new ConfigError([lines.join('\n')]);
  }
}

/** A pin other than the genuine root of the environment (a staging PKI or a rollover), for log and readiness. */
export function customPinNotice(config: Config, store: TrustStore): string | null {
  if (store.builtInPins || config.environment === 'simulator') return null;
  return `OCES_ROOT_SHA256 pins ${store.roots.map((r) => `${r.fingerprint256} (${r.subject})`).join(', ')} instead of the genuine ${config.environment} root`;
}

/**
 * Revocation (CRL shared through crl_cache, OCSP, or both) with metrics, and the validator over `trustStore`.
 */
export function wirePki(config: Config, trustStore: TrustStore, pool: Pool, clock: Clock, log: Logger, metrics: ServiceMetrics): PkiWiring {
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
