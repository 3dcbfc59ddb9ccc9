// Paths and loaders for the real NemID pre-production artifacts (test/fixtures/nemid-preproduction, see its README) used by the
// pki tests, plus the leaf/bag split of the certificates inside a captured response's KeyInfo.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certificatesFromFile, parseCertificate } from '../../../src/pki/index.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PP = join(REPO, 'test', 'fixtures', 'nemid-preproduction');
export const TRUST_DIR = (environment: 'production' | 'preproduction') => join(REPO, 'trust', environment);

/** Every CRL file valid at this instant (nemid-protocol.md §9). */
export const ALL_CRLS_AT = new Date('2021-05-13T13:00:00Z');
/** The forged chain expired on 2021-05-10: test it before that so trust, not expiry, is the reason. */
export const FORGED_AT = new Date('2021-01-01T00:00:00Z');

export function ppCrl(name: string): Buffer {
  return readFileSync(join(PP, 'crl', name));
}

export function allPpCrls(): Buffer[] {
  return readdirSync(join(PP, 'crl')).map((name) => readFileSync(join(PP, 'crl', name)));
}

export function ppCertificate(name: string): Buffer {
  const [der] = certificatesFromFile(readFileSync(join(PP, 'certs', name)));
  return der!;
}

/** The KeyInfo certificates of a response; the leaf is the one end-entity certificate among them. */
export function responseCertificates(name: string): { leaf: Buffer; bag: Buffer[] } {
  const xml = readFileSync(join(PP, 'responses', name), 'utf8');
  const bag = [...xml.matchAll(/<ds:X509Certificate>([^<]*)<\/ds:X509Certificate>/g)].map((m) =>
    Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'),
  );
  const leaves = bag.filter((der) => !parseCertificate(der).isCa);
  if (leaves.length !== 1) throw new Error(`${name}: expected one end-entity certificate`);
  return { leaf: leaves[0]!, bag };
}
