import { IdpError } from '../../errors/index.js';
import { decodeBase64IgnoringWhitespace, decodeStrictBase64 } from '../../shared/index.js';
import { DEFLATE_ENCODING, LIMITS } from '../constants.js';
import { inflateBounded } from './inflate.js';
import { percentDecode, splitRawQuery } from './query.js';
import { checkRelayState } from './relay-state.js';

// Decoding of incoming protocol messages on both bindings (saml-profile.md §2.1), with the size caps applied before
// any parsing. The result still holds unverified XML text; the Redirect signature material is kept raw.

export type IncomingMessage =
  | { binding: 'redirect'; rawQueryString: string }
  | { binding: 'post'; form: Record<string, string | undefined> };

export interface RedirectSignatureMaterial {
  sigAlg: string;
  signature: Buffer;
  /** `SAMLRequest=…[&RelayState=…]&SigAlg=…` from the raw values, in that order. */
  signedOctets: string;
}

export interface DecodedMessage {
  binding: 'redirect' | 'post';
  unverifiedXml: string;
  relayState?: string;
  /** Redirect only: present when SigAlg and Signature both are. */
  redirectSignature?: RedirectSignatureMaterial;
  /** Redirect only: SigAlg or Signature present without the other. */
  redirectSignaturePartial?: boolean;
}

export function decodeMessage(input: IncomingMessage, field: 'SAMLRequest' | 'SAMLResponse'): DecodedMessage {
  return input.binding === 'redirect' ? decodeRedirect(input.rawQueryString, field) : decodePost(input.form, field);
}

function decodeRedirect(rawQueryString: string, field: 'SAMLRequest' | 'SAMLResponse'): DecodedMessage {
  if (Buffer.byteLength(rawQueryString, 'utf8') > LIMITS.queryStringBytes) {
    throw new IdpError('SAML_REQUEST_TOO_LARGE', `query string larger than ${LIMITS.queryStringBytes} bytes`);
  }
  const { raw } = splitRawQuery(rawQueryString);
  const rawMessage = raw.get(field);
  if (rawMessage === undefined || rawMessage === '') throw new IdpError('SAML_REQUEST_MALFORMED', `${field} missing`);
  const encoding = raw.get('SAMLEncoding');
  if (encoding !== undefined && percentDecode(encoding) !== DEFLATE_ENCODING) {
    throw new IdpError('SAML_REQUEST_MALFORMED', 'unsupported SAMLEncoding');
  }
  const rawRelayState = raw.get('RelayState');
  const relayState = checkRelayState(rawRelayState === undefined ? undefined : percentDecode(rawRelayState));
  const compressed = decodeBase64IgnoringWhitespace(percentDecode(rawMessage));
  if (!compressed) throw new IdpError('SAML_REQUEST_MALFORMED', `${field} is not base64`);
  const unverifiedXml = utf8(inflateBounded(compressed));

  const rawSigAlg = raw.get('SigAlg');
  const rawSignature = raw.get('Signature');
  const decoded: DecodedMessage = { binding: 'redirect', unverifiedXml, ...(relayState !== undefined ? { relayState } : {}) };
  if (rawSigAlg === undefined && rawSignature === undefined) return decoded;
  if (rawSigAlg === undefined || rawSignature === undefined) return { ...decoded, redirectSignaturePartial: true };
  const signature = decodeStrictBase64(percentDecode(rawSignature));
  if (!signature) throw new IdpError('SAML_SIGNATURE_INVALID', 'Signature is not base64');
  const signedOctets =
    `${field}=${rawMessage}` + (rawRelayState !== undefined ? `&RelayState=${rawRelayState}` : '') + `&SigAlg=${rawSigAlg}`;
  return { ...decoded, redirectSignature: { sigAlg: percentDecode(rawSigAlg), signature, signedOctets } };
}

function decodePost(form: Record<string, string | undefined>, field: 'SAMLRequest' | 'SAMLResponse'): DecodedMessage {
  const size = Object.entries(form).reduce((sum, [key, value]) => sum + key.length + Buffer.byteLength(value ?? '', 'utf8'), 0);
  if (size > LIMITS.postBodyBytes) throw new IdpError('SAML_REQUEST_TOO_LARGE', `form larger than ${LIMITS.postBodyBytes} bytes`);
  const encoded = form[field];
  if (typeof encoded !== 'string' || encoded === '') throw new IdpError('SAML_REQUEST_MALFORMED', `${field} missing`);
  const bytes = decodeBase64IgnoringWhitespace(encoded);
  if (!bytes) throw new IdpError('SAML_REQUEST_MALFORMED', `${field} is not base64`);
  const relayState = checkRelayState(form.RelayState);
  return { binding: 'post', unverifiedXml: utf8(bytes), ...(relayState !== undefined ? { relayState } : {}) };
}

function utf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new IdpError('SAML_REQUEST_MALFORMED', 'message is not valid UTF-8', { cause: error });
  }
}
