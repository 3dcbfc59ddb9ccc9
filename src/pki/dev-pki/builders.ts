// Builders for dev-pki: names, certificates and CRLs in DER, signed with sha256WithRSAEncryption. They write
// exactly what they are given; the OCES layout decisions live in layout.ts.
import { createHash, sign, type KeyObject } from 'node:crypto';
import {
  algorithm,
  bitString,
  enumerated,
  explicit,
  extension,
  integer,
  integerHex,
  oid,
  printable,
  sequence,
  set,
  time,
  utf8,
} from '../der-write.js';
import { OID } from '../oids.js';
import { TAG, childrenOf, decodeBitStringBytes, readRoot } from '../der.js';

export interface NameAttributeSpec {
  oid: string;
  value: string;
  /** OCES: C and serialNumber are PrintableString, the rest UTF8String. */
  string?: 'utf8' | 'printable';
}
/** RDNs in DER order; an inner array with several attributes is one multi-valued RDN. */
export type NameSpec = ReadonlyArray<ReadonlyArray<NameAttributeSpec>>;

export function encodeName(name: NameSpec): Buffer {
  return sequence(
    ...name.map((rdn) =>
      set(
        // DER orders the members of a SET by their encodings.
        ...rdn
          .map((a) => sequence(oid(a.oid), a.string === 'printable' ? printable(a.value) : utf8(a.value)))
          .sort(Buffer.compare),
      ),
    ),
  );
}

const SHA256_WITH_RSA = algorithm(OID.sha256WithRSA);

export function signSha256Rsa(tbs: Buffer, privateKey: KeyObject): Buffer {
  return sign('sha256', tbs, privateKey);
}

export function spkiOf(publicKey: KeyObject): Buffer {
  return publicKey.export({ type: 'spki', format: 'der' });
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING contents. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKeyBits(spkiOf(publicKey))).digest();
}

function publicKeyBits(spki: Buffer): Buffer {
  const [, key] = childrenOf(spki, readRoot(spki, TAG.SEQUENCE, 'SubjectPublicKeyInfo'));
  if (!key) throw new TypeError('SubjectPublicKeyInfo without key');
  return decodeBitStringBytes(spki, key);
}

export interface CertificateSpec {
  serialHex: string;
  issuer: Buffer;
  subject: Buffer;
  notBefore: Date;
  notAfter: Date;
  publicKey: KeyObject;
  signingKey: KeyObject;
  extensions: Buffer[];
}

export function buildCertificate(spec: CertificateSpec): Buffer {
  const tbs = sequence(
    explicit(0, integer(2)),
    integerHex(spec.serialHex),
    SHA256_WITH_RSA,
    spec.issuer,
    sequence(time(spec.notBefore), time(spec.notAfter)),
    spec.subject,
    spkiOf(spec.publicKey),
    explicit(3, sequence(...spec.extensions)),
  );
  return sequence(tbs, SHA256_WITH_RSA, bitString(signSha256Rsa(tbs, spec.signingKey)));
}

/** CRLReason values (RFC 5280 §5.3.1). */
export const CRL_REASON = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
} as const;
export type CrlReason = keyof typeof CRL_REASON;

export interface CrlEntrySpec {
  serialHex: string;
  revokedAt: Date;
  reason?: CrlReason;
}

export interface CrlSpec {
  issuer: Buffer;
  signingKey: KeyObject;
  authorityKeyId: Buffer;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  entries: Iterable<CrlEntrySpec>;
  /** A partition CRL names its partition here (IssuingDistributionPoint, fullName directoryName). */
  partition?: Buffer;
}

export function encodeCrlEntry(entry: CrlEntrySpec): Buffer {
  return sequence(
    integerHex(entry.serialHex),
    time(entry.revokedAt),
    sequence(extension(OID.reasonCode, false, enumerated(CRL_REASON[entry.reason ?? 'unspecified']))),
  );
}

export function buildCrl(spec: CrlSpec): Buffer {
  const entries = [...spec.entries].map(encodeCrlEntry);
  const extensions = [
    extension(OID.authorityKeyIdentifier, false, sequence(Buffer.concat([Buffer.from([0x80, spec.authorityKeyId.length]), spec.authorityKeyId]))),
    extension(OID.crlNumber, false, integer(spec.crlNumber)),
  ];
  if (spec.partition) {
    // IssuingDistributionPoint { distributionPoint [0] { fullName [0] { directoryName [4] Name } } }, critical.
    extensions.push(extension(OID.issuingDistributionPoint, true, sequence(explicit(0, explicit(0, explicit(4, spec.partition))))));
  }
  const tbs = sequence(
    integer(1),
    SHA256_WITH_RSA,
    spec.issuer,
    time(spec.thisUpdate),
    time(spec.nextUpdate),
    // One concat, not a spread: a million arguments would overflow the stack.
    ...(entries.length > 0 ? [sequence(Buffer.concat(entries))] : []),
    explicit(0, sequence(...extensions)),
  );
  return sequence(tbs, SHA256_WITH_RSA, bitString(signSha256Rsa(tbs, spec.signingKey)));
}
