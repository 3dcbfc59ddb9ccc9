import { SignedXml } from 'xml-crypto';
import { IdpError, type ErrorCode } from '../errors/index.js';
import { NS } from './namespaces.js';
import { allElements, childElements, parseXml } from './parse.js';
import {
  C14N_EXCLUSIVE,
  TRANSFORM_ENVELOPED,
  allowedSignatureAlgorithm,
  isAllowedDigestAlgorithm,
  xmlCryptoHashAlgorithms,
  xmlCryptoSignatureAlgorithms,
} from './signature-algorithms.js';

// Verification of an enveloped signature on a message root (saml-profile.md §2.3, §9). xml-crypto does the
// cryptography; every structural rule is ours: exactly one ds:Signature, a child of the root right after Issuer,
// exactly one Reference to "#" + the root's ID, the transform and algorithm allow-lists, no duplicate IDs. The
// result is the signed bytes only, re-parsed: callers read nothing from the unverified document afterwards.

export interface EnvelopedVerifyOptions {
  /** PEM certificates from the sender's metadata; KeyInfo in the message is never used. */
  trustedCertificates: readonly string[];
  allowSha1: boolean;
  /** Catalogue codes: missing signature, structure (wrapping), algorithm refused, bad signature. */
  codes: { missing: ErrorCode; structure: ErrorCode; algorithm: ErrorCode; invalid: ErrorCode; malformed: ErrorCode };
  maxBytes: number;
}

export interface VerifiedEnvelopedDocument {
  /** The root element parsed from exactly the canonical bytes the signature covers (Signature removed). */
  signedRoot: Element;
  signedXml: string;
  signatureAlgorithm: string;
}

const ID_ATTRIBUTES = ['ID', 'Id', 'id'];
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Every ID-like attribute value in the document must be unique: duplicates are how wrapping picks its target. */
export function assertUniqueIds(root: Element, code: ErrorCode): void {
  const seen = new Set<string>();
  for (const element of allElements(root)) {
    const values = ID_ATTRIBUTES.filter((name) => element.hasAttribute(name)).map((name) => element.getAttribute(name) ?? '');
    const xmlId = element.getAttributeNS(XML_NS, 'id');
    if (element.hasAttributeNS(XML_NS, 'id') && xmlId !== null) values.push(xmlId);
    for (const value of values) {
      if (seen.has(value)) throw new IdpError(code, 'duplicate ID value in document');
      seen.add(value);
    }
  }
}

function only(elements: Element[], code: ErrorCode, what: string): Element {
  const [first] = elements;
  if (elements.length !== 1 || !first) throw new IdpError(code, `expected exactly one ${what}`);
  return first;
}

function dsChildren(parent: Element): Element[] {
  return childElements(parent);
}

function assertDsChildren(parent: Element, expected: string[], code: ErrorCode): Element[] {
  const children = dsChildren(parent);
  const names = children.map((child) => (child.namespaceURI === NS.ds ? child.localName : `{${child.namespaceURI}}${child.localName}`));
  if (names.length !== expected.length || names.some((name, index) => name !== expected[index])) {
    throw new IdpError(code, `${parent.localName} children must be ${expected.join(', ')}`);
  }
  return children;
}

/** The one ds:Signature of the document, after all structural checks; returns it and its algorithms. */
function checkSignatureStructure(root: Element, options: EnvelopedVerifyOptions) {
  const { codes } = options;
  const signatures = allElements(root).filter((element) => element.namespaceURI === NS.ds && element.localName === 'Signature');
  if (signatures.length === 0) throw new IdpError(codes.missing, 'message is not signed');
  const signature = only(signatures, codes.structure, 'ds:Signature');
  const rootChildren = childElements(root);
  const issuerFirst = rootChildren[0]?.namespaceURI === NS.saml && rootChildren[0]?.localName === 'Issuer';
  if (signature.parentNode !== root || !issuerFirst || rootChildren[1] !== signature) {
    throw new IdpError(codes.structure, 'ds:Signature must be the root child right after saml:Issuer');
  }
  const rootId = root.getAttribute('ID');
  if (!root.hasAttribute('ID') || !rootId) throw new IdpError(codes.structure, 'root has no ID');

  const [signedInfo] = childElements(signature, NS.ds, 'SignedInfo');
  const signatureChildren = dsChildren(signature).map((child) => child.localName);
  if (!signedInfo || signatureChildren[0] !== 'SignedInfo' || signatureChildren[1] !== 'SignatureValue') {
    throw new IdpError(codes.structure, 'Signature must start with SignedInfo, SignatureValue');
  }
  if (signatureChildren.slice(2).some((name) => name !== 'KeyInfo') || childElements(signature).some((c) => c.namespaceURI !== NS.ds)) {
    throw new IdpError(codes.structure, 'unexpected element in Signature');
  }
  const children = dsChildren(signedInfo);
  if (children.length !== 3) throw new IdpError(codes.structure, 'SignedInfo must hold exactly one Reference');
  const [c14n, method, reference] = assertDsChildren(signedInfo, ['CanonicalizationMethod', 'SignatureMethod', 'Reference'], codes.structure);
  if (!c14n || !method || !reference) throw new IdpError(codes.structure, 'SignedInfo incomplete');
  if (c14n.getAttribute('Algorithm') !== C14N_EXCLUSIVE) throw new IdpError(codes.algorithm, 'canonicalization not allowed');
  assertOnlyInclusiveNamespaces(c14n, codes.structure);
  const signatureAlgorithm = method.getAttribute('Algorithm') ?? '';
  if (!allowedSignatureAlgorithm(signatureAlgorithm, options.allowSha1)) throw new IdpError(codes.algorithm, 'signature algorithm not allowed');
  if (childElements(method).length > 0) throw new IdpError(codes.algorithm, 'SignatureMethod parameters not allowed');

  if (reference.getAttribute('URI') !== `#${rootId}`) throw new IdpError(codes.structure, 'Reference does not point at the root');
  const [transforms, digestMethod] = assertDsChildren(reference, ['Transforms', 'DigestMethod', 'DigestValue'], codes.structure);
  if (!transforms || !digestMethod) throw new IdpError(codes.structure, 'Reference incomplete');
  const transformList = assertDsChildren(transforms, ['Transform', 'Transform'], codes.algorithm);
  if (transformList[0]?.getAttribute('Algorithm') !== TRANSFORM_ENVELOPED || transformList[1]?.getAttribute('Algorithm') !== C14N_EXCLUSIVE) {
    throw new IdpError(codes.algorithm, 'transforms must be enveloped-signature then exclusive C14N');
  }
  if (childElements(transformList[0]).length > 0) throw new IdpError(codes.algorithm, 'enveloped transform has parameters');
  assertOnlyInclusiveNamespaces(transformList[1], codes.algorithm);
  if (!isAllowedDigestAlgorithm(digestMethod.getAttribute('Algorithm') ?? '', options.allowSha1)) {
    throw new IdpError(codes.algorithm, 'digest algorithm not allowed');
  }
  return { signature, rootId, signatureAlgorithm };
}

function assertOnlyInclusiveNamespaces(element: Element, code: ErrorCode): void {
  const children = childElements(element);
  if (children.length === 0) return;
  const [child] = children;
  if (children.length !== 1 || child?.namespaceURI !== C14N_EXCLUSIVE || child.localName !== 'InclusiveNamespaces' || childElements(child).length > 0) {
    throw new IdpError(code, 'only InclusiveNamespaces may parameterise exclusive C14N');
  }
}

/**
 * Verifies the enveloped signature of `document` (parsed by parseXml from `unverifiedXml`) with one of the
 * trusted certificates and returns the signed root, re-parsed from the signed bytes.
 */
export function verifyEnvelopedSignature(document: Document, unverifiedXml: string, options: EnvelopedVerifyOptions): VerifiedEnvelopedDocument {
  const root = document.documentElement as Element;
  assertUniqueIds(root, options.codes.structure);
  const { signature, rootId, signatureAlgorithm } = checkSignatureStructure(root, options);
  if (options.trustedCertificates.length === 0) throw new IdpError(options.codes.invalid, 'no trusted key for this sender');

  for (const certificate of options.trustedCertificates) {
    const verifier = new SignedXml({ publicCert: certificate, getCertFromKeyInfo: () => null });
    // Only allow-listed algorithms are known to this verifier instance (no HMAC, no fallback).
    verifier.SignatureAlgorithms = xmlCryptoSignatureAlgorithms() as never;
    verifier.HashAlgorithms = xmlCryptoHashAlgorithms() as never;
    let valid = false;
    try {
      verifier.loadSignature(signature as never);
      valid = verifier.checkSignature(unverifiedXml);
    } catch {
      valid = false;
    }
    if (!valid) continue;
    const signedReferences = verifier.getSignedReferences();
    const [signedXml] = signedReferences;
    if (signedReferences.length !== 1 || signedXml === undefined) throw new IdpError(options.codes.structure, 'not exactly one signed reference');
    const signedDocument = parseXml(signedXml, { maxBytes: options.maxBytes, errorCode: options.codes.malformed });
    const signedRoot = signedDocument.documentElement as Element;
    if (
      signedRoot.getAttribute('ID') !== rootId ||
      signedRoot.namespaceURI !== root.namespaceURI ||
      signedRoot.localName !== root.localName
    ) {
      throw new IdpError(options.codes.structure, 'signed bytes are not the root element');
    }
    return { signedRoot, signedXml, signatureAlgorithm };
  }
  throw new IdpError(options.codes.invalid, 'signature does not verify with any key from the metadata');
}
