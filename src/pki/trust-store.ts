// Trust stores per environment: one root, pinned by the SHA-256 of its DER (never by name), plus the issuing CAs
// it signed. A directory holding any other root, or a root that does not match the pin, refuses to load, so the
// production, pre-production and simulator stores can never mix.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IdpError } from '../errors/index.js';
import { certificatesFromFile, parseCertificate, type ParsedCertificate } from './certificate.js';
import { namesEqual } from './names.js';
import type { Environment } from './oces-profile.js';
import { verifySignature } from './signatures.js';

/** nemid-protocol.md §6.1. */
export const PINNED_ROOT_SHA256: Readonly<Record<Exclude<Environment, 'simulator'>, string>> = {
  production: '92D8092EE77BC9208F0897DC05271894E63EF27933AE537FB983EEF0EAE3EEC8',
  preproduction: '0E2FD1FDA36A4BF3995E28619704D60E3382C91E44A2B458AB891316380B1D50',
};

/** The file in a simulator trust directory that holds its root's pin (written by dev-pki). */
export const SIMULATOR_PIN_FILE = 'pinned-root.sha256';

export interface TrustStore {
  readonly environment: Environment;
  readonly root: ParsedCertificate;
  readonly issuingCas: readonly ParsedCertificate[];
}

function normaliseFingerprint(value: string): string {
  return value.replace(/[:\s]/g, '').toUpperCase();
}

function refuse(message: string, detail?: Record<string, unknown>): never {
  throw new IdpError('CONFIG_INVALID', `trust store refused: ${message}`, detail ? { detail } : undefined);
}

/** Issued by `issuer`: name chaining, key identifiers where both are present, and the signature. */
export function isIssuedBy(certificate: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (!namesEqual(certificate.issuerName, issuer.subjectName)) return false;
  if (certificate.authorityKeyIdHex && issuer.subjectKeyIdHex && certificate.authorityKeyIdHex !== issuer.subjectKeyIdHex) {
    return false;
  }
  if (certificate.signatureAlgorithm !== certificate.tbsSignatureAlgorithm) return false;
  return verifySignature(certificate.signatureAlgorithm, certificate.tbsDer, certificate.signature, issuer.publicKey);
}

function isSelfSigned(certificate: ParsedCertificate): boolean {
  return namesEqual(certificate.issuerName, certificate.subjectName) && isIssuedBy(certificate, certificate);
}

/**
 * Builds a store from certificate DERs. `pinnedRootSha256` is required for the simulator and must equal the
 * built-in pin for production and pre-production when given.
 */
export function createTrustStore(
  environment: Environment,
  certificateDers: readonly Buffer[],
  options: { pinnedRootSha256?: string } = {},
): TrustStore {
  const builtIn = environment === 'simulator' ? undefined : PINNED_ROOT_SHA256[environment];
  const requested = options.pinnedRootSha256 ? normaliseFingerprint(options.pinnedRootSha256) : undefined;
  if (builtIn && requested && requested !== builtIn) refuse(`the ${environment} root pin cannot be overridden`);
  const pin = builtIn ?? requested;
  if (!pin) refuse('the simulator trust store needs a pinned root fingerprint');
  if (environment === 'simulator' && Object.values(PINNED_ROOT_SHA256).includes(pin)) refuse('the simulator cannot pin a real root');
  const unique = new Map<string, ParsedCertificate>();
  for (const der of certificateDers) {
    const certificate = parseCertificate(der, { errorCode: 'CONFIG_INVALID' });
    unique.set(certificate.fingerprint256, certificate);
  }
  const certificates = [...unique.values()];
  const roots = certificates.filter(isSelfSigned);
  if (roots.length !== 1) refuse(`expected exactly one root, found ${roots.length}`, { environment });
  const root = roots[0]!;
  if (root.fingerprint256 !== pin) refuse('the root does not match the pinned fingerprint', { environment, found: root.fingerprint256 });
  if (!root.isCa) refuse('the root is not a CA');
  const issuingCas = certificates.filter((c) => c !== root);
  for (const ca of issuingCas) {
    if (!ca.isCa || !isIssuedBy(ca, root)) refuse('a certificate is not an issuing CA signed by the pinned root', { subject: ca.subject });
  }
  return { environment, root, issuingCas };
}

/** Loads every .pem/.cer/.crt/.der file of `dir` (not recursive). */
export function loadTrustStore(environment: Environment, dir: string, options: { pinnedRootSha256?: string } = {}): TrustStore {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => /\.(pem|cer|crt|der)$/i.test(name)).sort();
  } catch (error) {
    throw new IdpError('CONFIG_INVALID', 'trust directory unreadable', { cause: error, detail: { dir } });
  }
  const ders = names.flatMap((name) => {
    try {
      return certificatesFromFile(readFileSync(join(dir, name)));
    } catch (error) {
      throw new IdpError('CONFIG_INVALID', 'trust file unreadable', { cause: error, detail: { file: name } });
    }
  });
  let pinnedRootSha256 = options.pinnedRootSha256;
  if (environment === 'simulator' && !pinnedRootSha256) {
    try {
      pinnedRootSha256 = readFileSync(join(dir, SIMULATOR_PIN_FILE), 'utf8').trim();
    } catch (error) {
      throw new IdpError('CONFIG_INVALID', 'simulator trust directory has no pin file', { cause: error, detail: { dir } });
    }
  }
  return createTrustStore(environment, ders, pinnedRootSha256 ? { pinnedRootSha256 } : {});
}
