import type { ErrorCode } from '../../errors/index.js';
import { NS, childElements } from '../../xml/index.js';
import { NAMEID_PERSISTENT, NAMEID_TRANSIENT, NAMEID_UNSPECIFIED, NAMEID_X509 } from '../constants.js';
import type { NameIdKind } from '../registry/policy.js';
import type { RegisteredSp } from '../registry/types.js';

// Check 9 (saml-profile.md §2.5): which NameID format we send, and whether the request's NameIDPolicy allows it.

export const NAMEID_FORMAT_OF: Record<NameIdKind, string> = {
  persistent: NAMEID_PERSISTENT,
  transient: NAMEID_TRANSIENT,
  x509SubjectName: NAMEID_X509,
};

export interface NameIdDecision {
  nameIdFormat: string;
  spNameQualifier?: string;
  allowCreate: boolean;
  error?: ErrorCode;
}

export function checkNameIdPolicy(signedRoot: Element, sp: RegisteredSp): NameIdDecision {
  const policyFormat = NAMEID_FORMAT_OF[sp.policy.nameIdFormat];
  const [policy, ...more] = childElements(signedRoot, NS.samlp, 'NameIDPolicy');
  if (!policy) return { nameIdFormat: policyFormat, allowCreate: true };
  const allowCreateText = policy.getAttribute('AllowCreate');
  const allowCreate = !(allowCreateText === 'false' || allowCreateText === '0');
  const invalid = { nameIdFormat: policyFormat, allowCreate, error: 'SAML_NAMEID_POLICY_INVALID' as const };
  if (more.length > 0) return invalid;
  const spNameQualifier = policy.hasAttribute('SPNameQualifier') ? (policy.getAttribute('SPNameQualifier') ?? '') : undefined;
  if (spNameQualifier !== undefined && spNameQualifier !== sp.entityId) return invalid;
  const requested = policy.hasAttribute('Format') ? policy.getAttribute('Format') : NAMEID_UNSPECIFIED;
  const format =
    requested === NAMEID_UNSPECIFIED
      ? policyFormat
      : [NAMEID_PERSISTENT, NAMEID_TRANSIENT, NAMEID_X509].includes(requested ?? '')
        ? (requested as string)
        : undefined;
  if (format === undefined) return invalid;
  // OIOSAML 3 attribute profiles require persistent or transient NameIDs (§8.2 rule), also when asked explicitly.
  if (sp.policy.attributeProfile === 'oiosaml3' && format === NAMEID_X509) return invalid;
  return { nameIdFormat: format, allowCreate, ...(spNameQualifier !== undefined ? { spNameQualifier } : {}) };
}
