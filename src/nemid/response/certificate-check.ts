import { IdpError } from '../../errors/index.js';
import { verdictErrorCode, type CertificateValidator, type CertificateVerdict, type OcesIdentity } from '../../pki/index.js';

// Steps 5–7 of nemid-protocol.md §4.5 are pki's: chain to the environment's pinned root, validity, OCES profile and
// revocation. Here its verdict becomes a catalogue code; only an explicit VALID verdict for a personal (POCES) or
// employee (MOCES) certificate passes.

export type LoginCertificateVerdict = CertificateVerdict & { identity: OcesIdentity; type: 'POCES' | 'MOCES' };

export async function checkLeafCertificate(
  validator: CertificateValidator,
  leafDer: Buffer,
  bagDers: Buffer[],
  options: { at: Date; revocation: 'check' | 'skip' },
): Promise<LoginCertificateVerdict> {
  let verdict: CertificateVerdict;
  try {
    verdict = await validator.validate(leafDer, bagDers, options);
  } catch (error) {
    if (error instanceof IdpError) throw error;
    throw new IdpError('NEMID_CERT_UNTRUSTED', 'certificate validation failed', { cause: error });
  }
  const detail = { status: verdict?.status, reason: verdict?.reason, revocation: verdict?.revocation };
  if (verdict?.status !== 'VALID') {
    const code = (verdict && verdictErrorCode(verdict)) ?? 'NEMID_CERT_UNTRUSTED';
    throw new IdpError(code, `certificate refused: ${verdict?.reason ?? verdict?.status}`, { detail });
  }
  const type = verdict.identity?.type;
  if (type !== 'POCES' && type !== 'MOCES') {
    // VOCES and FOCES never log in (§4.5 step 6), whatever the SP policy says.
    throw new IdpError('NEMID_CERT_TYPE_NOT_ALLOWED', 'only personal and employee certificates log in', { detail: { type } });
  }
  if (verdict.type !== undefined && verdict.type !== type) {
    throw new IdpError('NEMID_CERT_UNTRUSTED', 'verdict type and identity type disagree', { detail });
  }
  return { ...verdict, identity: verdict.identity as OcesIdentity, type };
}
