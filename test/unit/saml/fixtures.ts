// Shared fixture loading for the saml unit tests (not a test file itself).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SamlSubject } from '../../../src/saml/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/saml/', import.meta.url));
export const fixture = (name: string) => readFileSync(FIXTURES + name, 'utf8');

export const IDP = { entityId: 'https://idp.test/saml/metadata', baseUrl: 'https://idp.test' };
export const idpSigning = { key: fixture('idp-signing.TEST-ONLY.key.pem'), cert: fixture('idp-signing.TEST-ONLY.cert.pem') };
export const spSigning = { key: fixture('sp-signing.TEST-ONLY.key.pem'), cert: fixture('sp-signing.TEST-ONLY.cert.pem') };
export const spEncryption = { key: fixture('sp-encryption.TEST-ONLY.key.pem'), cert: fixture('sp-encryption.TEST-ONLY.cert.pem') };
export const otherKey = { key: fixture('other-sp.TEST-ONLY.key.pem'), cert: fixture('other-sp.TEST-ONLY.cert.pem') };
export const VALID_REGISTRY_DIR = FIXTURES + 'registry/valid';

export const privateSubject: SamlSubject = {
  capacity: 'private',
  subjectSerialNumber: 'PID:9208-2002-2-751708631151',
  pid: '9208-2002-2-751708631151',
  commonName: 'Tilde Nilsson',
  organizationName: 'Ingen organisatorisk tilknytning',
  organizationNameWithoutCvr: 'Ingen organisatorisk tilknytning',
  certificateSerialHex: '5f9c3687',
  issuerDn: 'CN=TRUST2408 Systemtest XXXIV CA,O=TRUST2408,C=DK',
  certificateDerBase64: 'MIIBdGVzdA==',
  youth: false,
  pseudonym: false,
  identityAssuranceLevel: '2',
  cpr: '0101011234',
  x509Subject: { c: 'DK', o: 'Ingen organisatorisk tilknytning', cn: 'Tilde Nilsson', serialNumber: 'PID:9208-2002-2-751708631151' },
};

export const employeeSubject: SamlSubject = {
  capacity: 'employee',
  subjectSerialNumber: 'CVR:30808460-RID:1234',
  cvr: '30808460',
  rid: '1234',
  commonName: 'Anne <Admin> & Co',
  email: 'anne@example.dk',
  organizationName: 'Firma A/S // CVR:30808460',
  organizationNameWithoutCvr: 'Firma A/S',
  certificateSerialHex: '4A1B',
  issuerDn: 'CN=TRUST2408 Systemtest XXXIV CA,O=TRUST2408,C=DK',
  certificateDerBase64: 'MIIBdGVzdA==',
  youth: false,
  pseudonym: false,
  x509Subject: { c: 'DK', o: 'Firma A/S // CVR:30808460', cn: 'Anne <Admin> & Co', serialNumber: 'CVR:30808460-RID:1234' },
};
