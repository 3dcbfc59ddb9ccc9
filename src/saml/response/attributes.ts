import type { AttributeProfile } from '../registry/policy.js';
import type { Capacity, SamlSubject } from './subject.js';

// The attribute profiles of saml-profile.md §4.1 (oiosaml2) and §4.2 (oiosaml3). The definitions list drives both
// the assertion (with values) and our metadata (names only).

export const NAME_FORMAT_BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';
export const NAME_FORMAT_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
const EID = 'https://data.gov.dk/model/core/eid';
const NO_ORGANISATION = 'Ingen organisatorisk tilknytning';

export interface AttributeDefinition {
  friendlyName: string;
  name: string;
  /** The value for this subject, or undefined when the attribute is not sent. */
  value: (subject: SamlSubject, releaseCpr: boolean) => string | undefined;
}

export interface AttributeValue {
  name: string;
  nameFormat: string;
  friendlyName: string;
  value: string;
}

const is = (subject: SamlSubject, ...capacities: Capacity[]) => capacities.includes(subject.capacity);
const poces = (subject: SamlSubject) => is(subject, 'private', 'businessOwner');
const cprValue = (subject: SamlSubject, releaseCpr: boolean) => (releaseCpr && poces(subject) ? subject.cpr : undefined);
const mitid = (subject: SamlSubject) => subject.eid === 'mitid';
/** Certificate facts exist only for NemID logins. */
const certificate = (subject: SamlSubject, value: string) => (mitid(subject) ? undefined : value);
/** NemID-era AssuranceLevel from the NSIS level (NemID two-factor = 3 = Substantial). */
const ASSURANCE_LEVEL = { Low: '2', Substantial: '3', High: '4' } as const;
/** A MitID person with name and address protection has no name to send. */
const nameOf = (subject: SamlSubject) => (mitid(subject) && subject.commonName === '' ? undefined : subject.commonName);

const OIOSAML2: AttributeDefinition[] = [
  { friendlyName: 'SpecVer', name: 'dk:gov:saml:attribute:SpecVer', value: () => 'DK-SAML-2.0' },
  { friendlyName: 'AssuranceLevel', name: 'dk:gov:saml:attribute:AssuranceLevel', value: (s) => (s.nsis ? ASSURANCE_LEVEL[s.nsis.loa] : '3') },
  { friendlyName: 'uid', name: 'urn:oid:0.9.2342.19200300.100.1.1', value: (s) => s.subjectSerialNumber },
  { friendlyName: 'CommonName', name: 'urn:oid:2.5.4.3', value: nameOf },
  { friendlyName: 'surName', name: 'urn:oid:2.5.4.4', value: (s) => certificate(s, '') },
  { friendlyName: 'mail', name: 'urn:oid:0.9.2342.19200300.100.1.3', value: (s) => (is(s, 'employee') ? (s.email ?? '') : '') },
  { friendlyName: 'PidNumberIdentifier', name: 'dk:gov:saml:attribute:PidNumberIdentifier', value: (s) => (poces(s) ? s.pid : undefined) },
  { friendlyName: 'CprNumberIdentifier', name: 'dk:gov:saml:attribute:CprNumberIdentifier', value: cprValue },
  { friendlyName: 'RidNumberIdentifier', name: 'dk:gov:saml:attribute:RidNumberIdentifier', value: (s) => (is(s, 'employee') ? s.rid : undefined) },
  {
    friendlyName: 'CVRnumberIdentifier',
    name: 'dk:gov:saml:attribute:CvrNumberIdentifier',
    value: (s) => (is(s, 'businessOwner') ? s.chosenCvr : is(s, 'employee') ? s.cvr : undefined),
  },
  {
    friendlyName: 'organizationName',
    name: 'urn:oid:2.5.4.10',
    value: (s) => (is(s, 'businessOwner') ? s.companyName : is(s, 'employee') ? s.organizationNameWithoutCvr : NO_ORGANISATION),
  },
  { friendlyName: 'AuthorizedToRepresent', name: 'dk:gov:saml:attribute:AuthorizedToRepresent', value: (s) => (is(s, 'businessOwner') ? s.chosenCvr : undefined) },
  { friendlyName: 'serialNumber', name: 'urn:oid:2.5.4.5', value: (s) => certificate(s, s.certificateSerialHex.toUpperCase()) },
  { friendlyName: 'CertificateIssuer', name: 'urn:oid:2.5.29.29', value: (s) => certificate(s, s.issuerDn) },
  { friendlyName: 'userCertificate', name: 'urn:oid:1.3.6.1.4.1.1466.115.121.1.8', value: (s) => certificate(s, s.certificateDerBase64) },
  { friendlyName: 'IsYouthCert', name: 'dk:gov:saml:attribute:IsYouthCert', value: (s) => certificate(s, String(poces(s) && s.youth)) },
  { friendlyName: 'Pseudonym', name: 'urn:oid:2.5.4.65', value: (s) => (poces(s) && s.pseudonym ? 'Pseudonym' : undefined) },
];

const OIOSAML3: AttributeDefinition[] = [
  { friendlyName: 'SpecVer', name: 'https://data.gov.dk/model/core/specVersion', value: () => 'OIO-SAML-3.0' },
  { friendlyName: 'NSISLevelOfAssurance', name: 'https://data.gov.dk/concept/core/nsis/loa', value: (s) => s.nsis?.loa ?? 'Substantial' },
  { friendlyName: 'AuthenticationAssuranceLevel', name: 'https://data.gov.dk/concept/core/nsis/aal', value: (s) => (s.nsis ? s.nsis.aal : 'Substantial') },
  {
    friendlyName: 'IdentityAssuranceLevel',
    name: 'https://data.gov.dk/concept/core/nsis/ial',
    value: (s) => (s.nsis ? s.nsis.ial : s.identityAssuranceLevel === '2' ? 'Substantial' : undefined),
  },
  { friendlyName: 'FullName', name: `${EID}/fullName`, value: nameOf },
  { friendlyName: 'Email', name: `${EID}/email`, value: (s) => (is(s, 'employee') ? s.email : undefined) },
  { friendlyName: 'CPRNumber', name: `${EID}/cprNumber`, value: cprValue },
  { friendlyName: 'PID', name: `${EID}/person/pid`, value: (s) => (poces(s) ? s.pid : undefined) },
  { friendlyName: 'RID', name: `${EID}/professional/rid`, value: (s) => (is(s, 'employee') ? s.rid : undefined) },
  { friendlyName: 'CVR', name: `${EID}/professional/cvr`, value: (s) => (is(s, 'businessOwner') ? s.chosenCvr : is(s, 'employee') ? s.cvr : undefined) },
  {
    friendlyName: 'OrganizationName',
    name: `${EID}/professional/orgName`,
    value: (s) => (is(s, 'businessOwner') ? s.companyName : is(s, 'employee') ? s.organizationNameWithoutCvr : undefined),
  },
  { friendlyName: 'AuthorizedToRepresent', name: `${EID}/professional/authorizedToRepresent`, value: (s) => (is(s, 'businessOwner') ? s.chosenCvr : undefined) },
];

export const ATTRIBUTE_PROFILES: Record<AttributeProfile, { nameFormat: string; definitions: readonly AttributeDefinition[] }> = {
  oiosaml2: { nameFormat: NAME_FORMAT_BASIC, definitions: OIOSAML2 },
  oiosaml3: { nameFormat: NAME_FORMAT_URI, definitions: OIOSAML3 },
};

/** The attributes this subject gets under `profile`; CPR only when `releaseCpr` (the caller enforces encryption). */
export function attributesFor(profile: AttributeProfile, subject: SamlSubject, releaseCpr: boolean): AttributeValue[] {
  const { nameFormat, definitions } = ATTRIBUTE_PROFILES[profile];
  const out: AttributeValue[] = [];
  for (const definition of definitions) {
    const value = definition.value(subject, releaseCpr);
    if (value !== undefined) out.push({ name: definition.name, nameFormat, friendlyName: definition.friendlyName, value });
  }
  return out;
}

/** True when `attributes` carry a CPR (either profile). */
export function carriesCpr(attributes: readonly AttributeValue[]): boolean {
  return attributes.some((attribute) => attribute.name === 'dk:gov:saml:attribute:CprNumberIdentifier' || attribute.name === `${EID}/cprNumber`);
}
