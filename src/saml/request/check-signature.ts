import { IdpError } from '../../errors/index.js';
import { NS, allElements, assertUniqueIds, verifyEnvelopedSignature } from '../../xml/index.js';
import type { DecodedMessage } from '../bindings/decode.js';
import { verifyRedirectSignature } from '../bindings/redirect-signature.js';
import { LIMITS } from '../constants.js';
import type { RegisteredSp } from '../registry/types.js';
import { assertSameIssuer } from './check-issuer.js';

// Check 2 (saml-profile.md §2.3): every incoming request is signed (no policy relaxes this), with keys from the
// SP's metadata only. Returns the root every later check must read: for POST the root re-parsed from the signed
// bytes; for Redirect the parsed payload, all of which the query signature covers.

export function checkSignature(decoded: DecodedMessage, document: Document, sp: RegisteredSp): Element {
  const root = document.documentElement as Element;
  if (decoded.binding === 'redirect') {
    if (decoded.redirectSignaturePartial) throw new IdpError('SAML_SIGNATURE_MISSING', 'SigAlg and Signature must both be present');
    if (!decoded.redirectSignature) throw new IdpError('SAML_SIGNATURE_MISSING', 'Redirect message is not signed');
    if (allElements(root).some((element) => element.namespaceURI === NS.ds && element.localName === 'Signature')) {
      throw new IdpError('SAML_SIGNATURE_STRUCTURE_INVALID', 'ds:Signature inside a Redirect payload');
    }
    assertUniqueIds(root, 'SAML_SIGNATURE_STRUCTURE_INVALID');
    verifyRedirectSignature(decoded.redirectSignature, sp.signingCertificates, sp.policy.allowSha1);
    return root;
  }
  const verified = verifyEnvelopedSignature(document, decoded.unverifiedXml, {
    trustedCertificates: sp.signingCertificates,
    allowSha1: sp.policy.allowSha1,
    maxBytes: LIMITS.postBodyBytes,
    codes: {
      missing: 'SAML_SIGNATURE_MISSING',
      structure: 'SAML_SIGNATURE_STRUCTURE_INVALID',
      algorithm: 'SAML_SIGNATURE_ALGORITHM_REFUSED',
      invalid: 'SAML_SIGNATURE_INVALID',
      malformed: 'SAML_XML_FORBIDDEN',
    },
  });
  assertSameIssuer(verified.signedRoot, sp);
  return verified.signedRoot;
}
