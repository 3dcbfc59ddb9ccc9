// dev-pki: the simulator's generated test PKI (re-exported by pki/index.ts).
export type { DevPkiCredential, DevPkiUser, IssueUserOptions, RevocationRecord, GenerateDevPkiOptions } from './generate.js';
export { DevPki, generateDevPki, buildAuthorities, newRsaKey, STANDARD_USERS } from './generate.js';
export { writeDevPki, loadDevPki } from './persist.js';
export type { OcspLookup, OcspResponderOptions } from './ocsp-responder.js';
export { buildOcspResponse } from './ocsp-responder.js';
export type { CrlEntrySpec, CrlSpec, CrlReason, NameSpec, CertificateSpec } from './builders.js';
export { buildCrl, buildCertificate, encodeName, encodeCrlEntry, keyIdentifier } from './builders.js';
export { urlsFor, simulatorPolicy, leafName, ROOT_NAME, ISSUING_CA_NAME, type DevPkiUrls } from './layout.js';
