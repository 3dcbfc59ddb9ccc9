import { IdpError } from '../../errors/index.js';
import { allowedSignatureAlgorithm, verifyRsa } from '../../xml/index.js';
import type { RedirectSignatureMaterial } from './decode.js';

// HTTP-Redirect signature check (saml-profile.md §2.3): SigAlg on the allow-list, the signature over the raw
// octets verified with a key from the sender's metadata. KeyInfo does not exist on this binding; nothing else is tried.

export function verifyRedirectSignature(material: RedirectSignatureMaterial, trustedCertificates: readonly string[], allowSha1: boolean): void {
  const algorithm = allowedSignatureAlgorithm(material.sigAlg, allowSha1);
  if (!algorithm) throw new IdpError('SAML_SIGNATURE_ALGORITHM_REFUSED', 'SigAlg not allowed', { detail: { sigAlg: material.sigAlg } });
  const valid = trustedCertificates.some((certificate) => verifyRsa(algorithm, Buffer.from(material.signedOctets, 'utf8'), certificate, material.signature));
  if (!valid) throw new IdpError('SAML_SIGNATURE_INVALID', 'Redirect signature does not verify with any key from the metadata');
}
