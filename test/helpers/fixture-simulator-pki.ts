import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SimulatorPki } from '../../src/simulator/index.js';

// A SimulatorPki made of Nets' real pre-production credentials, for simulator tests that need real signatures
// before (or without) the dev-pki: every user signs with the genuine MOCES test key, its chain is the real XXII CA
// and Systemtest VII root; the "forged" chain is the self-signed look-alike. It serves no CRL or OCSP.

/** The real pre-production artifacts (test/fixtures/nemid-preproduction, README there). */
export const PP_FIXTURES = fileURLToPath(new URL('../fixtures/nemid-preproduction', import.meta.url));
const DIR = PP_FIXTURES;
const der = (path: string) => Buffer.from(new X509Certificate(readFileSync(`${DIR}/${path}`)).raw);

export function fixtureSimulatorPki(options: { revoked?: (certificateDer: Buffer) => boolean } = {}): SimulatorPki & { spVocesDer: Buffer } {
  const leaf = { certificateDer: der('certs/nemid-MOCES-employee-valid.cert.pem'), privateKey: createPrivateKey(readFileSync(`${DIR}/certs/nemid-MOCES-employee-valid.key.pem`)) };
  return {
    rootDer: der('trust/TRUST2408-Systemtest-VII-Primary-CA.cert.pem'),
    issuingCaDer: der('trust/TRUST2408-Systemtest-XXII-CA.cert.pem'),
    spVocesDer: der('certs/sp-test.cert.pem'),
    userCredential: async () => leaf,
    forgedChain: async () => ({
      leafDer: der('certs/self-signed-user.cert.pem'),
      issuingCaDer: der('certs/self-signed-intermediate.cert.pem'),
      rootDer: der('certs/self-signed-ca.cert.pem'),
      privateKey: createPrivateKey(readFileSync(`${DIR}/certs/self-signed-user.key.pem`)),
    }),
    isRevoked: options.revoked ?? (() => false),
    crl: async () => {
      throw new Error('the fixture PKI serves no CRL');
    },
    ocsp: async () => {
      throw new Error('the fixture PKI serves no OCSP');
    },
  };
}
