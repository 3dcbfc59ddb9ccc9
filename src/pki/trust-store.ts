// Trust stores per environment: the roots pinned by the SHA-256 of their DER (never by name), plus the issuing CAs
// they signed. The pins default to the environment's genuine root (nemid-protocol.md §6.1) and may be set by
// configuration (OCES_ROOT_SHA256: a staging PKI, a root rollover). A folder holding a root that is not pinned, or a
// pin without its root, refuses to load (strict mode, the service); tools reading a folder of several environments
// select the pinned roots and what they signed, and ignore the rest. A genuine root is only ever trusted in its own
// environment, so production, pre-production and simulator stores never mix.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IdpError } from '../errors/index.js';
import { BoundedLru } from '../shared/index.js';
import { certificatesFromFile, isParsedFromDer, parseCertificate, type ParsedCertificate } from './certificate.js';
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
  /** The pinned roots (more than one during a rollover), in pin order. */
  readonly roots: readonly ParsedCertificate[];
  readonly issuingCas: readonly ParsedCertificate[];
  /** True when every pin is the environment's built-in genuine root. */
  readonly builtInPins: boolean;
}

export interface TrustStoreOptions {
  /** SHA-256 fingerprints (hex, colons optional) of the roots to trust; default: the environment's genuine root. */
  readonly pinnedRootSha256?: string | readonly string[];
  /**
   * `strict` (default): any other root or any certificate not signed by a pinned root refuses the store.
   * `select`: they are ignored (a folder holding several environments' certificates).
   */
  readonly mode?: 'strict' | 'select';
}

/** Upper-case hex without separators, or undefined when it is not a SHA-256 fingerprint. */
export function normaliseFingerprint(value: string): string | undefined {
  const hex = value.replace(/[:\s]/g, '').toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? hex : undefined;
}

function refuse(message: string, detail?: Record<string, unknown>): never {
  throw new IdpError('CONFIG_INVALID', `trust store refused: ${message}`, detail ? { detail } : undefined);
}

/** Issued by `issuer`: name chaining, key identifiers where both are present, and the signature. */
// Whether one certificate's signature verifies with another's key is a function of the two DERs alone (names, key
// identifiers, algorithm, key and signature are all inside them), so verdicts are kept by the pair of fingerprints
// (for certificates parseCertificate made) and no trust-store change can make one stale: a path is still built and
// judged against the current store, validity and revocation on every call.
const linkVerdicts = new BoundedLru<string, boolean>(1024);

export function isIssuedBy(certificate: ParsedCertificate, issuer: ParsedCertificate): boolean {
  if (!namesEqual(certificate.issuerName, issuer.subjectName)) return false;
  if (certificate.authorityKeyIdHex && issuer.subjectKeyIdHex && certificate.authorityKeyIdHex !== issuer.subjectKeyIdHex) {
    return false;
  }
  if (certificate.signatureAlgorithm !== certificate.tbsSignatureAlgorithm) return false;
  const verify = () => verifySignature(certificate.signatureAlgorithm, certificate.tbsDer, certificate.signature, issuer.publicKey);
  if (!isParsedFromDer(certificate) || !isParsedFromDer(issuer)) return verify();
  return linkVerdicts.getOrCreate(`${certificate.fingerprint256}<${issuer.fingerprint256}`, verify);
}

function isSelfSigned(certificate: ParsedCertificate): boolean {
  return namesEqual(certificate.issuerName, certificate.subjectName) && isIssuedBy(certificate, certificate);
}

function pinsFor(environment: Environment, given: TrustStoreOptions['pinnedRootSha256']): string[] {
  const list = given === undefined ? [] : typeof given === 'string' ? given.split(',') : [...given];
  const raw = list.map((p) => p.trim()).filter((p) => p.length > 0);
  if (raw.length === 0) {
    if (environment === 'simulator') refuse('the simulator trust store needs a pinned root fingerprint');
    return [PINNED_ROOT_SHA256[environment]];
  }
  const pins = raw.map((p) => normaliseFingerprint(p) ?? refuse(`not a SHA-256 fingerprint: ${p}`, { environment }));
  for (const pin of pins) {
    const other = (Object.entries(PINNED_ROOT_SHA256) as Array<[Environment, string]>).find(([env, fp]) => fp === pin && env !== environment);
    if (other) refuse(`the genuine ${other[0]} root cannot be pinned in the ${environment} environment`, { environment, pin });
  }
  return [...new Set(pins)];
}

/**
 * Builds a store from certificate DERs. Refusals are CONFIG_INVALID with `detail` naming the fingerprints
 * involved (`unpinnedRoots`, `missingPins`) so that start-up can name them.
 */
export function createTrustStore(environment: Environment, certificateDers: readonly Buffer[], options: TrustStoreOptions = {}): TrustStore {
  const mode = options.mode ?? 'strict';
  const pins = pinsFor(environment, options.pinnedRootSha256);
  const builtIn = environment === 'simulator' ? undefined : PINNED_ROOT_SHA256[environment];
  const unique = new Map<string, ParsedCertificate>();
  for (const der of certificateDers) {
    const certificate = parseCertificate(der, { errorCode: 'CONFIG_INVALID' });
    unique.set(certificate.fingerprint256, certificate);
  }
  const certificates = [...unique.values()];
  const selfSigned = certificates.filter(isSelfSigned);
  const missingPins = pins.filter((pin) => !selfSigned.some((root) => root.fingerprint256 === pin));
  const unpinnedRoots = selfSigned.filter((root) => !pins.includes(root.fingerprint256)).map((root) => root.fingerprint256);
  if (missingPins.length > 0 || (mode === 'strict' && unpinnedRoots.length > 0)) {
    const parts = [
      ...(unpinnedRoots.length > 0 && mode === 'strict' ? [`root(s) not pinned: ${unpinnedRoots.join(', ')}`] : []),
      ...(missingPins.length > 0 ? [`pinned root(s) not found: ${missingPins.join(', ')}`] : []),
    ];
    refuse(`${parts.join('; ')} (pinned: ${pins.join(', ')}; found: ${selfSigned.map((r) => r.fingerprint256).join(', ') || 'no root'})`, {
      environment,
      pins,
      found: selfSigned.map((r) => r.fingerprint256),
      unpinnedRoots,
      missingPins,
    });
  }
  const roots = pins.map((pin) => selfSigned.find((root) => root.fingerprint256 === pin)!);
  for (const root of roots) if (!root.isCa) refuse('a pinned root is not a CA', { subject: root.subject });
  const issuingCas: ParsedCertificate[] = [];
  for (const certificate of certificates) {
    if (selfSigned.includes(certificate)) continue;
    const signedByPinned = certificate.isCa && roots.some((root) => isIssuedBy(certificate, root));
    if (signedByPinned) issuingCas.push(certificate);
    else if (mode === 'strict') refuse('a certificate is not an issuing CA signed by a pinned root', { subject: certificate.subject });
  }
  return { environment, roots, issuingCas, builtInPins: builtIn !== undefined && pins.every((pin) => pin === builtIn) };
}

/** Loads every .pem/.cer/.crt/.der file of `dir` (not recursive). */
export function loadTrustStore(environment: Environment, dir: string, options: TrustStoreOptions = {}): TrustStore {
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
  const none = pinnedRootSha256 === undefined || (typeof pinnedRootSha256 !== 'string' && pinnedRootSha256.length === 0);
  if (environment === 'simulator' && none) {
    try {
      pinnedRootSha256 = readFileSync(join(dir, SIMULATOR_PIN_FILE), 'utf8').trim();
    } catch (error) {
      throw new IdpError('CONFIG_INVALID', 'simulator trust directory has no pin file', { cause: error, detail: { dir } });
    }
  }
  return createTrustStore(environment, ders, { ...options, ...(pinnedRootSha256 !== undefined ? { pinnedRootSha256 } : {}) });
}
