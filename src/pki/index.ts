// pki module: X.509 parsing, the OCES II profile, chains to pinned per-environment roots, revocation (CRL, OCSP) and
// the dev-pki generator. Trusts only the pinned root of the configured environment; every certificate, CRL and OCSP
// response is untrusted input until its signature chain to that root is checked here.
export type { OcesType, Environment, OcesIdentity } from './oces-profile.js';
export { readOcesIdentity, policyArc, SIMULATOR_POLICY_ARC, YOUTH_OU } from './oces-profile.js';
export type { ParsedCertificate, DistributionPoint } from './certificate.js';
export { parseCertificate, certificatesFromFile, derToPem, pemToDer } from './certificate.js';
export type { ParsedName, NameAttribute } from './names.js';
export { formatName, namesEqual } from './names.js';
export type { TrustStore } from './trust-store.js';
export { loadTrustStore, createTrustStore, isIssuedBy, PINNED_ROOT_SHA256, SIMULATOR_PIN_FILE } from './trust-store.js';
export type { ChainResult } from './chain.js';
export { buildChain } from './chain.js';
export type { ParsedCrl } from './crl.js';
export { parseCrl } from './crl.js';
export { crlSignedBy, crlCurrentAt } from './crl-validation.js';
export type { CertificateStatus, CertificateVerdict, CertificateValidator, ChainElement, ValidateOptions } from './validator.js';
export { createCertificateValidator, verdictErrorCode } from './validator.js';
export * from './revocation/index.js';
export * from './dev-pki/index.js';
export { OID, KEY_USAGE_BITS, type KeyUsageName } from './oids.js';
