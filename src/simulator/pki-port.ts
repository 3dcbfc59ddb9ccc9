import type { KeyObject } from 'node:crypto';
import type { UserIdentity } from './users/model.js';

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

/** The registry's view of its created users' certificates, for CRL and OCSP answers. */
export interface RegistryCertificates {
  /** Serials of revoked user certificates, with the instant of revocation. */
  revoked: ReadonlyMap<string, Date>;
  /** Serials of every created user's certificate (good unless revoked). */
  known: ReadonlySet<string>;
}

export interface OcspAnswerOptions {
  now: Date;
  registry?: RegistryCertificates;
  /** Control switch: answer this status whatever the certificate's real state. */
  forceStatus?: 'unknown' | 'revoked';
  /** Control switch: corrupt the responder's signature. */
  badSignature?: boolean;
}

export interface SimulatorPki {
  rootDer: Buffer;
  issuingCaDer: Buffer;
  /** The certificate and key of a test user; the same every time for the same user. */
  userCredential(user: UserIdentity): Promise<SimulatorCredential>;
  forgedChain(user: UserIdentity): Promise<ForgedChain>;
  isRevoked(certificateDer: Buffer): boolean;
  /** A freshly signed full CRL of `ca` with the given window (v2, reasonCode entries), listing `registry`'s revocations too. */
  crl(ca: CaName, thisUpdate: Date, nextUpdate: Date, registry?: RegistryCertificates): Promise<Buffer>;
  /** Issues a created user's certificate from the simulator's CA (absent: this PKI cannot issue, e.g. fixtures). */
  issueCertificate?(user: UserIdentity, now: Date): Promise<{ certificateDer: Buffer; privateKeyPem: string; serialHex: string }>;
  /** A DER OCSPResponse for a DER OCSPRequest (SHA-1 or SHA-256 CertID, nonce echoed). */
  ocsp(requestDer: Buffer, options: OcspAnswerOptions): Promise<Buffer>;
}
