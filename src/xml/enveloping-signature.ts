import { createHash, verify, constants, type KeyObject } from 'node:crypto';
import { C14nCanonicalization } from 'xml-crypto';
import { IdpError, type ErrorCode } from '../errors/index.js';
import { decodeBase64IgnoringWhitespace, decodeStrictBase64 } from '../shared/index.js';
import { NS } from './namespaces.js';
import { childElements, allElements, singleText } from './parse.js';

// Enveloping XML-DSig with a fixed profile (the OpenOCES signature of nemid-protocol.md §4.2/§4.4): one Reference to
// one sibling ds:Object by Id, no Transforms, inclusive C14N 1.0, SHA-256, RSA-SHA256. Everything outside that profile
// is refused before any crypto runs, and the caller gets back only the Object whose digest and signature verified.

export const ENVELOPING_ALGORITHMS = {
  canonicalization: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
} as const;

export interface EnvelopingSignatureCodes {
  /** Thrown when the structure leaves the profile. */
  malformed: ErrorCode;
  /** Thrown when the digest or the signature does not verify. */
  invalid: ErrorCode;
}

/** The parts of a ds:Signature that passed the structural whitelist; nothing here is verified yet. */
export interface UnverifiedEnvelopingSignature {
  readonly signature: Element;
  readonly signedInfo: Element;
  readonly object: Element;
  readonly digestValue: Buffer;
  readonly signatureValue: Buffer;
  /** DER certificates from KeyInfo in document order (unsigned: only a chain check may give them meaning). */
  readonly keyInfoCertificates: Buffer[];
}

/** The one ds:Object whose digest and signature verified, with the exact bytes that were digested. */
export interface VerifiedObject {
  readonly signedObject: Element;
  readonly signedObjectBytes: Buffer;
  /** The decoded SignatureValue (its hash identifies the response for replay protection). */
  readonly signatureValue: Buffer;
}

/** Inclusive C14N 1.0 without comments of `element`, rendering the namespaces it inherits from its ancestors. */
export function canonicalizeInclusive(element: Element): string {
  return new C14nCanonicalization().process(element, { ancestorNamespaces: inheritedNamespaces(element) });
}

function inheritedNamespaces(element: Element): { prefix: string; namespaceURI: string }[] {
  const seen = new Set<string>();
  const out: { prefix: string; namespaceURI: string }[] = [];
  for (let node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    for (const attribute of Array.from((node as Element).attributes)) {
      const prefix = attribute.prefix === 'xmlns' ? attribute.localName : attribute.name === 'xmlns' ? '' : null;
      if (prefix === null || seen.has(prefix)) continue;
      seen.add(prefix);
      // An undeclared default namespace (xmlns="") is no namespace node: nothing to render.
      if (attribute.value !== '') out.push({ prefix, namespaceURI: attribute.value });
    }
  }
  return out;
}

/**
 * Checks that `signature` is an enveloping signature of the fixed profile over the one element of `document` carrying
 * `Id="<objectId>"`, which must be a ds:Object child of `signature`. Returns the parts, still unverified.
 */
export function readEnvelopingSignature(
  document: Document,
  signature: Element,
  objectId: string,
  codes: EnvelopingSignatureCodes,
): UnverifiedEnvelopingSignature {
  const fail = (reason: string): never => {
    throw new IdpError(codes.malformed, `signature structure refused: ${reason}`);
  };
  const dsChild = (parent: Element, localName: string): Element => {
    const found = childElements(parent).filter((child) => child.localName === localName);
    if (found.length !== 1 || found[0]?.namespaceURI !== NS.ds) fail(`expected exactly one ds:${localName}`);
    return found[0] as Element;
  };
  const onlyAttributes = (element: Element, allowed: string[]) => {
    for (const attribute of Array.from(element.attributes)) {
      if (attribute.prefix === 'xmlns' || attribute.name === 'xmlns') continue;
      if (!allowed.includes(attribute.name)) fail(`unexpected attribute ${attribute.name} on ${element.localName}`);
    }
  };
  const algorithmOf = (element: Element, expected: string) => {
    onlyAttributes(element, ['Algorithm']);
    if (element.getAttribute('Algorithm') !== expected) fail(`${element.localName} algorithm not allowed`);
    if (childElements(element).length > 0 || (element.textContent ?? '').trim() !== '') fail('algorithm parameters');
  };
  const noStrayText = (element: Element) => {
    for (const child of Array.from(element.childNodes)) {
      if (child.nodeType === 1) continue;
      if (child.nodeType === child.TEXT_NODE && (child.nodeValue ?? '').trim() === '') continue;
      fail(`unexpected content in ${element.localName}`);
    }
  };

  if (signature.namespaceURI !== NS.ds || signature.localName !== 'Signature') fail('not a ds:Signature');
  noStrayText(signature);
  const order = childElements(signature).map((child) => `${child.namespaceURI} ${child.localName}`);
  const expectedOrder = ['SignedInfo', 'SignatureValue', 'KeyInfo', 'Object'].map((name) => `${NS.ds} ${name}`);
  if (order.join('|') !== expectedOrder.join('|')) fail('ds:Signature children must be SignedInfo, SignatureValue, KeyInfo, Object');

  const signedInfo = dsChild(signature, 'SignedInfo');
  onlyAttributes(signedInfo, []);
  noStrayText(signedInfo);
  const signedInfoOrder = childElements(signedInfo).map((child) => `${child.namespaceURI} ${child.localName}`);
  if (signedInfoOrder.join('|') !== ['CanonicalizationMethod', 'SignatureMethod', 'Reference'].map((n) => `${NS.ds} ${n}`).join('|')) {
    fail('ds:SignedInfo must hold CanonicalizationMethod, SignatureMethod and exactly one Reference');
  }
  algorithmOf(dsChild(signedInfo, 'CanonicalizationMethod'), ENVELOPING_ALGORITHMS.canonicalization);
  algorithmOf(dsChild(signedInfo, 'SignatureMethod'), ENVELOPING_ALGORITHMS.signature);

  const reference = dsChild(signedInfo, 'Reference');
  onlyAttributes(reference, ['URI']);
  if (reference.getAttribute('URI') !== `#${objectId}`) fail('Reference URI');
  noStrayText(reference);
  const referenceOrder = childElements(reference).map((child) => `${child.namespaceURI} ${child.localName}`);
  if (referenceOrder.join('|') !== `${NS.ds} DigestMethod|${NS.ds} DigestValue`) fail('Reference must hold DigestMethod and DigestValue only (no Transforms)');
  algorithmOf(dsChild(reference, 'DigestMethod'), ENVELOPING_ALGORITHMS.digest);
  const digestValue = decodeStrictBase64(singleText(dsChild(reference, 'DigestValue'), codes.malformed).trim());
  if (!digestValue || digestValue.length !== 32) fail('DigestValue is not a base64 SHA-256 value');

  const signatureValueElement = dsChild(signature, 'SignatureValue');
  onlyAttributes(signatureValueElement, []);
  const signatureValue = decodeBase64IgnoringWhitespace(singleText(signatureValueElement, codes.malformed));
  if (!signatureValue || signatureValue.length === 0) fail('SignatureValue is not base64');

  const keyInfo = dsChild(signature, 'KeyInfo');
  onlyAttributes(keyInfo, []);
  noStrayText(keyInfo);
  const keyInfoCertificates: Buffer[] = [];
  for (const x509Data of childElements(keyInfo)) {
    if (x509Data.namespaceURI !== NS.ds || x509Data.localName !== 'X509Data') fail('KeyInfo may hold only X509Data');
    onlyAttributes(x509Data, []);
    noStrayText(x509Data);
    const certificates = childElements(x509Data);
    if (certificates.length === 0) fail('empty X509Data');
    for (const certificate of certificates) {
      if (certificate.namespaceURI !== NS.ds || certificate.localName !== 'X509Certificate') fail('X509Data may hold only X509Certificate');
      onlyAttributes(certificate, []);
      const der = decodeBase64IgnoringWhitespace(singleText(certificate, codes.malformed));
      if (!der || der.length === 0) fail('X509Certificate is not base64');
      keyInfoCertificates.push(der as Buffer);
    }
  }

  const object = dsChild(signature, 'Object');
  // The referenced element is found by its one attribute named exactly "Id"; any other spelling of an id carrying the
  // same value (ID, wsu:Id, …) anywhere in the document is refused rather than ignored, so no resolver can pick it.
  const carriers = allElements(document).filter((element) =>
    Array.from(element.attributes).some((attribute) => /^(.*:)?id$/i.test(attribute.name) && attribute.value === objectId),
  );
  if (carriers.length !== 1 || carriers[0] !== object || object.getAttribute('Id') !== objectId) {
    fail(`exactly one element must carry Id="${objectId}", the ds:Object of this signature`);
  }
  onlyAttributes(object, ['Id']);

  return {
    signature,
    signedInfo,
    object,
    digestValue: digestValue as Buffer,
    signatureValue: signatureValue as Buffer,
    keyInfoCertificates,
  };
}

/**
 * Digest of the Object, then RSA-SHA256 of SignedInfo with `signerKey` (the leaf the caller found structurally).
 * Returns the Object only when both verify; every other outcome throws `codes.invalid`.
 */
export function verifyEnvelopingSignature(
  parts: UnverifiedEnvelopingSignature,
  signerKey: KeyObject,
  codes: EnvelopingSignatureCodes,
): VerifiedObject {
  const invalid = (reason: string, cause?: unknown): never => {
    throw new IdpError(codes.invalid, `signature refused: ${reason}`, cause === undefined ? undefined : { cause });
  };
  if (signerKey.asymmetricKeyType !== 'rsa') invalid('signer key is not RSA');

  const signedObjectBytes = Buffer.from(canonicalizeInclusive(parts.object), 'utf8');
  const digest = createHash('sha256').update(signedObjectBytes).digest();
  if (!digest.equals(parts.digestValue)) invalid('digest mismatch');

  const signedInfoBytes = Buffer.from(canonicalizeInclusive(parts.signedInfo), 'utf8');
  let verified = false;
  try {
    verified = verify('sha256', signedInfoBytes, { key: signerKey, padding: constants.RSA_PKCS1_PADDING }, parts.signatureValue);
  } catch (error) {
    invalid('verification error', error);
  }
  if (verified !== true) invalid('signature does not verify with the signer key');
  return { signedObject: parts.object, signedObjectBytes, signatureValue: parts.signatureValue };
}
