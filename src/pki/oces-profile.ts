// The OCES II end-entity profile (nemid-protocol.md §6.2): the type comes from exactly one certificate policy under
// the environment's arc, and the subject serialNumber must have the matching form. Identity fields are read by OID
// from the parsed subject, never by splitting rendered text.
import type { ParsedCertificate } from './certificate.js';
import { attributeValues, formatName, singleAttribute } from './names.js';
import { OID } from './oids.js';

export type OcesType = 'POCES' | 'MOCES' | 'VOCES' | 'FOCES';
export type Environment = 'production' | 'preproduction' | 'simulator';

export const SIMULATOR_POLICY_ARC = '2.25.110800106791975592792077135146400605594';

const TYPE_ARC_SUFFIX: Readonly<Record<OcesType, string>> = { POCES: '1', MOCES: '2', VOCES: '3', FOCES: '4' };
const ENVIRONMENT_ARC: Readonly<Record<Environment, string>> = {
  production: '1.2.208.169.1.1.1',
  preproduction: '1.3.6.1.4.1.31313.2.4.6',
  simulator: SIMULATOR_POLICY_ARC,
};

export const YOUTH_OU = 'Ung mellem 15 og 18 - Kan som udgangspunkt ikke lave juridisk bindende aftaler';
const PSEUDONYM_NAMES = new Set(['Pseudonym', 'Pseudonym Pseudonym']);
const SERIAL_PATTERNS: Readonly<Record<OcesType, RegExp>> = {
  POCES: /^PID:([0-9]+(?:-[0-9]+)*)$/,
  MOCES: /^CVR:([0-9]{8})-RID:([0-9]+)$/,
  VOCES: /^CVR:([0-9]{8})-UID:([0-9]+)$/,
  FOCES: /^CVR:([0-9]{8})-FID:([0-9]+)$/,
};
const CVR_SUFFIX = /\s*\/\/\s*CVR:[0-9]{8}\s*$/;

export interface OcesIdentity {
  type: OcesType;
  subjectSerialNumber: string;
  pid?: string;
  cvr?: string;
  rid?: string;
  uid?: string;
  fid?: string;
  commonName: string;
  organizationName: string;
  organizationNameWithoutCvr: string;
  email?: string;
  youth: boolean;
  pseudonym: boolean;
  certificateSerialHex: string;
  issuerDn: string;
  subjectDnForX509SubjectName: { c: string; o: string; cn: string; serialNumber: string };
  policyOid: string;
  notBefore: Date;
  notAfter: Date;
  certificateDer: Buffer;
}

export type ProfileResult = { ok: true; identity: OcesIdentity } | { ok: false; reason: string };

/** The policy arc prefix of `type` in `environment` (a policy must be this plus one version arc). */
export function policyArc(environment: Environment, type: OcesType): string {
  return `${ENVIRONMENT_ARC[environment]}.${TYPE_ARC_SUFFIX[type]}`;
}

function typeFromPolicy(environment: Environment, policy: string): OcesType | undefined {
  for (const type of Object.keys(TYPE_ARC_SUFFIX) as OcesType[]) {
    const prefix = `${policyArc(environment, type)}.`;
    if (policy.startsWith(prefix) && /^[0-9]+$/.test(policy.slice(prefix.length))) return type;
  }
  return undefined;
}

/** Applies the §6.2 profile to an end-entity certificate of `environment`. */
export function readOcesIdentity(certificate: ParsedCertificate, environment: Environment): ProfileResult {
  const refuse = (reason: string): ProfileResult => ({ ok: false, reason });
  if (certificate.policies.length !== 1) return refuse(`expected one certificate policy, found ${certificate.policies.length}`);
  const policyOid = certificate.policies[0]!;
  const type = typeFromPolicy(environment, policyOid);
  if (!type) return refuse(`policy ${policyOid} is not an OCES policy of ${environment}`);

  const subject = certificate.subjectName;
  const serialNumber = singleAttribute(subject, OID.serialNumber);
  const commonName = singleAttribute(subject, OID.commonName);
  const organizationName = singleAttribute(subject, OID.organization);
  const country = singleAttribute(subject, OID.country);
  if (serialNumber === undefined || commonName === undefined || organizationName === undefined || country === undefined) {
    return refuse('subject needs exactly one C, O, CN and serialNumber');
  }
  const match = SERIAL_PATTERNS[type].exec(serialNumber);
  if (!match) return refuse(`serialNumber does not have the ${type} form`);
  const emails = certificate.emails;
  const identity: OcesIdentity = {
    type,
    subjectSerialNumber: serialNumber,
    commonName,
    organizationName,
    organizationNameWithoutCvr: organizationName.replace(CVR_SUFFIX, ''),
    youth: attributeValues(subject, OID.organizationalUnit).includes(YOUTH_OU),
    pseudonym: PSEUDONYM_NAMES.has(commonName),
    certificateSerialHex: certificate.serialHex,
    issuerDn: formatName(certificate.issuerName),
    subjectDnForX509SubjectName: { c: country, o: organizationName, cn: commonName, serialNumber },
    policyOid,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    certificateDer: certificate.der,
    ...(emails[0] !== undefined ? { email: emails[0] } : {}),
  };
  if (type === 'POCES') identity.pid = match[1]!;
  else {
    identity.cvr = match[1]!;
    if (type === 'MOCES') identity.rid = match[2]!;
    if (type === 'VOCES') identity.uid = match[2]!;
    if (type === 'FOCES') identity.fid = match[2]!;
  }
  return { ok: true, identity };
}
