import { IdpError } from '../../errors/index.js';
import { decodeStrictBase64 } from '../../shared/index.js';
import { NS, childElements, singleText } from '../../xml/index.js';

// Steps 8–12 of nemid-protocol.md §4.5. Properties are read only from the verified ds:Object handed over by the
// signature check; a second Object, a wrapper or a later duplicate elsewhere in the document is never looked at.

export interface SignedProperty {
  readonly name: string;
  readonly encoding: 'xml' | 'base64';
  /** The element text as signed (base64 text when encoding is base64). */
  readonly rawValue: string;
  /** The value: decoded UTF-8 for base64, except rememberUseridToken, kept as is (opaque, never decoded). */
  readonly value: string;
}

export type SignedProperties = Readonly<Record<string, string>>;

const OPAQUE_BASE64 = new Set(['rememberUseridToken']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(reason: string): never {
  throw new IdpError('NEMID_RESPONSE_MALFORMED', `signed properties refused: ${reason}`);
}

function onlyWhitespaceText(element: Element): void {
  for (const child of Array.from(element.childNodes)) {
    if (child.nodeType === 1) continue;
    if (child.nodeType === child.TEXT_NODE && (child.nodeValue ?? '').trim() === '') continue;
    malformed(`unexpected content in ${element.localName}`);
  }
}

function onlyAttributes(element: Element, allowed: string[]): void {
  for (const attribute of Array.from(element.attributes)) {
    if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
    if (!allowed.includes(attribute.name)) malformed(`attribute ${attribute.name} on ${element.localName}`);
  }
}

/** Reads `ds:SignatureProperties/ds:SignatureProperty` of the verified Object; names must be unique (ignoring case). */
export function readSignedProperties(signedObject: Element): SignedProperty[] {
  onlyWhitespaceText(signedObject);
  const containers = childElements(signedObject);
  const [container] = containers;
  if (containers.length !== 1 || !container || container.namespaceURI !== NS.ds || container.localName !== 'SignatureProperties') {
    malformed('the Object must hold exactly one ds:SignatureProperties');
  }
  onlyAttributes(container as Element, []);
  onlyWhitespaceText(container as Element);
  const seen = new Set<string>();
  const properties: SignedProperty[] = [];
  for (const property of childElements(container as Element)) {
    if (property.namespaceURI !== NS.ds || property.localName !== 'SignatureProperty') malformed('only ds:SignatureProperty');
    onlyAttributes(property, ['Target', 'Id']);
    onlyWhitespaceText(property);
    const parts = childElements(property);
    const [nameElement, valueElement] = parts;
    if (
      parts.length !== 2 ||
      !nameElement ||
      !valueElement ||
      nameElement.namespaceURI !== NS.openoces ||
      nameElement.localName !== 'Name' ||
      valueElement.namespaceURI !== NS.openoces ||
      valueElement.localName !== 'Value'
    ) {
      malformed('a property holds openoces:Name then openoces:Value');
    }
    onlyAttributes(nameElement as Element, []);
    onlyAttributes(valueElement as Element, ['Encoding', 'VisibleToSigner']);
    const name = singleText(nameElement as Element, 'NEMID_RESPONSE_MALFORMED');
    if (name === '') malformed('empty property name');
    if (seen.has(name.toLowerCase())) malformed(`duplicate property ${name}`);
    seen.add(name.toLowerCase());
    const encoding = (valueElement as Element).getAttribute('Encoding');
    const rawValue = singleText(valueElement as Element, 'NEMID_RESPONSE_MALFORMED');
    if (encoding === 'xml') {
      properties.push({ name, encoding, rawValue, value: rawValue });
    } else if (encoding === 'base64') {
      const bytes = decodeStrictBase64(rawValue.trim());
      if (!bytes) malformed(`property ${name} is not base64`);
      if (OPAQUE_BASE64.has(name)) {
        properties.push({ name, encoding, rawValue, value: rawValue.trim() });
        continue;
      }
      let decoded: string;
      try {
        decoded = utf8.decode(bytes as Buffer);
      } catch {
        return malformed(`property ${name} is not UTF-8`);
      }
      properties.push({ name, encoding, rawValue, value: decoded });
    } else {
      malformed(`property ${name} has Encoding ${String(encoding)}`);
    }
  }
  return properties;
}

export function propertyRecord(properties: SignedProperty[]): SignedProperties {
  const record: Record<string, string> = Object.create(null);
  for (const property of properties) record[property.name] = property.value;
  return Object.freeze(record);
}

const find = (properties: readonly SignedProperty[], name: string) => properties.find((p) => p.name === name);

/** Step 9: `action` must be `logon` (xml `logon` or base64 `bG9nb24=`). */
export function checkAction(properties: readonly SignedProperty[]): void {
  if (find(properties, 'action')?.value !== 'logon') throw new IdpError('NEMID_ACTION_INVALID', 'action is not logon');
}

/** Step 10 (after login/ consumed the transaction's challenge): the signed challenge must equal it exactly. */
export function checkChallenge(properties: readonly SignedProperty[], expectedChallenge: string): void {
  const signed = find(properties, 'challenge');
  if (typeof expectedChallenge !== 'string' || expectedChallenge === '' || signed?.value !== expectedChallenge) {
    throw new IdpError('NEMID_CHALLENGE_MISMATCH', signed ? 'challenge differs' : 'no signed challenge');
  }
}

/** Step 11: RequestIssuer equals NEMID_REQUEST_ISSUER exactly; the OCES I `logonto` property never passes. */
export function checkRequestIssuer(properties: readonly SignedProperty[], expectedIssuer: string): void {
  const signed = find(properties, 'RequestIssuer');
  if (typeof expectedIssuer !== 'string' || expectedIssuer === '' || find(properties, 'logonto') || signed?.value !== expectedIssuer) {
    throw new IdpError('NEMID_REQUEST_ISSUER_MISMATCH', 'RequestIssuer differs');
  }
}

/**
 * Step 12: TimeStamp equals the TIMESTAMP issued (as sent, or its decoded form). The CodeFile client signs no
 * TimeStamp, so only `client: 'codefile'` may lack it.
 */
export function checkTimestamp(properties: readonly SignedProperty[], expectedTimestamp: string, client?: 'js' | 'codefile'): void {
  const signed = find(properties, 'TimeStamp');
  if (!signed && client === 'codefile') return;
  if (typeof expectedTimestamp !== 'string' || expectedTimestamp === '' || !signed) {
    throw new IdpError('NEMID_TIMESTAMP_MISMATCH', 'no signed TimeStamp');
  }
  if (signed.rawValue !== expectedTimestamp && signed.value !== expectedTimestamp) {
    throw new IdpError('NEMID_TIMESTAMP_MISMATCH', 'TimeStamp differs');
  }
}
