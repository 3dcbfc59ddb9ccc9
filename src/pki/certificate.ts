// X.509 v3 parsing for the fields pki decides on. Own DER walk (der.ts) over the exact signed bytes, so what is
// checked is what was signed; node:crypto supplies the public key object and the hashes. Parsing decides nothing:
// trust, validity and profile are judged in chain.ts and oces-profile.ts.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { IdpError, type ErrorCode } from '../errors/index.js';
import { BoundedLru } from '../shared/index.js';
import {
  DerError,
  TAG,
  childrenOf,
  contentOf,
  decodeBitStringBytes,
  decodeBoolean,
  decodeIntegerHex,
  decodeNamedBits,
  decodeOid,
  decodeSmallInteger,
  decodeTime,
  readRoot,
  readTlv,
  wholeOf,
  type Tlv,
} from './der.js';
import { formatName, parseName, type ParsedName } from './names.js';
import { KEY_USAGE_BITS, OID, type KeyUsageName } from './oids.js';

export interface DistributionPoint {
  /** fullName URIs (the full CRL over HTTP on OCES). */
  readonly uris: string[];
  /** fullName directoryNames (the partition, e.g. issuer DN + CN=CRL148). */
  readonly directoryNames: ParsedName[];
}

export interface ParsedCertificate {
  readonly der: Buffer;
  readonly tbsDer: Buffer;
  readonly version: number;
  readonly serialHex: string;
  readonly signatureAlgorithm: string;
  readonly tbsSignatureAlgorithm: string;
  readonly signature: Buffer;
  readonly issuerName: ParsedName;
  readonly subjectName: ParsedName;
  readonly issuerDer: Buffer;
  readonly subjectDer: Buffer;
  /** RFC 4514 renderings, for logs and display. */
  readonly issuer: string;
  readonly subject: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spkiDer: Buffer;
  /** The subjectPublicKey BIT STRING contents (what OCSP's issuerKeyHash hashes). */
  readonly publicKeyBits: Buffer;
  readonly publicKey: KeyObject;
  readonly fingerprint256: string;
  readonly isCa: boolean;
  readonly basicConstraints?: { ca: boolean; pathLength?: number; critical: boolean };
  readonly keyUsage: KeyUsageName[];
  readonly keyUsageCritical: boolean;
  readonly hasKeyUsage: boolean;
  readonly extendedKeyUsage?: string[];
  readonly policies: string[];
  readonly crlDistributionPoints: DistributionPoint[];
  readonly ocspUrls: string[];
  readonly caIssuerUrls: string[];
  readonly emails: string[];
  readonly authorityKeyIdHex?: string;
  readonly subjectKeyIdHex?: string;
  readonly ocspNoCheck: boolean;
  readonly selfIssued: boolean;
  /** Critical extensions this parser does not understand: RFC 5280 says such a certificate must be rejected. */
  readonly unknownCriticalExtensions: string[];
}

const KNOWN_EXTENSIONS = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.keyUsage,
  OID.subjectAltName,
  OID.basicConstraints,
  OID.crlDistributionPoints,
  OID.certificatePolicies,
  OID.authorityKeyIdentifier,
  OID.extKeyUsage,
  OID.authorityInfoAccess,
  OID.ocspNoCheck,
]);

const CONTEXT = (n: number, constructed: boolean) => (constructed ? 0xa0 : 0x80) | n;

export function parseGeneralNames(der: Buffer, names: Tlv): { uris: string[]; emails: string[]; directoryNames: ParsedName[] } {
  const uris: string[] = [];
  const emails: string[] = [];
  const directoryNames: ParsedName[] = [];
  for (const name of childrenOf(der, names)) {
    if (name.tag === CONTEXT(6, false)) uris.push(contentOf(der, name).toString('latin1'));
    else if (name.tag === CONTEXT(1, false)) emails.push(contentOf(der, name).toString('latin1'));
    else if (name.tag === CONTEXT(4, true)) {
      const inner = readTlv(der, name.contentStart, name.end);
      directoryNames.push(parseName(der, inner));
    }
  }
  return { uris, emails, directoryNames };
}

interface Extensions {
  basicConstraints?: { ca: boolean; pathLength?: number; critical: boolean };
  keyUsage?: { bits: KeyUsageName[]; critical: boolean };
  extendedKeyUsage?: string[];
  policies: string[];
  crlDistributionPoints: DistributionPoint[];
  ocspUrls: string[];
  caIssuerUrls: string[];
  emails: string[];
  authorityKeyIdHex?: string;
  subjectKeyIdHex?: string;
  ocspNoCheck: boolean;
  unknownCritical: string[];
}

function parseExtensions(der: Buffer, wrapper: Tlv | undefined): Extensions {
  const result: Extensions = {
    policies: [],
    crlDistributionPoints: [],
    ocspUrls: [],
    caIssuerUrls: [],
    emails: [],
    ocspNoCheck: false,
    unknownCritical: [],
  };
  if (!wrapper) return result;
  const list = readTlv(der, wrapper.contentStart, wrapper.end);
  if (list.tag !== TAG.SEQUENCE || list.end !== wrapper.end) throw new DerError('extensions: expected a SEQUENCE');
  const seen = new Set<string>();
  for (const extension of childrenOf(der, list)) {
    const parts = childrenOf(der, extension);
    const oid = decodeOid(der, parts[0] ?? fail('extension without OID'));
    let critical = false;
    let valueTlv = parts[1];
    if (valueTlv?.tag === TAG.BOOLEAN) {
      critical = decodeBoolean(der, valueTlv);
      valueTlv = parts[2];
    }
    if (!valueTlv || valueTlv.tag !== TAG.OCTET_STRING) throw new DerError('extension without value');
    if (seen.has(oid)) throw new DerError(`duplicate extension ${oid}`);
    seen.add(oid);
    const value = readTlv(der, valueTlv.contentStart, valueTlv.end);
    if (value.end !== valueTlv.end) throw new DerError('extension value has trailing bytes');
    if (!KNOWN_EXTENSIONS.has(oid)) {
      if (critical) result.unknownCritical.push(oid);
      continue;
    }
    switch (oid) {
      case OID.basicConstraints: {
        const fields = childrenOf(der, value);
        let ca = false;
        let pathLength: number | undefined;
        for (const field of fields) {
          if (field.tag === TAG.BOOLEAN) ca = decodeBoolean(der, field);
          else if (field.tag === TAG.INTEGER) pathLength = decodeSmallInteger(der, field);
        }
        result.basicConstraints = pathLength === undefined ? { ca, critical } : { ca, pathLength, critical };
        break;
      }
      case OID.keyUsage: {
        const bits = decodeNamedBits(der, value);
        result.keyUsage = { bits: KEY_USAGE_BITS.filter((_, i) => bits.has(i)), critical };
        break;
      }
      case OID.extKeyUsage:
        result.extendedKeyUsage = childrenOf(der, value).map((purpose) => decodeOid(der, purpose));
        break;
      case OID.certificatePolicies:
        for (const info of childrenOf(der, value)) {
          result.policies.push(decodeOid(der, childrenOf(der, info)[0] ?? fail('empty PolicyInformation')));
        }
        break;
      case OID.crlDistributionPoints:
        for (const point of childrenOf(der, value)) {
          const dp: DistributionPoint = { uris: [], directoryNames: [] };
          for (const field of childrenOf(der, point)) {
            if (field.tag !== CONTEXT(0, true)) continue; // reasons / cRLIssuer are not used by OCES
            const choice = readTlv(der, field.contentStart, field.end);
            if (choice.tag !== CONTEXT(0, true)) continue; // nameRelativeToCRLIssuer: not used by OCES
            const names = parseGeneralNames(der, choice);
            dp.uris.push(...names.uris);
            dp.directoryNames.push(...names.directoryNames);
          }
          result.crlDistributionPoints.push(dp);
        }
        break;
      case OID.authorityInfoAccess:
        for (const access of childrenOf(der, value)) {
          const [method, location] = childrenOf(der, access);
          if (!method || !location) throw new DerError('AccessDescription: expected two elements');
          const methodOid = decodeOid(der, method);
          if (location.tag !== CONTEXT(6, false)) continue;
          const uri = contentOf(der, location).toString('latin1');
          if (methodOid === OID.adOcsp) result.ocspUrls.push(uri);
          else if (methodOid === OID.adCaIssuers) result.caIssuerUrls.push(uri);
        }
        break;
      case OID.subjectAltName:
        result.emails.push(...parseGeneralNames(der, value).emails);
        break;
      case OID.authorityKeyIdentifier:
        for (const field of childrenOf(der, value)) {
          if (field.tag === CONTEXT(0, false)) result.authorityKeyIdHex = contentOf(der, field).toString('hex').toUpperCase();
        }
        break;
      case OID.subjectKeyIdentifier:
        if (value.tag !== TAG.OCTET_STRING) throw new DerError('subjectKeyIdentifier: expected an OCTET STRING');
        result.subjectKeyIdHex = contentOf(der, value).toString('hex').toUpperCase();
        break;
      case OID.ocspNoCheck:
        result.ocspNoCheck = true;
        break;
    }
  }
  return result;
}

function fail(message: string): never {
  throw new DerError(message);
}

export function algorithmOid(der: Buffer, algorithm: Tlv): string {
  if (algorithm.tag !== TAG.SEQUENCE) throw new DerError('AlgorithmIdentifier: expected a SEQUENCE');
  return decodeOid(der, childrenOf(der, algorithm)[0] ?? fail('empty AlgorithmIdentifier'));
}

const parsedByDer = new BoundedLru<string, ParsedCertificate>(512);

const parsedHere = new WeakSet<ParsedCertificate>();

/** Shared by every caller of the cache: nobody may change what another caller reads. */
function frozen(certificate: ParsedCertificate): ParsedCertificate {
  for (const value of Object.values(certificate)) if (Array.isArray(value)) Object.freeze(value);
  parsedHere.add(certificate);
  return Object.freeze(certificate);
}

/**
 * True for an object parseCertificate made (frozen, every field derived from `der`), false for one assembled or
 * altered elsewhere: only the former may have verdicts cached by its fingerprint.
 */
export function isParsedFromDer(certificate: ParsedCertificate): boolean {
  return parsedHere.has(certificate);
}

/**
 * Parses DER (or one PEM block) into a ParsedCertificate; anything malformed throws IdpError(`errorCode`). Parsed
 * once per distinct DER (bounded LRU); the result is frozen and shared.
 */
export function parseCertificate(
  input: Buffer | string,
  options: { errorCode?: ErrorCode } = {},
): ParsedCertificate {
  const errorCode = options.errorCode ?? 'NEMID_RESPONSE_MALFORMED';
  try {
    const der = typeof input === 'string' ? pemToDer(input) : input;
    // Keyed by the whole DER: the parse is a function of those bytes alone (no trust, time or environment in it),
    // so the cache needs no invalidation; the same chain arrives with every login.
    return parsedByDer.getOrCreate(der.toString('latin1'), () => frozen(parseCertificateDer(Buffer.from(der))));
  } catch (error) {
    if (error instanceof IdpError) throw error;
    throw new IdpError(errorCode, 'certificate refused', { cause: error });
  }
}

function parseCertificateDer(der: Buffer): ParsedCertificate {
  const root = readRoot(der, TAG.SEQUENCE, 'Certificate');
  const [tbs, signatureAlgorithm, signatureValue, extra] = childrenOf(der, root);
  if (!tbs || !signatureAlgorithm || !signatureValue || extra) throw new DerError('Certificate: expected three elements');
  if (tbs.tag !== TAG.SEQUENCE) throw new DerError('TBSCertificate: expected a SEQUENCE');
  const fields = childrenOf(der, tbs);
  let index = 0;
  let version = 1;
  if (fields[0]?.tag === CONTEXT(0, true)) {
    version = decodeSmallInteger(der, readTlv(der, fields[0].contentStart, fields[0].end)) + 1;
    index = 1;
  }
  const next = (what: string) => fields[index++] ?? fail(`TBSCertificate: missing ${what}`);
  const serial = next('serialNumber');
  const tbsAlgorithm = next('signature');
  const issuer = next('issuer');
  const validity = next('validity');
  const subject = next('subject');
  const spki = next('subjectPublicKeyInfo');
  let extensions: Tlv | undefined;
  for (const rest of fields.slice(index)) {
    if (rest.tag === CONTEXT(3, true)) extensions = rest;
    else if (rest.tag !== CONTEXT(1, false) && rest.tag !== CONTEXT(2, false)) fail('TBSCertificate: unexpected field');
  }
  if (version !== 3 && extensions) fail('extensions in a pre-v3 certificate');
  const [notBefore, notAfter] = childrenOf(der, validity);
  if (!notBefore || !notAfter) fail('Validity: expected two times');
  const spkiParts = childrenOf(der, spki);
  const publicKeyBits = decodeBitStringBytes(der, spkiParts[1] ?? fail('SPKI without key'));
  const issuerName = parseName(der, issuer);
  const subjectName = parseName(der, subject);
  const ext = parseExtensions(der, extensions);
  const spkiDer = Buffer.from(wholeOf(der, spki));
  const certificate: ParsedCertificate = {
    der,
    tbsDer: wholeOf(der, tbs),
    version,
    serialHex: decodeIntegerHex(der, serial),
    signatureAlgorithm: algorithmOid(der, signatureAlgorithm),
    tbsSignatureAlgorithm: algorithmOid(der, tbsAlgorithm),
    signature: decodeBitStringBytes(der, signatureValue),
    issuerName,
    subjectName,
    issuerDer: wholeOf(der, issuer),
    subjectDer: wholeOf(der, subject),
    issuer: formatName(issuerName),
    subject: formatName(subjectName),
    notBefore: decodeTime(der, notBefore),
    notAfter: decodeTime(der, notAfter),
    spkiDer,
    publicKeyBits,
    publicKey: createPublicKey({ key: spkiDer, format: 'der', type: 'spki' }),
    fingerprint256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    isCa: ext.basicConstraints?.ca === true,
    ...(ext.basicConstraints ? { basicConstraints: ext.basicConstraints } : {}),
    keyUsage: ext.keyUsage?.bits ?? [],
    keyUsageCritical: ext.keyUsage?.critical ?? false,
    hasKeyUsage: ext.keyUsage !== undefined,
    ...(ext.extendedKeyUsage ? { extendedKeyUsage: ext.extendedKeyUsage } : {}),
    policies: ext.policies,
    crlDistributionPoints: ext.crlDistributionPoints,
    ocspUrls: ext.ocspUrls,
    caIssuerUrls: ext.caIssuerUrls,
    emails: ext.emails,
    ...(ext.authorityKeyIdHex ? { authorityKeyIdHex: ext.authorityKeyIdHex } : {}),
    ...(ext.subjectKeyIdHex ? { subjectKeyIdHex: ext.subjectKeyIdHex } : {}),
    ocspNoCheck: ext.ocspNoCheck,
    selfIssued: wholeOf(der, issuer).equals(wholeOf(der, subject)),
    unknownCriticalExtensions: ext.unknownCritical,
  };
  return certificate;
}

/** All certificates in a PEM text (in order) or the one DER certificate in `bytes`. */
export function certificatesFromFile(bytes: Buffer): Buffer[] {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN')) {
    const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
    if (blocks.length === 0) throw new DerError('PEM without a CERTIFICATE block');
    return blocks.map((block) => strictBase64(block[1]!));
  }
  return [bytes];
}

function strictBase64(body: string): Buffer {
  const compact = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) throw new DerError('invalid PEM base64');
  return Buffer.from(compact, 'base64');
}

export function pemToDer(pem: string): Buffer {
  const [first] = certificatesFromFile(Buffer.from(pem, 'latin1'));
  return first ?? fail('no certificate');
}

export function derToPem(der: Buffer, label = 'CERTIFICATE'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

