import type { ErrorCode } from '../../errors/index.js';
import { NS, childElements, singleText } from '../../xml/index.js';
import { AC_X509, LOA_LOW, LOA_SUBSTANTIAL } from '../constants.js';

// Check 10 (saml-profile.md §2.6): a NemID two-factor login is X509 and NSIS Substantial. Returns the class ref the
// AuthnStatement will carry, echoing an NSIS request as Substantial.

export function checkAuthnContext(signedRoot: Element): { authnContextClassRef: string; error?: ErrorCode } {
  const [requested, ...more] = childElements(signedRoot, NS.samlp, 'RequestedAuthnContext');
  if (!requested) return { authnContextClassRef: AC_X509 };
  const refused = { authnContextClassRef: AC_X509, error: 'SAML_AUTHN_CONTEXT_UNSUPPORTED' as const };
  if (more.length > 0 || childElements(requested, NS.saml, 'AuthnContextDeclRef').length > 0) return refused;
  // xmldom returns '' (not null) for a missing attribute, so presence is asked explicitly.
  const comparison = requested.hasAttribute('Comparison') ? requested.getAttribute('Comparison') : 'exact';
  const satisfying = comparison === 'exact' ? [AC_X509, LOA_SUBSTANTIAL] : comparison === 'minimum' ? [AC_X509, LOA_SUBSTANTIAL, LOA_LOW] : [];
  const refs = childElements(requested, NS.saml, 'AuthnContextClassRef').map((ref) => singleText(ref, 'SAML_XML_FORBIDDEN').trim());
  const first = refs.find((ref) => satisfying.includes(ref));
  if (first === undefined) return refused;
  return { authnContextClassRef: first === AC_X509 ? AC_X509 : LOA_SUBSTANTIAL };
}
