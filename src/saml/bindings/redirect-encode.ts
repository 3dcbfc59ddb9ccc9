import { deflateRawSync } from 'node:zlib';
import { RSA_SHA256, SIGNATURE_ALGORITHMS, signRsa, type SigningCredentials } from '../../xml/index.js';

// Outgoing HTTP-Redirect messages (SAML bindings §3.4.4.1): raw DEFLATE, base64, URL-encoded; the signature covers
// `SAMLRequest|SAMLResponse=…[&RelayState=…]&SigAlg=…` exactly as it appears in the URL.

export function signedRedirectUrl(
  location: string,
  field: 'SAMLRequest' | 'SAMLResponse',
  xml: string,
  relayState: string | undefined,
  signing: SigningCredentials,
): string {
  const encoded = encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'));
  const octets =
    `${field}=${encoded}` + (relayState !== undefined ? `&RelayState=${encodeURIComponent(relayState)}` : '') + `&SigAlg=${encodeURIComponent(RSA_SHA256)}`;
  const algorithm = SIGNATURE_ALGORITHMS[RSA_SHA256];
  if (!algorithm) throw new Error('rsa-sha256 missing from the algorithm table');
  const signature = signRsa(algorithm, octets, signing.key).toString('base64');
  return `${location}${location.includes('?') ? '&' : '?'}${octets}&Signature=${encodeURIComponent(signature)}`;
}
