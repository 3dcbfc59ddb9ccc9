// A revocation source made only of given CRL files (CLI `--crl`, fixture tests): no network. A leaf whose issuer
// has no CRL among them is UNAVAILABLE; an issuing CA whose root has none is NOT_CHECKED (issue 4, CLI text).
import { DerError } from '../der.js';
import { parseCrl, type ParsedCrl } from '../crl.js';
import { crlCurrentAt, crlSignedBy } from '../crl-validation.js';
import { namesEqual } from '../names.js';
import type { RevocationAnswer, RevocationQuery, RevocationSource } from './types.js';

export function createStaticCrlSource(crlDers: readonly Buffer[], options: { graceMs?: number } = {}): RevocationSource {
  const crls: ParsedCrl[] = [];
  for (const der of crlDers) {
    try {
      crls.push(parseCrl(der));
    } catch (error) {
      // An unreadable file answers for nobody; the issuer it was meant for then has no CRL (fail closed).
      if (!(error instanceof DerError)) throw error;
    }
  }
  return {
    async check(query: RevocationQuery): Promise<RevocationAnswer> {
      // Newest first: an older CRL given alongside must not hide a later revocation.
      const candidates = crls
        .filter((crl) => namesEqual(crl.issuerName, query.issuer.subjectName))
        .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
      if (candidates.length === 0) {
        return query.role === 'ca'
          ? { status: 'NOT_CHECKED', reason: 'no CRL given for the issuing CA’s issuer' }
          : { status: 'UNAVAILABLE', reason: 'no CRL given for the issuer' };
      }
      const reasons: string[] = [];
      for (const crl of candidates) {
        const signed = crlSignedBy(crl, query.issuer);
        if (!signed.ok) {
          reasons.push(signed.reason);
          continue;
        }
        const current = crlCurrentAt(crl, query.at, options.graceMs ?? 0);
        if (!current.ok) {
          reasons.push(current.reason);
          continue;
        }
        const revoked = crl.revocationOf(query.certificate.serialHex);
        return revoked
          ? { status: 'REVOKED', source: 'crl', revoked }
          : { status: 'GOOD', source: 'crl', ...(current.withinGrace ? { reason: 'CRL past nextUpdate, within grace' } : {}) };
      }
      return { status: 'UNAVAILABLE', reason: reasons.join('; ') };
    },
  };
}
