// Revocation sources (nemid-protocol.md §7); re-exported by pki/index.ts.
export type {
  RevocationStatus,
  RevocationQuery,
  RevocationAnswer,
  RevocationSource,
  Logger,
  PkiMetric,
  MetricHook,
  CrlPersistence,
} from './types.js';
export { silentLogger } from './types.js';
export type { CrlSource, CrlSourceOptions, CrlStatusEntry, CrlRefreshResult } from './crl-source.js';
export { createCrlSource } from './crl-source.js';
export { createStaticCrlSource } from './static-crl-source.js';
export { hostAllowed } from './http-fetch.js';
export type { OcspSourceOptions } from './ocsp-source.js';
export { createOcspSource, buildOcspRequest, judgeOcspResponse, ocspCertId } from './ocsp-source.js';
export type { RevocationMode } from './combined-source.js';
export { createRevocationSource } from './combined-source.js';
