// A minimal DER reader for the structures pki parses itself (certificates, names, CRLs). Input is untrusted: every
// length is bounds-checked, only definite lengths and single-byte tags are accepted, and every loop advances by at
// least one header, so malformed bytes end in a DerError, never in a crash or a hang.

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One TLV: `start` is where its header begins, `contentStart`..`end` its value. */
export interface Tlv {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Reads the TLV at `offset`, which must end at or before `limit`. */
export function readTlv(der: Uint8Array, offset: number, limit: number = der.length): Tlv {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const tag = der[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tag');
  const first = der[offset + 1]!;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = offset + 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) throw new DerError('indefinite length');
    if (count > 4) throw new DerError('length too long');
    if (offset + 2 + count > limit) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[offset + 2 + i]!;
    contentStart = offset + 2 + count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError('value runs past its container');
  return { tag, start: offset, contentStart, end };
}

/** Reads the TLV at `offset` and insists on `tag`. */
export function expectTlv(der: Uint8Array, offset: number, limit: number, tag: number, what: string): Tlv {
  const tlv = readTlv(der, offset, limit);
  if (tlv.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, got 0x${tlv.tag.toString(16)}`);
  return tlv;
}

/** The TLVs directly inside a constructed value. */
export function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] {
  const result: Tlv[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    const child = readTlv(der, offset, parent.end);
    result.push(child);
    offset = child.end;
  }
  return result;
}

/** The one top-level TLV of `der`; trailing bytes are refused. */
export function readRoot(der: Uint8Array, tag: number, what: string): Tlv {
  const root = expectTlv(der, 0, der.length, tag, what);
  if (root.end !== der.length) throw new DerError(`${what}: trailing bytes`);
  return root;
}

export function contentOf(der: Buffer, tlv: Tlv): Buffer {
  return der.subarray(tlv.contentStart, tlv.end);
}

export function wholeOf(der: Buffer, tlv: Tlv): Buffer {
  return der.subarray(tlv.start, tlv.end);
}

export function decodeOid(der: Buffer, tlv: Tlv): string {
  if (tlv.tag !== TAG.OID) throw new DerError('expected an OID');
  const bytes = contentOf(der, tlv);
  if (bytes.length === 0) throw new DerError('empty OID');
  const arcs: string[] = [];
  let value = 0n;
  let first = true;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (byte & 0x80) {
      if (i === bytes.length - 1) throw new DerError('truncated OID arc');
      continue;
    }
    if (first) {
      const head = value < 40n ? 0n : value < 80n ? 1n : 2n;
      arcs.push(head.toString(), (value - head * 40n).toString());
      first = false;
    } else {
      arcs.push(value.toString());
    }
    value = 0n;
  }
  return arcs.join('.');
}

/** An INTEGER as canonical upper-case hex of its unsigned magnitude bytes (leading zero octets dropped). */
export function decodeIntegerHex(der: Buffer, tlv: Tlv): string {
  if (tlv.tag !== TAG.INTEGER) throw new DerError('expected an INTEGER');
  return canonicalSerialHex(contentOf(der, tlv));
}

export function canonicalSerialHex(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  if (bytes.length === 0) throw new DerError('empty INTEGER');
  return Buffer.from(bytes.subarray(i)).toString('hex').toUpperCase();
}

export function decodeSmallInteger(der: Buffer, tlv: Tlv): number {
  if (tlv.tag !== TAG.INTEGER && tlv.tag !== TAG.ENUMERATED) throw new DerError('expected an INTEGER');
  const bytes = contentOf(der, tlv);
  if (bytes.length === 0 || bytes.length > 4 || (bytes[0]! & 0x80) !== 0) throw new DerError('integer out of range');
  let value = 0;
  for (const byte of bytes) value = value * 256 + byte;
  return value;
}

export function decodeBoolean(der: Buffer, tlv: Tlv): boolean {
  if (tlv.tag !== TAG.BOOLEAN || tlv.end - tlv.contentStart !== 1) throw new DerError('expected a BOOLEAN');
  return der[tlv.contentStart] !== 0;
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** UTCTime (years 1950–2049, RFC 5280) or GeneralizedTime, both in the Z form RFC 5280 requires. */
export function decodeTime(der: Buffer, tlv: Tlv): Date {
  const text = contentOf(der, tlv).toString('latin1');
  let match: RegExpExecArray | null;
  let year: number;
  if (tlv.tag === TAG.UTC_TIME && (match = UTC_TIME.exec(text))) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (tlv.tag === TAG.GENERALIZED_TIME && (match = GENERALIZED_TIME.exec(text))) {
    year = Number(match[1]);
  } else {
    throw new DerError('invalid time');
  }
  const [month, day, hour, minute, second] = match.slice(2).map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new DerError('invalid time');
  }
  return date;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Directory string types as text. TeletexString is read as Latin-1, as every real-world decoder does. */
export function decodeString(der: Buffer, tlv: Tlv): string {
  const bytes = contentOf(der, tlv);
  switch (tlv.tag) {
    case TAG.UTF8_STRING:
      try {
        return UTF8.decode(bytes);
      } catch {
        throw new DerError('invalid UTF-8');
      }
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
      for (const byte of bytes) if (byte > 0x7f) throw new DerError('non-ASCII byte in an ASCII string');
      return bytes.toString('latin1');
    case TAG.TELETEX_STRING:
      return bytes.toString('latin1');
    case TAG.BMP_STRING: {
      if (bytes.length % 2 !== 0) throw new DerError('odd BMPString');
      return Buffer.from(bytes).swap16().toString('utf16le');
    }
    default:
      throw new DerError(`unsupported string tag 0x${tlv.tag.toString(16)}`);
  }
}

/** The content of a BIT STRING with zero unused bits (signatures, keys). */
export function decodeBitStringBytes(der: Buffer, tlv: Tlv): Buffer {
  if (tlv.tag !== TAG.BIT_STRING || tlv.end === tlv.contentStart) throw new DerError('expected a BIT STRING');
  if (der[tlv.contentStart] !== 0) throw new DerError('BIT STRING with unused bits');
  return der.subarray(tlv.contentStart + 1, tlv.end);
}

/** A named-bit BIT STRING (keyUsage) as the set of bit numbers that are 1. */
export function decodeNamedBits(der: Buffer, tlv: Tlv): Set<number> {
  if (tlv.tag !== TAG.BIT_STRING || tlv.end === tlv.contentStart) throw new DerError('expected a BIT STRING');
  const unused = der[tlv.contentStart]!;
  if (unused > 7) throw new DerError('invalid unused-bit count');
  const bits = new Set<number>();
  const bytes = der.subarray(tlv.contentStart + 1, tlv.end);
  for (let i = 0; i < bytes.length; i++) {
    for (let bit = 0; bit < 8; bit++) if (bytes[i]! & (0x80 >> bit)) bits.add(i * 8 + bit);
  }
  return bits;
}
