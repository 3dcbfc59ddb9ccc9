// The TRUST2408 certificate layout (nemid-protocol.md §6, §10 item 5) applied to the simulator's own CA: the same
// extensions, name shapes and distribution points as real OCES II certificates, under the simulator policy arc.
import { explicit, extension, implicitPrimitive, namedBits, octetString, oid, sequence, boolean as derBoolean } from '../der-write.js';
import { OID } from '../oids.js';
import { SIMULATOR_POLICY_ARC, YOUTH_OU, type OcesType } from '../oces-profile.js';
import { encodeName, type NameSpec } from './builders.js';

export const ROOT_NAME: NameSpec = [
  [{ oid: OID.country, value: 'DK', string: 'printable' }],
  [{ oid: OID.organization, value: 'nemid-idp SIMULATOR' }],
  [{ oid: OID.commonName, value: 'nemid-idp Simulator Primary CA' }],
];
export const ISSUING_CA_NAME: NameSpec = [
  [{ oid: OID.country, value: 'DK', string: 'printable' }],
  [{ oid: OID.organization, value: 'nemid-idp SIMULATOR' }],
  [{ oid: OID.commonName, value: 'nemid-idp Simulator CA I' }],
];
export const OCSP_RESPONDER_NAME: NameSpec = [
  [{ oid: OID.country, value: 'DK', string: 'printable' }],
  [{ oid: OID.organization, value: 'nemid-idp SIMULATOR' }],
  [{ oid: OID.commonName, value: 'nemid-idp Simulator CA I OCSP responder (SIMULATOR)' }],
];
export const POCES_ORGANIZATION = 'Ingen organisatorisk tilknytning';

export interface DevPkiUrls {
  rootCrl: string;
  issuingCaCrl: string;
  ocsp: string;
  issuingCaCertificate: string;
}

export function urlsFor(baseUrl: string): DevPkiUrls {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    rootCrl: `${base}/crl/root.crl`,
    issuingCaCrl: `${base}/crl/ca1.crl`,
    ocsp: `${base}/ocsp`,
    issuingCaCertificate: `${base}/aia/ca1.cer`,
  };
}

export function simulatorPolicy(type: OcesType): string {
  const suffix = { POCES: '1', MOCES: '2', VOCES: '3', FOCES: '4' }[type];
  return `${SIMULATOR_POLICY_ARC}.${suffix}.1`;
}

const KU = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, dataEncipherment: 3, keyAgreement: 4, keyCertSign: 5, cRLSign: 6 };

export const keyUsageExtension = (bits: number[]) => extension(OID.keyUsage, true, namedBits(bits));
export const caKeyUsage = () => keyUsageExtension([KU.keyCertSign, KU.cRLSign]);
export const caBasicConstraints = () => extension(OID.basicConstraints, true, sequence(derBoolean(true)));
export const leafBasicConstraints = () => extension(OID.basicConstraints, false, sequence());
export const subjectKeyId = (id: Buffer) => extension(OID.subjectKeyIdentifier, false, octetString(id));
export const authorityKeyId = (id: Buffer) => extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, id)));

export function policiesExtension(policy: string): Buffer {
  return extension(OID.certificatePolicies, false, sequence(sequence(oid(policy))));
}

/** Two fullName DPs: the full CRL URI, and the directoryName partition (`issuer DN + CN=CRL<n>`). */
export function distributionPoints(fullCrlUrl: string, issuerName: NameSpec, partition: number): Buffer {
  const partitionName = encodeName([...issuerName, [{ oid: OID.commonName, value: `CRL${partition}` }]]);
  return extension(
    OID.crlDistributionPoints,
    false,
    sequence(
      sequence(explicit(0, explicit(0, implicitPrimitive(6, Buffer.from(fullCrlUrl, 'latin1'))))),
      sequence(explicit(0, explicit(0, explicit(4, partitionName)))),
    ),
  );
}

export function partitionNameDer(issuerName: NameSpec, partition: number): Buffer {
  return encodeName([...issuerName, [{ oid: OID.commonName, value: `CRL${partition}` }]]);
}

export function authorityInfoAccess(urls: DevPkiUrls): Buffer {
  return extension(
    OID.authorityInfoAccess,
    false,
    sequence(
      sequence(oid(OID.adOcsp), implicitPrimitive(6, Buffer.from(urls.ocsp, 'latin1'))),
      sequence(oid(OID.adCaIssuers), implicitPrimitive(6, Buffer.from(urls.issuingCaCertificate, 'latin1'))),
    ),
  );
}

export function leafKeyUsage(type: OcesType): Buffer {
  const bits = [KU.digitalSignature, KU.nonRepudiation, KU.keyEncipherment, KU.dataEncipherment, KU.keyAgreement];
  return keyUsageExtension(type === 'VOCES' || type === 'FOCES' ? bits.filter((b) => b !== KU.nonRepudiation) : bits);
}

export function emailExtension(email: string): Buffer {
  return extension(OID.subjectAltName, false, sequence(implicitPrimitive(1, Buffer.from(email, 'latin1'))));
}

export const ocspSigningExtensions = () => [
  keyUsageExtension([KU.digitalSignature]),
  extension(OID.extKeyUsage, false, sequence(oid(OID.kpOcspSigning))),
  extension(OID.ocspNoCheck, false, Buffer.from([0x05, 0x00])),
];

export interface LeafNameSpec {
  type: OcesType;
  commonName: string;
  /** PID (POCES), RID (MOCES), UID (VOCES) or FID (FOCES), without prefix. */
  id: string;
  cvr?: string;
  organization?: string;
  youth?: boolean;
}

export function subjectSerialNumber(spec: LeafNameSpec): string {
  switch (spec.type) {
    case 'POCES':
      return `PID:${spec.id}`;
    case 'MOCES':
      return `CVR:${spec.cvr}-RID:${spec.id}`;
    case 'VOCES':
      return `CVR:${spec.cvr}-UID:${spec.id}`;
    case 'FOCES':
      return `CVR:${spec.cvr}-FID:${spec.id}`;
  }
}

/** C, O, [OU youth], then one multi-valued RDN with CN and serialNumber. */
export function leafName(spec: LeafNameSpec): NameSpec {
  const organization =
    spec.type === 'POCES' ? POCES_ORGANIZATION : `${spec.organization ?? 'nemid-idp SIMULATOR ApS'} // CVR:${spec.cvr}`;
  return [
    [{ oid: OID.country, value: 'DK', string: 'printable' }],
    [{ oid: OID.organization, value: organization }],
    ...(spec.youth ? [[{ oid: OID.organizationalUnit, value: YOUTH_OU }]] : []),
    [
      { oid: OID.commonName, value: spec.commonName },
      { oid: OID.serialNumber, value: subjectSerialNumber(spec), string: 'printable' as const },
    ],
  ];
}
