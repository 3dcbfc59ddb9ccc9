import { IdpError } from '../../errors/index.js';
import { NS, childElements, singleText } from '../../xml/index.js';
import { NAMEID_ENTITY } from '../constants.js';
import type { RegisteredSp, SpRegistry } from '../registry/types.js';

// Check 1 (saml-profile.md §2.2): saml:Issuer present, Format absent or entity, naming a registered SP character for
// character (no trimming: an entity ID is compared as a string, SAML core §8.3.6). Read from the unverified document
// only to choose the keys; check 2 then re-reads it from the signed bytes (sameIssuer).

export function issuerOf(root: Element): string {
  const [issuer, ...more] = childElements(root, NS.saml, 'Issuer');
  if (!issuer || more.length > 0) throw new IdpError('SAML_ISSUER_UNKNOWN', 'not exactly one saml:Issuer');
  const format = issuer.getAttribute('Format');
  if (issuer.hasAttribute('Format') && format !== NAMEID_ENTITY) throw new IdpError('SAML_ISSUER_UNKNOWN', 'Issuer Format is not entity');
  return singleText(issuer, 'SAML_XML_FORBIDDEN');
}

export function checkIssuer(unverifiedRoot: Element, registry: SpRegistry): RegisteredSp {
  const entityId = issuerOf(unverifiedRoot);
  const sp = registry.byEntityId(entityId);
  if (sp) return sp;
  // Said apart from an unknown issuer, so the SP's developer sees at once what to fix.
  if (entityId.trim() !== entityId && registry.byEntityId(entityId.trim())) {
    throw new IdpError('SAML_ISSUER_NOT_EXACT', 'Issuer matches a registered SP only after trimming white space', { detail: { issuer: entityId.trim() } });
  }
  throw new IdpError('SAML_ISSUER_UNKNOWN', 'Issuer is not a registered SP', { detail: { issuer: entityId } });
}

/** The signed document must name the same issuer the keys were chosen for. */
export function assertSameIssuer(signedRoot: Element, sp: RegisteredSp): void {
  if (issuerOf(signedRoot) !== sp.entityId) throw new IdpError('SAML_SIGNATURE_STRUCTURE_INVALID', 'signed Issuer differs');
}
