import { IdpError } from '../../errors/index.js';
import { NS, canonicalizeInclusive, type UnverifiedEnvelopingSignature } from '../../xml/index.js';
import { base64Lines } from '../response-format/layout.js';
import { readNemidDocument } from './structure.js';

// What a login keeps as evidence (issue 16.7): what was signed, not what was received. The document is rebuilt from
// the verified parts only — SignedInfo and the signed Object in their inclusive-C14N form (the bytes the digest and
// the signature cover), the SignatureValue, and in KeyInfo the certificate chain the verdict rests on (leaf first,
// up to the pinned root) — in the layout of nemid-protocol.md §4.2. Anything else the sender put in the document
// (attributes on the root, extra certificates, whitespace) is not kept. The result is itself a NemID document, so
// `nemid-idp verify-response --at` verifies it as it would the original.

const SAFE_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export function evidenceDocument(parts: UnverifiedEnvelopingSignature, signedObjectBytes: Buffer, chainDer: readonly Buffer[]): string {
  if (chainDer.length === 0) throw new IdpError('INTERNAL_ERROR', 'evidence needs the certificate chain of the verdict');
  const signedInfo = canonicalizeInclusive(parts.signedInfo);
  const signedObject = signedObjectBytes.toString('utf8');
  const id = parts.signature.getAttribute('Id') ?? '';
  const certificates = chainDer.map((der) => ['<ds:X509Data>', '<ds:X509Certificate>', base64Lines(der), '</ds:X509Certificate>', '</ds:X509Data>'].join('\n'));
  const xml = [
    '<?xml version="1.0" encoding="UTF-8" ?>',
    `<openoces:signature xmlns:openoces="${NS.openoces}" version="0.1"><ds:Signature xmlns:ds="${NS.ds}"${SAFE_ID.test(id) ? ` Id="${id}"` : ''}>`,
    signedInfo,
    '<ds:SignatureValue>',
    base64Lines(parts.signatureValue),
    '</ds:SignatureValue>',
    '<ds:KeyInfo>',
    ...certificates,
    '</ds:KeyInfo>',
    signedObject,
    '</ds:Signature></openoces:signature>',
  ].join('\n');
  // Read back: the rebuilt document must canonicalise to exactly the signed bytes (a namespace layout C14N would
  // render differently in the new context is refused here rather than stored as evidence that no longer verifies).
  const reread = readNemidDocument(xml).parts;
  if (canonicalizeInclusive(reread.signedInfo) !== signedInfo || canonicalizeInclusive(reread.object) !== signedObject) {
    throw new IdpError('INTERNAL_ERROR', 'the evidence document does not reproduce the signed bytes');
  }
  return xml;
}
