import { IdpError, type ErrorCode } from '../../errors/index.js';
import { parseIsoInstant } from '../../shared/index.js';
import { NS, childElements, parseXml, singleText, verifyEnvelopedSignature } from '../../xml/index.js';

// Small readers shared by the demo SP's checks. Every refusal is an IdpError with a DEMO_SP_* code.

export const MAX_MESSAGE_BYTES = 512 * 1024;

export function parseMessage(unverifiedXml: string): Document {
  return parseXml(unverifiedXml, { maxBytes: MAX_MESSAGE_BYTES, errorCode: 'DEMO_SP_MESSAGE_MALFORMED' });
}

export function exactlyOne(parent: Element, namespace: string, localName: string, code: ErrorCode): Element {
  const found = childElements(parent, namespace, localName);
  const [first] = found;
  if (found.length !== 1 || !first) throw new IdpError(code, `expected exactly one ${localName} in ${parent.localName}`);
  return first;
}

export function atMostOne(parent: Element, namespace: string, localName: string, code: ErrorCode): Element | undefined {
  const found = childElements(parent, namespace, localName);
  if (found.length > 1) throw new IdpError(code, `more than one ${localName} in ${parent.localName}`);
  return found[0];
}

export function text(element: Element): string {
  return singleText(element, 'DEMO_SP_MESSAGE_MALFORMED');
}

/** An attribute we rely on; absent or empty is refused. */
export function required(element: Element, name: string, code: ErrorCode = 'DEMO_SP_MESSAGE_MALFORMED'): string {
  const value = element.getAttribute(name);
  if (!element.hasAttribute(name) || !value) throw new IdpError(code, `${element.localName} has no ${name}`);
  return value;
}

export function optional(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}

export function instant(element: Element, name: string, code: ErrorCode): Date | undefined {
  const value = optional(element, name);
  if (value === undefined) return undefined;
  const date = parseIsoInstant(value);
  if (!date) throw new IdpError(code, `${element.localName}@${name} is not an instant`);
  return date;
}

/** The root of a SAML protocol message: namespace, name, Version 2.0 and an ID are required. */
export function protocolRoot(document: Document, localName: 'Response' | 'LogoutRequest' | 'LogoutResponse'): Element {
  const root = document.documentElement as Element;
  if (root.namespaceURI !== NS.samlp || root.localName !== localName) {
    throw new IdpError('DEMO_SP_MESSAGE_MALFORMED', `expected samlp:${localName}`);
  }
  if (root.getAttribute('Version') !== '2.0') throw new IdpError('DEMO_SP_MESSAGE_MALFORMED', 'Version is not 2.0');
  required(root, 'ID');
  return root;
}

/** The message's Issuer, which must be the IdP (Format absent or entity). */
export function checkIssuer(parent: Element, idpEntityId: string): void {
  const issuer = exactlyOne(parent, NS.saml, 'Issuer', 'DEMO_SP_ISSUER_INVALID');
  const format = optional(issuer, 'Format');
  if (format !== undefined && format !== 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity') {
    throw new IdpError('DEMO_SP_ISSUER_INVALID', 'Issuer Format is not entity');
  }
  if (text(issuer) !== idpEntityId) throw new IdpError('DEMO_SP_ISSUER_INVALID', 'Issuer is not the IdP');
}

export function checkDestination(root: Element, expected: string): void {
  if (root.getAttribute('Destination') !== expected || !root.hasAttribute('Destination')) {
    throw new IdpError('DEMO_SP_DESTINATION_INVALID', 'Destination is not our endpoint');
  }
}

/** Top-level and nested status code URIs, outermost first, and the StatusMessage. */
export function readStatus(root: Element): { codes: string[]; message?: string } {
  const status = exactlyOne(root, NS.samlp, 'Status', 'DEMO_SP_MESSAGE_MALFORMED');
  const codes: string[] = [];
  let code: Element | undefined = exactlyOne(status, NS.samlp, 'StatusCode', 'DEMO_SP_MESSAGE_MALFORMED');
  while (code) {
    codes.push(required(code, 'Value'));
    code = atMostOne(code, NS.samlp, 'StatusCode', 'DEMO_SP_MESSAGE_MALFORMED');
  }
  const messageElement = atMostOne(status, NS.samlp, 'StatusMessage', 'DEMO_SP_MESSAGE_MALFORMED');
  return { codes, ...(messageElement ? { message: text(messageElement) } : {}) };
}

/** Verifies the enveloped signature of a protocol message's root with the IdP keys; returns the signed root. */
export function verifiedRoot(document: Document, unverifiedXml: string, idpCertificates: readonly string[]): Element {
  const invalid = 'DEMO_SP_SIGNATURE_INVALID' as const;
  return verifyEnvelopedSignature(document, unverifiedXml, {
    trustedCertificates: idpCertificates,
    allowSha1: false,
    codes: { missing: invalid, structure: invalid, algorithm: invalid, invalid, malformed: 'DEMO_SP_MESSAGE_MALFORMED' },
    maxBytes: MAX_MESSAGE_BYTES,
  }).signedRoot;
}

export function hasSignature(root: Element): boolean {
  return childElements(root, NS.ds, 'Signature').length > 0;
}
