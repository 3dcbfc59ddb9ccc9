// REVOCATION_MODE (nemid-protocol.md §7): `crl`, `ocsp` or `crl+ocsp` (both must say GOOD) for the leaf; an issuing
// CA is always checked against its root's CRL.
import type { RevocationAnswer, RevocationSource } from './types.js';

export type RevocationMode = 'crl' | 'ocsp' | 'crl+ocsp';

export function createRevocationSource(options: { mode: RevocationMode; crl: RevocationSource; ocsp?: RevocationSource }): RevocationSource {
  const { mode, crl, ocsp } = options;
  if (mode !== 'crl' && !ocsp) throw new TypeError(`revocation mode ${mode} needs an OCSP source`);
  return {
    async check(query): Promise<RevocationAnswer> {
      if (query.role === 'ca' || mode === 'crl') return crl.check(query);
      if (mode === 'ocsp') return ocsp!.check(query);
      const [byCrl, byOcsp] = await Promise.all([crl.check(query), ocsp!.check(query)]);
      if (byCrl.status === 'REVOKED') return byCrl;
      if (byOcsp.status === 'REVOKED') return byOcsp;
      if (byCrl.status === 'GOOD' && byOcsp.status === 'GOOD') return { status: 'GOOD' };
      return { status: 'UNAVAILABLE', reason: [byCrl.reason, byOcsp.reason].filter(Boolean).join('; ') || 'not both good' };
    },
  };
}
