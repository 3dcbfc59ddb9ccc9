// CRL parsing for CRLs of any size: a DER walk over TBSCertList that indexes revoked serials by their byte offsets
// (an open-addressing hash table over the DER itself), so a 1,000,000-entry CRL loads in well under a second and
// costs a few MB beyond its own bytes. The signature is checked separately over the exact TBSCertList bytes.
import {
  DerError,
  TAG,
  childrenOf,
  decodeBitStringBytes,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  decodeTime,
  expectTlv,
  readRoot,
  readTlv,
  wholeOf,
  type Tlv,
} from './der.js';
import { algorithmOid, parseGeneralNames } from './certificate.js';
import { formatName, parseName, type ParsedName } from './names.js';
import { OID } from './oids.js';

export interface ParsedCrl {
  readonly der: Buffer;
  readonly tbsDer: Buffer;
  readonly version: number;
  readonly signatureAlgorithm: string;
  readonly tbsSignatureAlgorithm: string;
  readonly signature: Buffer;
  readonly issuerName: ParsedName;
  readonly issuer: string;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly entries: number;
  readonly authorityKeyIdHex?: string;
  readonly crlNumber?: string;
  readonly hasIssuingDistributionPoint: boolean;
  /** directoryNames in the IssuingDistributionPoint's fullName (a partition CRL names its partition there). */
  readonly issuingDistributionPointNames: ParsedName[];
  readonly isDelta: boolean;
  /** Critical CRL or entry extensions this parser does not understand (RFC 5280: such a CRL is unusable). */
  readonly unknownCriticalExtensions: string[];
  /** Whether the serial (canonical upper-case hex, as ParsedCertificate.serialHex) is listed. */
  isRevoked(serialHex: string): boolean;
  /** The listed entry of the serial: its revocationDate and reasonCode (RFC 5280 name), read on demand. */
  revocationOf(serialHex: string): CrlEntry | undefined;
}

export interface CrlEntry {
  readonly revokedAt: Date;
  /** RFC 5280 §5.3.1 CRLReason name (`keyCompromise`, …), or `reason <n>` for a value it does not name. */
  readonly reason?: string;
}

/** RFC 5280 §5.3.1. */
const CRL_REASONS: Readonly<Record<number, string>> = {
  0: 'unspecified', 1: 'keyCompromise', 2: 'cACompromise', 3: 'affiliationChanged', 4: 'superseded',
  5: 'cessationOfOperation', 6: 'certificateHold', 8: 'removeFromCRL', 9: 'privilegeWithdrawn', 10: 'aACompromise',
};

const KNOWN_CRL_EXTENSIONS = new Set<string>([OID.crlNumber, OID.authorityKeyIdentifier, OID.issuingDistributionPoint, OID.deltaCrlIndicator]);
const KNOWN_ENTRY_EXTENSIONS = new Set<string>([OID.reasonCode, OID.invalidityDate]);

interface ExtensionView {
  oid: string;
  critical: boolean;
  value: Tlv;
}

function readExtensions(der: Buffer, list: Tlv): ExtensionView[] {
  if (list.tag !== TAG.SEQUENCE) throw new DerError('Extensions: expected a SEQUENCE');
  return childrenOf(der, list).map((extension) => {
    const parts = childrenOf(der, extension);
    const oid = decodeOid(der, parts[0] ?? fail('extension without OID'));
    let critical = false;
    let value = parts[1];
    if (value?.tag === TAG.BOOLEAN) {
      critical = decodeBoolean(der, value);
      value = parts[2];
    }
    if (!value || value.tag !== TAG.OCTET_STRING) throw new DerError('extension without value');
    return { oid, critical, value };
  });
}

/**
 * Entry extensions are walked without building objects (a big CRL has one per entry): only a critical one is
 * decoded, and it must be one we know.
 */
function checkEntryExtensions(der: Buffer, list: Tlv, unknownCritical: string[]): void {
  let at = list.contentStart;
  while (at < list.end) {
    const extension = expectTlv(der, at, list.end, TAG.SEQUENCE, 'entry extension');
    at = extension.end;
    const id = expectTlv(der, extension.contentStart, extension.end, TAG.OID, 'entry extension id');
    const second = readTlv(der, id.end, extension.end);
    let value = second;
    if (second.tag === TAG.BOOLEAN) {
      if (decodeBoolean(der, second)) {
        const oid = decodeOid(der, id);
        if (!KNOWN_ENTRY_EXTENSIONS.has(oid)) unknownCritical.push(oid);
      }
      value = readTlv(der, second.end, extension.end);
    }
    if (value.tag !== TAG.OCTET_STRING || value.end !== extension.end) throw new DerError('entry extension value malformed');
  }
}

function fail(message: string): never {
  throw new DerError(message);
}

/** Serial bytes without leading zero octets: the integer's identity for comparison. */
function trimLeadingZeros(der: Buffer, start: number, end: number): number {
  while (start < end - 1 && der[start] === 0) start++;
  return start;
}

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

/** Open-addressing table of (start, end) byte ranges of serials inside the DER. */
class SerialIndex {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly mask: number;
  count = 0;

  constructor(
    private readonly der: Buffer,
    capacityHint: number,
  ) {
    let size = 16;
    while (size < capacityHint * 2) size *= 2;
    this.starts = new Int32Array(size).fill(-1);
    this.ends = new Int32Array(size);
    this.mask = size - 1;
  }

  add(start: number, end: number): void {
    let slot = hashBytes(this.der, start, end) & this.mask;
    while (this.starts[slot] !== -1) {
      if (this.equals(slot, this.der, start, end)) return; // a duplicate entry adds nothing
      slot = (slot + 1) & this.mask;
    }
    this.starts[slot] = start;
    this.ends[slot] = end;
    this.count++;
  }

  has(bytes: Uint8Array): boolean {
    return this.endOf(bytes) !== -1;
  }

  /** Where the listed serial ends in the DER (its entry's revocationDate follows), or -1. */
  endOf(bytes: Uint8Array): number {
    let slot = hashBytes(bytes, 0, bytes.length) & this.mask;
    while (this.starts[slot] !== -1) {
      if (this.equals(slot, bytes, 0, bytes.length)) return this.ends[slot]!;
      slot = (slot + 1) & this.mask;
    }
    return -1;
  }

  private equals(slot: number, bytes: Uint8Array, start: number, end: number): boolean {
    const s = this.starts[slot]!;
    const e = this.ends[slot]!;
    if (e - s !== end - start) return false;
    for (let i = 0; i < e - s; i++) if (this.der[s + i] !== bytes[start + i]) return false;
    return true;
  }
}

const HEX = /^[0-9A-F]+$/;

/**
 * Parses a DER CRL. Throws DerError on anything malformed; judges nothing (see crl-validation.ts). The result
 * indexes into `der` without copying it (a big CRL would double in memory), so the caller must not modify it.
 */
export function parseCrl(der: Buffer): ParsedCrl {
  const root = readRoot(der, TAG.SEQUENCE, 'CertificateList');
  const [tbs, signatureAlgorithm, signatureValue, extra] = childrenOf(der, root);
  if (!tbs || !signatureAlgorithm || !signatureValue || extra) throw new DerError('CertificateList: expected three elements');
  if (tbs.tag !== TAG.SEQUENCE) throw new DerError('TBSCertList: expected a SEQUENCE');

  let offset = tbs.contentStart;
  const next = () => {
    if (offset >= tbs.end) return undefined;
    const tlv = readTlv(der, offset, tbs.end);
    offset = tlv.end;
    return tlv;
  };
  let field = next();
  let version = 1;
  if (field?.tag === TAG.INTEGER) {
    version = decodeSmallInteger(der, field) + 1;
    field = next();
  }
  const tbsAlgorithm = field ?? fail('TBSCertList: missing signature');
  const issuer = next() ?? fail('TBSCertList: missing issuer');
  const thisUpdateTlv = next() ?? fail('TBSCertList: missing thisUpdate');
  const thisUpdate = decodeTime(der, thisUpdateTlv);
  field = next();
  let nextUpdate: Date | undefined;
  if (field && (field.tag === TAG.UTC_TIME || field.tag === TAG.GENERALIZED_TIME)) {
    nextUpdate = decodeTime(der, field);
    field = next();
  }

  const unknownCritical: string[] = [];
  let index = new SerialIndex(der, 0);
  let entriesList: { start: number; end: number } | undefined;
  if (field?.tag === TAG.SEQUENCE) {
    entriesList = { start: field.contentStart, end: field.end };
    // Each entry: SEQUENCE { userCertificate INTEGER, revocationDate Time, crlEntryExtensions Extensions OPTIONAL }.
    // A cheap first pass counts entries to size the table; the second indexes and checks them.
    let count = 0;
    for (let at = field.contentStart; at < field.end; count++) at = readTlv(der, at, field.end).end;
    index = new SerialIndex(der, count);
    let at = field.contentStart;
    while (at < field.end) {
      const entry = expectTlv(der, at, field.end, TAG.SEQUENCE, 'revoked entry');
      at = entry.end;
      const serial = expectTlv(der, entry.contentStart, entry.end, TAG.INTEGER, 'revoked serial');
      if (serial.end === serial.contentStart) throw new DerError('empty serial');
      const date = readTlv(der, serial.end, entry.end);
      if (date.tag !== TAG.UTC_TIME && date.tag !== TAG.GENERALIZED_TIME) throw new DerError('revocationDate: expected a time');
      if (date.end < entry.end) {
        const extensions = expectTlv(der, date.end, entry.end, TAG.SEQUENCE, 'crlEntryExtensions');
        if (extensions.end !== entry.end) throw new DerError('revoked entry: trailing bytes');
        checkEntryExtensions(der, extensions, unknownCritical);
      }
      index.add(trimLeadingZeros(der, serial.contentStart, serial.end), serial.end);
    }
    field = next();
  }

  let authorityKeyIdHex: string | undefined;
  let crlNumber: string | undefined;
  let hasIssuingDistributionPoint = false;
  const issuingDistributionPointNames: ParsedName[] = [];
  let isDelta = false;
  if (field?.tag === 0xa0) {
    const list = readTlv(der, field.contentStart, field.end);
    if (list.end !== field.end) throw new DerError('crlExtensions: trailing bytes');
    for (const extension of readExtensions(der, list)) {
      if (extension.critical && !KNOWN_CRL_EXTENSIONS.has(extension.oid)) unknownCritical.push(extension.oid);
      const value = readTlv(der, extension.value.contentStart, extension.value.end);
      if (extension.oid === OID.issuingDistributionPoint) {
        hasIssuingDistributionPoint = true;
        // IssuingDistributionPoint ::= SEQUENCE { distributionPoint [0] { fullName [0] GeneralNames } ... }
        const point = childrenOf(der, value).find((part) => part.tag === 0xa0);
        const fullName = point ? childrenOf(der, point).find((part) => part.tag === 0xa0) : undefined;
        if (fullName) issuingDistributionPointNames.push(...parseGeneralNames(der, fullName).directoryNames);
      }
      if (extension.oid === OID.deltaCrlIndicator) isDelta = true;
      if (extension.oid === OID.crlNumber) crlNumber = der.subarray(value.contentStart, value.end).toString('hex').toUpperCase();
      if (extension.oid === OID.authorityKeyIdentifier) {
        for (const part of childrenOf(der, value)) {
          if (part.tag === 0x80) authorityKeyIdHex = der.subarray(part.contentStart, part.end).toString('hex').toUpperCase();
        }
      }
    }
    field = next();
  }
  if (field) throw new DerError('TBSCertList: unexpected trailing field');

  const issuerName = parseName(der, issuer);
  const serialIndex = index;
  return {
    der,
    tbsDer: wholeOf(der, tbs),
    version,
    signatureAlgorithm: algorithmOid(der, signatureAlgorithm),
    tbsSignatureAlgorithm: algorithmOid(der, tbsAlgorithm),
    signature: decodeBitStringBytes(der, signatureValue),
    issuerName,
    issuer: formatName(issuerName),
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    entries: serialIndex.count,
    ...(authorityKeyIdHex ? { authorityKeyIdHex } : {}),
    ...(crlNumber ? { crlNumber } : {}),
    hasIssuingDistributionPoint,
    issuingDistributionPointNames,
    isDelta,
    unknownCriticalExtensions: unknownCritical,
    isRevoked(serialHex: string): boolean {
      const bytes = serialBytes(serialHex);
      return bytes !== undefined && serialIndex.has(bytes);
    },
    revocationOf(serialHex: string): CrlEntry | undefined {
      const bytes = serialBytes(serialHex);
      const serialEnd = bytes === undefined ? -1 : serialIndex.endOf(bytes);
      return serialEnd === -1 || !entriesList ? undefined : readEntry(der, entriesList, serialEnd);
    },
  };
}

function serialBytes(serialHex: string): Buffer | undefined {
  const hex = serialHex.toUpperCase();
  if (!HEX.test(hex)) return undefined;
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

/**
 * revocationDate and reasonCode of the entry whose serial ends at `serialEnd` (parseCrl checked its shape). A walk
 * over the entries, only done for a revoked certificate, so the index needs no second table.
 */
function readEntry(der: Buffer, entries: { start: number; end: number }, serialEnd: number): CrlEntry | undefined {
  let at = entries.start;
  while (at < entries.end) {
    const entry = readTlv(der, at, entries.end);
    at = entry.end;
    const serial = readTlv(der, entry.contentStart, entry.end);
    if (serial.end === serialEnd) return readEntryFields(der, serial.end, entry.end);
  }
  return undefined;
}

function readEntryFields(der: Buffer, serialEnd: number, entryEnd: number): CrlEntry {
  const date = readTlv(der, serialEnd, entryEnd);
  const revokedAt = decodeTime(der, date);
  if (date.end >= entryEnd) return { revokedAt };
  const list = readTlv(der, date.end, entryEnd);
  let at = list.contentStart;
  while (at < list.end) {
    const extension = readTlv(der, at, list.end);
    at = extension.end;
    const id = readTlv(der, extension.contentStart, extension.end);
    if (decodeOid(der, id) !== OID.reasonCode) continue;
    let value = readTlv(der, id.end, extension.end);
    if (value.tag === TAG.BOOLEAN) value = readTlv(der, value.end, extension.end);
    const enumerated = readTlv(der, value.contentStart, value.end);
    if (enumerated.tag !== 0x0a || enumerated.end - enumerated.contentStart !== 1) return { revokedAt, reason: 'reason malformed' };
    const code = der[enumerated.contentStart]!;
    return { revokedAt, reason: CRL_REASONS[code] ?? `reason ${code}` };
  }
  return { revokedAt };
}
