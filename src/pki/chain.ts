// Path building from a leaf and an unordered bag of certificates to one of the store's pinned roots. A root found in
// the bag is never an anchor: only the store's roots, compared by fingerprint, end a path. Each link is checked by name,
// key identifier and signature, and each CA by basicConstraints, keyUsage and pathLength.
import type { ParsedCertificate } from './certificate.js';
import { isIssuedBy, type TrustStore } from './trust-store.js';

export type ChainResult =
  | { ok: true; path: ParsedCertificate[] } // leaf first, pinned root last
  | { ok: false; reason: string };

const MAX_INTERMEDIATES = 3;

function usableAsCa(certificate: ParsedCertificate, belowCount: number): boolean {
  const constraints = certificate.basicConstraints;
  if (!constraints?.ca) return false;
  if (constraints.pathLength !== undefined && belowCount > constraints.pathLength) return false;
  if (certificate.hasKeyUsage && !certificate.keyUsage.includes('keyCertSign')) return false;
  return certificate.unknownCriticalExtensions.length === 0;
}

/** Finds a path leaf → … → a pinned root; validity in time is judged separately (validity.ts). */
export function buildChain(leaf: ParsedCertificate, bag: readonly ParsedCertificate[], store: TrustStore): ChainResult {
  if (leaf.unknownCriticalExtensions.length > 0) return { ok: false, reason: 'leaf has an unknown critical extension' };
  if (leaf.isCa) return { ok: false, reason: 'leaf is a CA certificate' };
  const isRoot = (c: ParsedCertificate) => store.roots.some((root) => root.fingerprint256 === c.fingerprint256);
  if (isRoot(leaf)) return { ok: false, reason: 'leaf is the root' };
  const candidates = new Map<string, ParsedCertificate>();
  // Self-signed certificates from the bag are dropped: the only anchor is the pinned root.
  for (const certificate of [...store.issuingCas, ...bag]) {
    if (isRoot(certificate) || certificate.selfIssued) continue;
    if (certificate.fingerprint256 === leaf.fingerprint256) continue;
    candidates.set(certificate.fingerprint256, certificate);
  }

  const search = (path: ParsedCertificate[]): ParsedCertificate[] | undefined => {
    const current = path[path.length - 1]!;
    const intermediates = path.length - 1;
    const anchor = store.roots.find((root) => isIssuedBy(current, root) && usableAsCa(root, intermediates));
    if (anchor) return [...path, anchor];
    if (intermediates >= MAX_INTERMEDIATES) return undefined;
    for (const candidate of candidates.values()) {
      if (path.includes(candidate)) continue;
      if (!usableAsCa(candidate, intermediates)) continue;
      if (!isIssuedBy(current, candidate)) continue;
      const found = search([...path, candidate]);
      if (found) return found;
    }
    return undefined;
  };

  const path = search([leaf]);
  return path ? { ok: true, path } : { ok: false, reason: 'no path to the pinned root' };
}
