import type { ErrorCode } from '../../errors/index.js';
import { NS, childElements, singleText } from '../../xml/index.js';
import { AC_X509, LOA_HIGH, LOA_LOW, LOA_SUBSTANTIAL } from '../constants.js';

// Check 10 (saml-profile.md §2.6, mitid.md "The authorization request"): the RequestedAuthnContext reduced to the
// NSIS levels that would satisfy it. Which eID can reach them is the login's decision (NemID: X509 = Substantial;
// MitID: up to High). Unknown class refs, declarations and the comparisons we cannot honour are refused here.

export type NsisLevelName = 'Low' | 'Substantial' | 'High';

export interface RequestedLevel {
  /** The lowest level that satisfies the request. */
  readonly minimum: NsisLevelName;
  /** Comparison="exact": only these levels satisfy it. */
  readonly exactly?: readonly NsisLevelName[];
  /** The SP asked for the X509 class (NemID-era OIOSAML 2): echoed for NemID logins. */
  readonly x509?: boolean;
}

const LEVEL_OF: Record<string, NsisLevelName> = { [LOA_LOW]: 'Low', [LOA_SUBSTANTIAL]: 'Substantial', [LOA_HIGH]: 'High', [AC_X509]: 'Substantial' };
const ORDER: readonly NsisLevelName[] = ['Low', 'Substantial', 'High'];

export function checkAuthnContext(signedRoot: Element): { authnContextClassRef: string; requestedLevel: RequestedLevel | null; error?: ErrorCode } {
  const [requested, ...more] = childElements(signedRoot, NS.samlp, 'RequestedAuthnContext');
  if (!requested) return { authnContextClassRef: AC_X509, requestedLevel: null };
  const refused = { authnContextClassRef: AC_X509, requestedLevel: null, error: 'SAML_AUTHN_CONTEXT_UNSUPPORTED' as const };
  if (more.length > 0 || childElements(requested, NS.saml, 'AuthnContextDeclRef').length > 0) return refused;
  // xmldom returns '' (not null) for a missing attribute, so presence is asked explicitly.
  const comparison = requested.hasAttribute('Comparison') ? requested.getAttribute('Comparison') : 'exact';
  if (comparison !== 'exact' && comparison !== 'minimum') return refused;
  const refs = childElements(requested, NS.saml, 'AuthnContextClassRef').map((ref) => singleText(ref, 'SAML_XML_FORBIDDEN').trim());
  const known = refs.filter((ref) => LEVEL_OF[ref] !== undefined);
  if (known.length === 0) return refused;
  const levels = [...new Set(known.map((ref) => LEVEL_OF[ref]!))].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const x509 = known.includes(AC_X509);
  const requestedLevel: RequestedLevel = comparison === 'exact' ? { minimum: levels[0]!, exactly: levels, ...(x509 ? { x509 } : {}) } : { minimum: levels[0]!, ...(x509 ? { x509 } : {}) };
  // What a NemID login (X509, NSIS Substantial) echoes: the first satisfying ref, as before.
  const nemidSatisfies = comparison === 'exact' ? [AC_X509, LOA_SUBSTANTIAL] : [AC_X509, LOA_SUBSTANTIAL, LOA_LOW];
  const first = refs.find((ref) => nemidSatisfies.includes(ref));
  return { authnContextClassRef: first === undefined || first === AC_X509 ? AC_X509 : LOA_SUBSTANTIAL, requestedLevel };
}
