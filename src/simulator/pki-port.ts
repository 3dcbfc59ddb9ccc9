import type { KeyObject } from 'node:crypto';
import type { TestUser } from './users/test-users.js';

// What the simulator needs from the development PKI (src/pki dev-pki): its CA certificates, one credential per test
// user, a forged look-alike chain for the `untrusted-root` fault, revocation status, CRLs and OCSP answers.
// create-simulator adapts dev-pki to this shape, so the simulator's routes do not depend on dev-pki's internals.

export interface SimulatorCredential {
  certificateDer: Buffer;
  privateKey: KeyObject;
}

export interface ForgedChain {
  leafDer: Buffer;
  issuingCaDer: Buffer;
  rootDer: Buffer;
  privateKey: KeyObject;
}

export type CaName = 'root' | 'issuing';

export interface OcspAnswerOptions {
  now: Date;
  /** Control switch: answer this status whatever the certificate's real state. */
  forceStatus?: 'unknown' | 'revoked';
  /** Control switch: corrupt the responder's signature. */
  badSignature?: boolean;
}

export interface SimulatorPki {
  rootDer: Buffer;
  issuingCaDer: Buffer;
  /** The certificate and key of a test user; the same every time for the same user. */
  userCredential(user: TestUser): Promise<SimulatorCredential>;
  forgedChain(user: TestUser): Promise<ForgedChain>;
  isRevoked(certificateDer: Buffer): boolean;
  /** A freshly signed full CRL of `ca` with the given window (v2, reasonCode entries). */
  crl(ca: CaName, thisUpdate: Date, nextUpdate: Date): Promise<Buffer>;
  /** A DER OCSPResponse for a DER OCSPRequest (SHA-1 or SHA-256 CertID, nonce echoed). */
  ocsp(requestDer: Buffer, options: OcspAnswerOptions): Promise<Buffer>;
}
