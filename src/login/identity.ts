import type { OcesIdentity } from '../pki/index.js';
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
