// Distinguished names: parsed RDN by RDN so a multi-valued RDN (OCES subjects put CN and serialNumber in one) stays
// one RDN, attributes are read by OID, and names are compared structurally rather than as rendered text.
import { DerError, TAG, childrenOf, decodeOid, decodeString, type Tlv } from './der.js';
import { OID } from './oids.js';

export interface NameAttribute {
  readonly oid: string;
  readonly value: string;
}
/** RDNs in DER order (C first for OCES names); each RDN is a set of one or more attributes. */
export type ParsedName = ReadonlyArray<ReadonlyArray<NameAttribute>>;

const SHORT_NAMES: Readonly<Record<string, string>> = {
  [OID.commonName]: 'CN',
  [OID.serialNumber]: 'serialNumber',
  [OID.country]: 'C',
  [OID.locality]: 'L',
  [OID.state]: 'ST',
  [OID.organization]: 'O',
  [OID.organizationalUnit]: 'OU',
  [OID.emailAddress]: 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
};

export function parseName(der: Buffer, name: Tlv): ParsedName {
  if (name.tag !== TAG.SEQUENCE) throw new DerError('Name: expected a SEQUENCE');
  return childrenOf(der, name).map((rdn) => {
    if (rdn.tag !== TAG.SET) throw new DerError('RDN: expected a SET');
    const attributes = childrenOf(der, rdn).map((pair) => {
      if (pair.tag !== TAG.SEQUENCE) throw new DerError('AttributeTypeAndValue: expected a SEQUENCE');
      const [type, value, extra] = childrenOf(der, pair);
      if (!type || !value || extra) throw new DerError('AttributeTypeAndValue: expected two elements');
      return { oid: decodeOid(der, type), value: decodeString(der, value) };
    });
    if (attributes.length === 0) throw new DerError('empty RDN');
    return attributes;
  });
}

function escapeValue(value: string): string {
  let escaped = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (escaped.startsWith('#') || escaped.startsWith(' ')) escaped = `\\${escaped}`;
  if (escaped.endsWith(' ') && escaped.length > 1) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

/** RFC 4514 string (last RDN first), e.g. `CN=TRUST2408 OCES CA III,O=TRUST2408,C=DK`. For logs and display only. */
export function formatName(name: ParsedName): string {
  return [...name]
    .reverse()
    .map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.oid] ?? a.oid}=${escapeValue(a.value)}`).join('+'))
    .join(',');
}

/** Every value of attribute `oid`, in DER order, multi-valued RDNs included. */
export function attributeValues(name: ParsedName, oid: string): string[] {
  return name.flatMap((rdn) => rdn.filter((a) => a.oid === oid).map((a) => a.value));
}

/** The single value of `oid`, or undefined when absent; several values are refused by the caller's profile check. */
export function singleAttribute(name: ParsedName, oid: string): string | undefined {
  const values = attributeValues(name, oid);
  return values.length === 1 ? values[0] : undefined;
}

function normaliseValue(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Name equality after RFC 5280 §7.1-style normalisation (case and insignificant whitespace ignored, the order of
 * attributes inside an RDN ignored). String type differences do not matter because values are compared as text.
 */
export function namesEqual(a: ParsedName, b: ParsedName): boolean {
  if (a.length !== b.length) return false;
  return a.every((rdnA, i) => {
    const rdnB = b[i]!;
    if (rdnA.length !== rdnB.length) return false;
    const key = (x: NameAttribute) => `${x.oid}=${normaliseValue(x.value)}`;
    const setB = new Set(rdnB.map(key));
    return rdnA.every((x) => setB.has(key(x)));
  });
}
