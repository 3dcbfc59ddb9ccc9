import { IdpError } from '../errors/index.js';
import {
  NAMEID_PERSISTENT,
  NAMEID_TRANSIENT,
  NAMEID_X509,
  computePersistentNameId,
  transientNameId,
  x509SubjectName,
  type Capacity,
  type RegisteredSp,
} from '../saml/index.js';
import { persistentIds } from '../store/index.js';
import type { LoginDeps } from './deps.js';
import type { StoredIdentity } from './identity.js';

export interface ResolvedNameId {
  format: string;
  value: string;
  nameQualifier?: string;
  spNameQualifier?: string;
  /** A persistent ID the login step records (ON CONFLICT DO NOTHING) when it commits. */
  record?: true;
}

/**
 * The NameID for this SP and subject (saml-profile.md §2.5). Persistent IDs: a value computed with any configured
 * secret and already issued to this SP is reused, so adding a secret never changes an issued ID; otherwise the
 * first secret's value is to be recorded (`record`), unless the request said AllowCreate="false".
 */
export async function resolveNameId(
  deps: LoginDeps,
  sp: RegisteredSp,
  identity: StoredIdentity,
  capacity: Capacity,
  request: { nameIdFormat: string; allowCreate: boolean },
): Promise<ResolvedNameId> {
  const qualifiers = { nameQualifier: deps.config.idp.entityId, spNameQualifier: sp.entityId };
  const profile = sp.policy.attributeProfile;
  if (request.nameIdFormat === NAMEID_X509 && identity.eid === 'mitid') throw new IdpError('SAML_NAMEID_POLICY_INVALID', 'a MitID login has no certificate subject for an X509SubjectName NameID');
  if (request.nameIdFormat === NAMEID_X509) return { format: NAMEID_X509, value: x509SubjectName(identity.x509Subject) };
  if (request.nameIdFormat === NAMEID_TRANSIENT) return { format: NAMEID_TRANSIENT, value: transientNameId(profile, capacity), ...qualifiers };
  if (request.nameIdFormat !== NAMEID_PERSISTENT) throw new IdpError('SAML_NAMEID_POLICY_INVALID', `unsupported NameID format ${request.nameIdFormat}`);

  // A business-owner login keeps the person's ID: the subject key is the certificate serialNumber either way.
  const keyCapacity: Capacity = capacity === 'employee' ? 'employee' : 'private';
  const candidates = deps.config.secrets.pseudonym.map((secret) =>
    computePersistentNameId(secret, sp.entityId, identity.subjectSerialNumber, profile, keyCapacity),
  );
  // With one secret (the usual case) the answer is the same whether or not it was issued before: no read is needed,
  // the login step records it. Only during a rotation, or when the request forbids creating one, is the table asked.
  if (candidates.length === 1 && request.allowCreate) return { format: NAMEID_PERSISTENT, value: candidates[0]!, ...qualifiers, record: true };
  const issued = await persistentIds.findIssued(deps.pool, sp.entityId, candidates);
  if (issued) return { format: NAMEID_PERSISTENT, value: issued, ...qualifiers };
  if (!request.allowCreate) throw new IdpError('SAML_NAMEID_POLICY_INVALID', 'AllowCreate=false and no persistent ID issued yet');
  return { format: NAMEID_PERSISTENT, value: candidates[0]!, ...qualifiers, record: true };
}
