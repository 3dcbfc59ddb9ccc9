import { NS, type SigningCredentials, serializeXml, signEnveloped } from '../../xml/index.js';
import { signedRedirectUrl } from '../bindings/redirect-encode.js';
import type { SamlBindingName } from './slo-endpoint.js';

/** How an outgoing logout message travels: a signed Redirect URL, or a signed document for the POST form. */
export type OutgoingMessage =
  | { binding: 'redirect'; url: string }
  | { binding: 'post'; action: string; fields: { SAMLRequest: string; RelayState?: string } | { SAMLResponse: string; RelayState?: string } };

export function deliver(
  root: Element,
  id: string,
  field: 'SAMLRequest' | 'SAMLResponse',
  binding: SamlBindingName,
  location: string,
  signing: SigningCredentials,
  relayState?: string,
): OutgoingMessage {
  const xml = serializeXml(root);
  if (binding === 'redirect') return { binding, url: signedRedirectUrl(location, field, xml, relayState, signing) };
  const signed = signEnveloped(xml, { rootId: id, after: { namespace: NS.saml, localName: 'Issuer' }, credentials: signing });
  const encoded = Buffer.from(signed, 'utf8').toString('base64');
  const relay = relayState !== undefined ? { RelayState: relayState } : {};
  return { binding, action: location, fields: field === 'SAMLRequest' ? { SAMLRequest: encoded, ...relay } : { SAMLResponse: encoded, ...relay } };
}
