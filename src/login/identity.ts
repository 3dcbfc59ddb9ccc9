import type { OcesIdentity } from '../pki/index.js';
import type { NsisLevel, VerifiedMitidIdentity } from '../mitid/index.js';
import type { SamlSubject } from '../saml/index.js';

// The verified identity as kept in the login transaction and the IdP session (JSON, never a CPR), and its mapping
// onto the protocol-neutral subject the SAML builder takes.

export interface StoredIdentity {
  readonly type: 'POCES' | 'MOCES';
  readonly subjectSerialNumber: string;
  readonly pid?: string;
  readonly cvr?: string;
  readonly rid?: string;
  readonly commonName: string;
  readonly organizationName: string;
  readonly organizationNameWithoutCvr: string;
  readonly email?: string;
  readonly youth: boolean;
  readonly pseudonym: boolean;
  readonly certificateSerialHex: string;
  readonly issuerDn: string;
  readonly certificateDerBase64: string;
  readonly x509Subject: { readonly c: string; readonly o: string; readonly cn: string; readonly serialNumber: string };
  readonly identityAssuranceLevel?: string;
  /** Absent for NemID; MitID logins name the eID and carry the broker's facts (never a CPR). */
  readonly eid?: 'mitid';
  readonly mitid?: StoredMitidFacts;
}

export interface StoredMitidFacts {
  readonly uuid: string;
  readonly kind: 'person' | 'professional';
  readonly loa: NsisLevel;
  readonly ial?: NsisLevel;
  readonly aal?: NsisLevel;
  readonly nameAndAddressProtection: boolean;
  readonly birthdate?: string;
  readonly transactionId?: string;
  readonly professionalUuid?: string;
}

/** The eID of a stored identity (rows written before MitID have no `eid`: NemID). */
export function eidOf(identity: StoredIdentity): 'nemid' | 'mitid' {
  return identity.eid === 'mitid' ? 'mitid' : 'nemid';
}

/**
 * A verified MitID identity in the shape the login keeps: persons as POCES and MitID Erhverv as MOCES for the
 * policy's `allowedCertificates`, the UUID (professional UUID for employees) as the subject key, no certificate.
 */
export function storedMitidIdentity(identity: VerifiedMitidIdentity): StoredIdentity {
  const professional = identity.professional;
  const key = professional ? professional.uuid : identity.uuid;
  return {
    type: professional ? 'MOCES' : 'POCES',
    subjectSerialNumber: key,
    ...(identity.pid !== undefined ? { pid: identity.pid } : {}),
    ...(professional ? { cvr: professional.cvr, ...(professional.rid ? { rid: professional.rid } : {}) } : {}),
    commonName: identity.name,
    organizationName: professional ? `${professional.organizationName} // CVR:${professional.cvr}` : '',
    organizationNameWithoutCvr: professional ? professional.organizationName : '',
    youth: false,
    pseudonym: false,
    certificateSerialHex: '',
    issuerDn: '',
    certificateDerBase64: '',
    x509Subject: { c: 'DK', o: professional?.organizationName ?? '', cn: identity.name, serialNumber: key },
    eid: 'mitid',
    mitid: {
      uuid: identity.uuid,
      kind: identity.kind,
      loa: identity.loa,
      ...(identity.ial ? { ial: identity.ial } : {}),
      ...(identity.aal ? { aal: identity.aal } : {}),
      nameAndAddressProtection: identity.nameAndAddressProtection,
      ...(identity.birthdate ? { birthdate: identity.birthdate } : {}),
      ...(identity.transactionId ? { transactionId: identity.transactionId } : {}),
      ...(professional ? { professionalUuid: professional.uuid } : {}),
    },
  };
}

/** What the user chose on the business page (issue 7); absent for private logins. */
export interface BusinessChoice {
  readonly cvr: string;
  readonly name: string;
}

export function storedIdentity(identity: OcesIdentity, type: 'POCES' | 'MOCES', identityAssuranceLevel?: string): StoredIdentity {
  return {
    type,
    subjectSerialNumber: identity.subjectSerialNumber,
    ...(identity.pid !== undefined ? { pid: identity.pid } : {}),
    ...(identity.cvr !== undefined ? { cvr: identity.cvr } : {}),
    ...(identity.rid !== undefined ? { rid: identity.rid } : {}),
    commonName: identity.commonName,
    organizationName: identity.organizationName,
    organizationNameWithoutCvr: identity.organizationNameWithoutCvr,
    ...(identity.email !== undefined ? { email: identity.email } : {}),
    youth: identity.youth,
    pseudonym: identity.pseudonym,
    certificateSerialHex: identity.certificateSerialHex,
    issuerDn: identity.issuerDn,
    certificateDerBase64: identity.certificateDer.toString('base64'),
    x509Subject: identity.subjectDnForX509SubjectName,
    ...(identityAssuranceLevel !== undefined ? { identityAssuranceLevel } : {}),
  };
}

export function asStoredIdentity(value: Record<string, unknown> | null): StoredIdentity | null {
  if (!value || (value['type'] !== 'POCES' && value['type'] !== 'MOCES') || typeof value['subjectSerialNumber'] !== 'string') return null;
  return value as unknown as StoredIdentity;
}

export function samlSubject(identity: StoredIdentity, extra: { cpr?: string; business?: BusinessChoice } = {}): SamlSubject {
  const capacity = identity.type === 'MOCES' ? 'employee' : extra.business ? 'businessOwner' : 'private';
  return {
    capacity,
    ...(identity.eid === 'mitid' && identity.mitid
      ? {
          eid: 'mitid' as const,
          nsis: { loa: identity.mitid.loa, ...(identity.mitid.ial ? { ial: identity.mitid.ial } : {}), ...(identity.mitid.aal ? { aal: identity.mitid.aal } : {}) },
        }
      : {}),
    subjectSerialNumber: identity.subjectSerialNumber,
    ...(identity.pid !== undefined ? { pid: identity.pid } : {}),
    ...(identity.cvr !== undefined ? { cvr: identity.cvr } : {}),
    ...(identity.rid !== undefined ? { rid: identity.rid } : {}),
    commonName: identity.commonName,
    ...(identity.email !== undefined ? { email: identity.email } : {}),
    organizationName: identity.organizationName,
    organizationNameWithoutCvr: identity.organizationNameWithoutCvr,
    certificateSerialHex: identity.certificateSerialHex,
    issuerDn: identity.issuerDn,
    certificateDerBase64: identity.certificateDerBase64,
    youth: identity.youth,
    pseudonym: identity.pseudonym,
    ...(identity.identityAssuranceLevel !== undefined ? { identityAssuranceLevel: identity.identityAssuranceLevel } : {}),
    ...(extra.cpr !== undefined && identity.type === 'POCES' ? { cpr: extra.cpr } : {}),
    ...(extra.business ? { chosenCvr: extra.business.cvr, companyName: extra.business.name } : {}),
    x509Subject: { ...identity.x509Subject },
  };
}
