import { IdpError } from '../errors/index.js';
import type { OcesIdentity } from '../pki/index.js';

// The SP policy part of step 6 (nemid-protocol.md §4.5, saml-profile.md policy): login/ calls this with the SP's
// `allowedCertificates` and `youthCertificates` after the response verified.

export interface CertificatePolicy {
  readonly allowedCertificates: readonly ('POCES' | 'MOCES')[];
  readonly youthCertificates: 'allow' | 'deny';
}

export function checkCertificatePolicy(identity: Pick<OcesIdentity, 'type' | 'youth'>, policy: CertificatePolicy): void {
  if (!policy.allowedCertificates.includes(identity.type as 'POCES' | 'MOCES')) {
    throw new IdpError('NEMID_CERT_TYPE_NOT_ALLOWED', 'certificate type not allowed by the SP policy', {
      detail: { type: identity.type },
    });
  }
  if (identity.youth !== false && policy.youthCertificates !== 'allow') {
    // Fail closed: a youth flag that is not explicitly false counts as youth under a deny policy.
    throw new IdpError('NEMID_YOUTH_DENIED', 'youth certificates are denied by the SP policy');
  }
}
