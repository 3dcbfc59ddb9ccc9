// Whether a parsed CRL may answer for certificates of `issuer` at an instant (nemid-protocol.md §7): v2, an accepted
// signature algorithm, signed by the issuer's key, issuer name equal, thisUpdate ≤ at ≤ nextUpdate, a full CRL (no
// IssuingDistributionPoint, not a delta) and no critical extension we do not understand.
import type { ParsedCertificate } from './certificate.js';
import type { ParsedCrl } from './crl.js';
import { namesEqual, type ParsedName } from './names.js';
import { verifySignature } from './signatures.js';

export type CrlJudgement =
  | { ok: true; withinGrace: boolean }
  | { ok: false; problem: 'invalid' | 'not-yet-valid' | 'stale'; reason: string };

/** The signature-and-shape half, independent of time: it can be cached per (CRL, issuer). */
export function crlSignedBy(
  crl: ParsedCrl,
  issuer: ParsedCertificate,
  options: { partition?: ParsedName } = {},
): { ok: true } | { ok: false; reason: string } {
  if (crl.version !== 2) return { ok: false, reason: 'not a v2 CRL' };
  if (crl.signatureAlgorithm !== crl.tbsSignatureAlgorithm) return { ok: false, reason: 'signature algorithm fields differ' };
  if (!namesEqual(crl.issuerName, issuer.subjectName)) return { ok: false, reason: 'CRL issuer is not the certificate issuer' };
  if (crl.authorityKeyIdHex && issuer.subjectKeyIdHex && crl.authorityKeyIdHex !== issuer.subjectKeyIdHex) {
    return { ok: false, reason: 'CRL authority key identifier does not match the issuer' };
  }
  if (issuer.hasKeyUsage && !issuer.keyUsage.includes('cRLSign')) return { ok: false, reason: 'issuer may not sign CRLs' };
  if (options.partition) {
    const partition = options.partition;
    if (!crl.issuingDistributionPointNames.some((name) => namesEqual(name, partition))) {
      return { ok: false, reason: 'partition CRL does not name the expected partition' };
    }
  } else if (crl.hasIssuingDistributionPoint) {
    return { ok: false, reason: 'a partition CRL where a full CRL was expected' };
  }
  if (crl.isDelta) return { ok: false, reason: 'delta CRL' };
  if (crl.unknownCriticalExtensions.length > 0) return { ok: false, reason: 'unknown critical CRL extension' };
  if (!verifySignature(crl.signatureAlgorithm, crl.tbsDer, crl.signature, issuer.publicKey)) {
    return { ok: false, reason: 'CRL signature invalid' };
  }
  return { ok: true };
}

/** The time half. `graceMs` (configured, default 0) lets a CRL past nextUpdate answer a little longer. */
export function crlCurrentAt(crl: ParsedCrl, at: Date, graceMs = 0): CrlJudgement {
  if (!crl.nextUpdate) return { ok: false, problem: 'invalid', reason: 'CRL without nextUpdate' };
  if (crl.thisUpdate.getTime() > at.getTime()) return { ok: false, problem: 'not-yet-valid', reason: 'CRL thisUpdate is in the future' };
  const overdue = at.getTime() - crl.nextUpdate.getTime();
  if (overdue <= 0) return { ok: true, withinGrace: false };
  if (overdue <= graceMs) return { ok: true, withinGrace: true };
  return { ok: false, problem: 'stale', reason: 'CRL past nextUpdate' };
}
