import { randomBytes } from 'node:crypto';
import type { ResponseProperty } from '../../nemid/index.js';
import type { FaultName } from '../users/test-users.js';

// Response faults for tests (nemid-protocol.md §10 item 8). Property faults change what is signed (the signature
// stays valid); document faults change the signed document afterwards, the way an attacker in the browser would.

export type KeyInfoSlot = 'leaf' | 'issuingCa' | 'root';

/** The signed properties with a property fault applied (other faults leave them unchanged). */
export function applyPropertyFault(fault: FaultName | undefined, properties: ResponseProperty[]): ResponseProperty[] {
  switch (fault) {
    case 'no-challenge':
      return properties.filter((property) => property.name !== 'challenge');
    case 'wrong-challenge':
      return properties.map((property) => (property.name === 'challenge' ? { ...property, value: randomBytes(16).toString('hex') } : property));
    case 'wrong-issuer':
      return properties.map((property) => (property.name === 'RequestIssuer' ? { ...property, value: `${property.value} (other SP)` } : property));
    case 'action-sign':
      return properties.map((property) => (property.name === 'action' ? { ...property, value: 'sign' } : property));
    case 'duplicate-property': {
      // A second, different challenge: a verifier where the later value wins would accept another login's challenge.
      const at = properties.findIndex((property) => property.name === 'challenge');
      const copy: ResponseProperty = { name: 'challenge', value: randomBytes(16).toString('hex'), encoding: 'xml', visibleToSigner: false };
      return at < 0 ? [...properties, copy] : [...properties.slice(0, at + 1), copy, ...properties.slice(at + 1)];
    }
    case 'timestamp-mismatch':
      return properties.map((property) => (property.name === 'TimeStamp' ? { ...property, value: shiftedTimestamp(property.value) } : property));
    default:
      return properties;
  }
}

/** A TimeStamp one second later than the one sent, in the same text form. */
function shiftedTimestamp(text: string): string {
  if (/^[0-9]+$/.test(text)) return String(Number(text) + 1000);
  const match = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:)(\d{2})(.*)$/.exec(text);
  if (!match) return `${text} `;
  const seconds = (Number(match[2]) + 1) % 60;
  return `${match[1]}${String(seconds).padStart(2, '0')}${match[3]}`;
}

/** KeyInfo order: the client's own, or a random permutation other than it for `shuffled-keyinfo`. */
export function keyInfoOrder(client: 'js' | 'codefile', fault: FaultName | undefined): KeyInfoSlot[] {
  const standard: KeyInfoSlot[] = client === 'js' ? ['issuingCa', 'leaf', 'root'] : ['leaf', 'issuingCa', 'root'];
  if (fault !== 'shuffled-keyinfo') return standard;
  const permutations = (
    [
      ['leaf', 'issuingCa', 'root'],
      ['leaf', 'root', 'issuingCa'],
      ['issuingCa', 'leaf', 'root'],
      ['issuingCa', 'root', 'leaf'],
      ['root', 'leaf', 'issuingCa'],
      ['root', 'issuingCa', 'leaf'],
    ] as KeyInfoSlot[][]
  ).filter((order) => order.join() !== standard.join());
  return permutations[(randomBytes(1)[0] ?? 0) % permutations.length] ?? standard;
}

const SIGNATURE_VALUE = /(<ds:SignatureValue>\n)([^<]+)(\n<\/ds:SignatureValue>)/;
const SIGNED_OBJECT = /<ds:Object xmlns:ds="[^"]+" xmlns:openoces="[^"]+" Id="ToBeSigned">[\s\S]*?<\/ds:Object>/;
const CHALLENGE_VALUE = /(<openoces:Name>challenge<\/openoces:Name><openoces:Value[^>]*>)[^<]*/;

/** The signed document with a document fault applied (the others leave it unchanged). */
export function applyDocumentFault(fault: FaultName | undefined, signedXml: string): string {
  switch (fault) {
    case 'bad-signature':
      // One bit of the signature value flipped: the digest still matches, the signature does not.
      return signedXml.replace(SIGNATURE_VALUE, (_all, open: string, value: string, close: string) => {
        const bytes = Buffer.from(value.replace(/\n/g, ''), 'base64');
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
        const text = bytes.toString('base64').replace(/(.{76})(?=.)/g, '$1\n');
        return `${open}${text}${close}`;
      });
    case 'second-object': {
      // An unsigned second Object after the signed one, carrying another challenge.
      const signed = SIGNED_OBJECT.exec(signedXml)?.[0] ?? '';
      return signedXml.replace(signed, `${signed}\n${forgedCopy(signed)}`);
    }
    case 'wrapped-reference': {
      // The signed Object moved into a wrapper Object; an unsigned look-alike with another challenge takes its place.
      const signed = SIGNED_OBJECT.exec(signedXml)?.[0] ?? '';
      const ns = 'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
      return signedXml.replace(signed, `${forgedCopy(signed)}\n<ds:Object ${ns}><Wrapper xmlns="">${signed}</Wrapper></ds:Object>`);
    }
    default:
      return signedXml;
  }
}

function forgedCopy(signedObject: string): string {
  return signedObject.replace(' Id="ToBeSigned"', '').replace(CHALLENGE_VALUE, `$1${randomBytes(16).toString('hex')}`);
}
