// A minimal DER writer for what pki itself produces: dev-pki certificates, CRLs and OCSP responses, and the bench's
// 1,000,000-entry CRL. Definite lengths only; callers pass already-encoded children.

export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = contents.length === 1 ? contents[0]! : Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const sequence = (...items: Buffer[]) => tlv(0x30, ...items);
export const set = (...items: Buffer[]) => tlv(0x31, ...items);
export const explicit = (n: number, ...items: Buffer[]) => tlv(0xa0 | n, ...items);
export const implicitPrimitive = (n: number, content: Buffer) => tlv(0x80 | n, content);
export const implicitConstructed = (n: number, ...items: Buffer[]) => tlv(0xa0 | n, ...items);
export const octetString = (content: Buffer) => tlv(0x04, content);
export const bitString = (content: Buffer) => tlv(0x03, Buffer.from([0]), content);
export const nullValue = () => Buffer.from([0x05, 0x00]);
export const boolean = (value: boolean) => Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);
export const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
export const printable = (text: string) => tlv(0x13, Buffer.from(text, 'latin1'));
export const ia5 = (text: string) => tlv(0x16, Buffer.from(text, 'latin1'));
export const enumerated = (value: number) => tlv(0x0a, Buffer.from([value]));

/** A non-negative INTEGER from hex (a leading zero octet is added when the high bit is set). */
export function integerHex(hex: string): Buffer {
  let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export const integer = (value: number) => integerHex(value.toString(16));

export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first = 0n, second = 0n, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) chunk.unshift(Number(value & 0x7fn) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function time(date: Date): Buffer {
  const iso = date.toISOString();
  const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(compact.slice(2), 'latin1')) : tlv(0x18, Buffer.from(compact, 'latin1'));
}

export function algorithm(dotted: string, withNullParameters = true): Buffer {
  return withNullParameters ? sequence(oid(dotted), nullValue()) : sequence(oid(dotted));
}

/** A named-bit BIT STRING (keyUsage) with trailing zero bits trimmed as DER requires. */
export function namedBits(bits: readonly number[]): Buffer {
  if (bits.length === 0) return Buffer.from([0x03, 0x01, 0x00]);
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)]! |= 0x80 >> bit % 8;
  const unused = 7 - (highest % 8);
  return tlv(0x03, Buffer.from([unused]), bytes);
}

export function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

/** GeneralizedTime in the Z form (OCSP uses it throughout). */
export function generalizedTime(date: Date): Buffer {
  const iso = date.toISOString();
  const compact = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x18, Buffer.from(compact, 'latin1'));
}
