import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCertificateValidator, createStaticCrlSource, loadTrustStore, type CertificateValidator } from '../../../src/pki/index.js';
import { PP_DIR, ppFile } from './pp-fixtures.js';

// The real pki validator over the committed PP trust store (trust/preproduction) and the real PP CRLs of 13 May 2021.
const TRUST_DIR = fileURLToPath(new URL('../../../trust/preproduction/', import.meta.url));

export function ppValidator(): CertificateValidator {
  const crls = readdirSync(fileURLToPath(new URL('crl/', PP_DIR)))
    .filter((name) => name.endsWith('.crl'))
    .map((name) => ppFile(`crl/${name}`));
  return createCertificateValidator({ trustStore: loadTrustStore('preproduction', TRUST_DIR), revocation: createStaticCrlSource(crls) });
}

export function productionValidator(): CertificateValidator {
  const dir = fileURLToPath(new URL('../../../trust/production/', import.meta.url));
  return createCertificateValidator({ trustStore: loadTrustStore('production', dir), revocation: createStaticCrlSource([]) });
}
