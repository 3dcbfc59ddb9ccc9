import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { IdpError, type ErrorCode } from '../../errors/index.js';
import { decodeBase64IgnoringWhitespace, decodeStrictBase64 } from '../../shared/index.js';
import { RSA_SHA256, allowedSignatureAlgorithm, signRsa, verifyRsa } from '../../xml/index.js';

// The demo SP's side of the HTTP-Redirect and HTTP-POST bindings (SAML bindings §3.4, §3.5), written apart from
// src/saml on purpose: an independent SP that interoperates with the IdP is the point of the demo.

export type MessageField = 'SAMLRequest' | 'SAMLResponse';

const MAX_INFLATED_BYTES = 128 * 1024;
const MAX_ENCODED_BYTES = 256 * 1024;

/** `location?<field>=…[&RelayState=…]&SigAlg=…&Signature=…`, signed with RSA-SHA256 over exactly those octets. */
export function signedRedirectLocation(location: string, field: MessageField, xml: string, relayState: string | undefined, keyPem: string): string {
  const parts = [`${field}=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`];
  if (relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(RSA_SHA256)}`);
  const signedOctets = parts.join('&');
  const algorithm = allowedSignatureAlgorithm(RSA_SHA256, false);
  if (!algorithm) throw new Error('rsa-sha256 is not in the algorithm table');
  const signature = signRsa(algorithm, signedOctets, keyPem).toString('base64');
  return `${location}${location.includes('?') ? '&' : '?'}${signedOctets}&Signature=${encodeURIComponent(signature)}`;
}

export interface RedirectMessage {
  /** Verified by the Redirect signature: the XML may be read directly. */
  xml: string;
  relayState?: string;
}

/**
 * Verifies and decodes a Redirect-binding message. `query` holds the decoded parameters; the signed octets are
 * rebuilt with encodeURIComponent, which is what the IdP writes. Re-encoding can only make a genuine signature
 * from another encoder fail (closed), never make a forged one pass: the octets verified are a function of exactly
 * the values used. When the mount passes the raw query string, its octets are used as received.
 */
export function verifyRedirectMessage(
  query: Record<string, string>,
  field: MessageField,
  trustedCertificates: readonly string[],
  codes: { malformed: ErrorCode; signature: ErrorCode },
  rawQueryString?: string,
): RedirectMessage {
  const message = query[field];
  const sigAlg = query['SigAlg'];
  const signatureText = query['Signature'];
  if (message === undefined || message === '') throw new IdpError(codes.malformed, `${field} missing`);
  if (sigAlg === undefined || signatureText === undefined) throw new IdpError(codes.signature, 'Redirect message is not signed');
  const algorithm = allowedSignatureAlgorithm(sigAlg, false);
  if (!algorithm) throw new IdpError(codes.signature, 'SigAlg not allowed');
  const signature = decodeStrictBase64(signatureText);
  if (!signature) throw new IdpError(codes.signature, 'Signature is not base64');
  const relayState = query['RelayState'];
  const signedOctets = rawQueryString !== undefined ? rawSignedOctets(rawQueryString, field) : rebuiltSignedOctets(message, relayState, sigAlg, field);
  if (signedOctets === undefined) throw new IdpError(codes.malformed, 'query string is malformed');
  const valid = trustedCertificates.some((pem) => verifyRsa(algorithm, signedOctets, pem, signature));
  if (!valid) throw new IdpError(codes.signature, 'Redirect signature does not verify with the IdP keys');

  if (Buffer.byteLength(message, 'utf8') > MAX_ENCODED_BYTES) throw new IdpError(codes.malformed, 'message too large');
  const compressed = decodeBase64IgnoringWhitespace(message);
  if (!compressed) throw new IdpError(codes.malformed, `${field} is not base64`);
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(compressed, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    throw new IdpError(codes.malformed, 'DEFLATE data invalid or larger than the cap', { cause: error });
  }
  return { xml: utf8(inflated, codes.malformed), ...(relayState !== undefined ? { relayState } : {}) };
}

function rebuiltSignedOctets(message: string, relayState: string | undefined, sigAlg: string, field: MessageField): string {
  return (
    `${field}=${encodeURIComponent(message)}` +
    (relayState !== undefined ? `&RelayState=${encodeURIComponent(relayState)}` : '') +
    `&SigAlg=${encodeURIComponent(sigAlg)}`
  );
}

function rawSignedOctets(rawQueryString: string, field: MessageField): string | undefined {
  const raw = new Map<string, string>();
  for (const pair of rawQueryString.split('&')) {
    const at = pair.indexOf('=');
    const name = at < 0 ? pair : pair.slice(0, at);
    if (raw.has(name)) return undefined;
    raw.set(name, at < 0 ? '' : pair.slice(at + 1));
  }
  const message = raw.get(field);
  const sigAlg = raw.get('SigAlg');
  if (message === undefined || sigAlg === undefined) return undefined;
  const relayState = raw.get('RelayState');
  return `${field}=${message}` + (relayState !== undefined ? `&RelayState=${relayState}` : '') + `&SigAlg=${sigAlg}`;
}

/** The XML of a POST-binding field (base64, not deflated); still unverified. */
export function decodePostMessage(form: Record<string, string>, field: MessageField, code: ErrorCode): string {
  const encoded = form[field];
  if (encoded === undefined || encoded === '') throw new IdpError(code, `${field} missing`);
  if (Buffer.byteLength(encoded, 'utf8') > MAX_ENCODED_BYTES) throw new IdpError(code, 'message too large');
  const bytes = decodeBase64IgnoringWhitespace(encoded);
  if (!bytes) throw new IdpError(code, `${field} is not base64`);
  return utf8(bytes, code);
}

function utf8(bytes: Buffer, code: ErrorCode): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new IdpError(code, 'message is not UTF-8', { cause: error });
  }
}
