import { ENVELOPING_ALGORITHMS, NS } from '../../xml/index.js';

// The byte layout of a NemID OCES login response (nemid-protocol.md §4.2), both clients: UTF-8, LF, no indentation,
// explicit end tags, base64 in 76-character lines, no final newline. The Object and SignedInfo are written in their
// inclusive-C14N form, so the bytes written are the bytes digested and signed.

export type ResponseClient = 'js' | 'codefile';

export interface ResponseProperty {
  readonly name: string;
  /** The value in clear; `base64` properties are written base64-encoded (UTF-8). */
  readonly value: string;
  readonly encoding: 'xml' | 'base64';
  readonly visibleToSigner: boolean;
  /** The element text exactly as to be signed, when it is not derived from `value` (opaque base64 tokens). */
  readonly signedText?: string;
}

/** The Signature Id and the properties' Target per client (JS `signature`; CodeFile `OpensignSignature`). */
export const CLIENT_SIGNATURE_ID: Record<ResponseClient, { id: string; target: string }> = {
  js: { id: 'signature', target: 'signature' },
  codefile: { id: 'OpensignSignature', target: '#OpensignSignature' },
};

const DECLARATION = '<?xml version="1.0" encoding="UTF-8" ?>';

/** C14N text escaping (the only escaping the layout needs: names and values are element text). */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

export function base64Lines(bytes: Buffer, lineLength = 76): string {
  const text = bytes.toString('base64');
  const lines: string[] = [];
  for (let offset = 0; offset < text.length; offset += lineLength) lines.push(text.slice(offset, offset + lineLength));
  return lines.join('\n');
}

/** The `ds:Object` exactly as written and digested. */
export function objectXml(client: ResponseClient, properties: readonly ResponseProperty[]): string {
  const target = CLIENT_SIGNATURE_ID[client].target;
  const lines = properties.map((property) => {
    const text =
      property.signedText ?? (property.encoding === 'base64' ? Buffer.from(property.value, 'utf8').toString('base64') : property.value);
    return (
      `<ds:SignatureProperty Target="${target}"><openoces:Name>${escapeText(property.name)}</openoces:Name>` +
      `<openoces:Value Encoding="${property.encoding}" VisibleToSigner="${property.visibleToSigner ? 'yes' : 'no'}">` +
      `${escapeText(text)}</openoces:Value></ds:SignatureProperty>`
    );
  });
  return [
    `<ds:Object xmlns:ds="${NS.ds}" xmlns:openoces="${NS.openoces}" Id="ToBeSigned"><ds:SignatureProperties>`,
    ...lines,
    '</ds:SignatureProperties></ds:Object>',
  ].join('\n');
}

/** The `ds:SignedInfo` exactly as written and signed. */
export function signedInfoXml(digestValue: Buffer): string {
  return [
    `<ds:SignedInfo xmlns:ds="${NS.ds}" xmlns:openoces="${NS.openoces}">`,
    `<ds:CanonicalizationMethod Algorithm="${ENVELOPING_ALGORITHMS.canonicalization}"></ds:CanonicalizationMethod>`,
    `<ds:SignatureMethod Algorithm="${ENVELOPING_ALGORITHMS.signature}"></ds:SignatureMethod>`,
    '<ds:Reference URI="#ToBeSigned">',
    `<ds:DigestMethod Algorithm="${ENVELOPING_ALGORITHMS.digest}"></ds:DigestMethod>`,
    `<ds:DigestValue>${digestValue.toString('base64')}</ds:DigestValue>`,
    '</ds:Reference>',
    '</ds:SignedInfo>',
  ].join('\n');
}

export interface SerializeOcesResponseInput {
  client: ResponseClient;
  /** The signed properties in the order the client writes them. */
  properties: readonly ResponseProperty[];
  /** SHA-256 of objectXml(client, properties). */
  digestValue: Buffer;
  signatureValue: Buffer;
  /** DER certificates in KeyInfo order (JS: CA, user, root; CodeFile: user, CA, root). */
  certificates: readonly Buffer[];
}

/** Writes the whole document; `signatureValue` must be the signature over signedInfoXml(digestValue). */
export function serializeOcesResponse(input: SerializeOcesResponseInput): string {
  const { id } = CLIENT_SIGNATURE_ID[input.client];
  const certificates = input.certificates.map((der) =>
    ['<ds:X509Data>', '<ds:X509Certificate>', base64Lines(der), '</ds:X509Certificate>', '</ds:X509Data>'].join('\n'),
  );
  return [
    DECLARATION,
    `<openoces:signature xmlns:openoces="${NS.openoces}" version="0.1"><ds:Signature xmlns:ds="${NS.ds}" Id="${id}">`,
    signedInfoXml(input.digestValue),
    '<ds:SignatureValue>',
    base64Lines(input.signatureValue),
    '</ds:SignatureValue>',
    '<ds:KeyInfo>',
    ...certificates,
    '</ds:KeyInfo>',
    objectXml(input.client, input.properties),
    '</ds:Signature></openoces:signature>',
  ].join('\n');
}
