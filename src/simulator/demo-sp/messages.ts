import { addSeconds, samlId, toSamlInstant } from '../../shared/index.js';
import { NS, appendElement, createDocument, serializeXml, signEnveloped, type SigningCredentials } from '../../xml/index.js';
import type { ReceivedNameId } from './types.js';

// The protocol messages the demo SP sends, built with the DOM (values escaped by the serialiser). Unsigned here:
// the Redirect binding signs the query, the POST binding signs the document (signPostMessage).

export const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
export const NAMEID_PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
export const AUTHN_CONTEXT_X509 = 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509';
export const STATUS_PREFIX = 'urn:oasis:names:tc:SAML:2.0:status:';
export const STATUS_SUCCESS = `${STATUS_PREFIX}Success`;
const LOGOUT_REASON_USER = 'urn:oasis:names:tc:SAML:2.0:logout:user';
const LIFETIME_SECONDS = 300;

export interface BuiltMessage {
  id: string;
  xml: string;
}

export interface AuthnRequestInput {
  issuer: string;
  destination: string;
  acsUrl: string;
  now: Date;
  forceAuthn: boolean;
  isPassive: boolean;
}

export function buildAuthnRequest(input: AuthnRequestInput): BuiltMessage {
  const id = samlId();
  const root = createDocument(NS.samlp, 'samlp:AuthnRequest', { samlp: NS.samlp, saml: NS.saml });
  root.setAttribute('ID', id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', toSamlInstant(input.now));
  root.setAttribute('Destination', input.destination);
  root.setAttribute('AssertionConsumerServiceURL', input.acsUrl);
  root.setAttribute('ProtocolBinding', BINDING_POST);
  if (input.forceAuthn) root.setAttribute('ForceAuthn', 'true');
  if (input.isPassive) root.setAttribute('IsPassive', 'true');
  appendElement(root, NS.saml, 'saml:Issuer', {}, input.issuer);
  appendElement(root, NS.samlp, 'samlp:NameIDPolicy', { Format: NAMEID_PERSISTENT, AllowCreate: 'true' });
  const context = appendElement(root, NS.samlp, 'samlp:RequestedAuthnContext', { Comparison: 'exact' });
  appendElement(context, NS.saml, 'saml:AuthnContextClassRef', {}, AUTHN_CONTEXT_X509);
  return { id, xml: serializeXml(root) };
}

export interface LogoutRequestInput {
  issuer: string;
  destination: string;
  now: Date;
  nameId: ReceivedNameId;
  sessionIndex?: string;
}

export function buildLogoutRequest(input: LogoutRequestInput): BuiltMessage {
  const id = samlId();
  const root = createDocument(NS.samlp, 'samlp:LogoutRequest', { samlp: NS.samlp, saml: NS.saml });
  root.setAttribute('ID', id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', toSamlInstant(input.now));
  root.setAttribute('Destination', input.destination);
  root.setAttribute('NotOnOrAfter', toSamlInstant(addSeconds(input.now, LIFETIME_SECONDS)));
  root.setAttribute('Reason', LOGOUT_REASON_USER);
  appendElement(root, NS.saml, 'saml:Issuer', {}, input.issuer);
  const { nameId } = input;
  appendElement(
    root,
    NS.saml,
    'saml:NameID',
    { Format: nameId.format, NameQualifier: nameId.nameQualifier, SPNameQualifier: nameId.spNameQualifier },
    nameId.value,
  );
  if (input.sessionIndex !== undefined) appendElement(root, NS.samlp, 'samlp:SessionIndex', {}, input.sessionIndex);
  return { id, xml: serializeXml(root) };
}

export interface LogoutResponseInput {
  issuer: string;
  destination: string;
  now: Date;
  inResponseTo: string;
  statusCode: string;
}

export function buildLogoutResponse(input: LogoutResponseInput): BuiltMessage {
  const id = samlId();
  const root = createDocument(NS.samlp, 'samlp:LogoutResponse', { samlp: NS.samlp, saml: NS.saml });
  root.setAttribute('ID', id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', toSamlInstant(input.now));
  root.setAttribute('Destination', input.destination);
  root.setAttribute('InResponseTo', input.inResponseTo);
  appendElement(root, NS.saml, 'saml:Issuer', {}, input.issuer);
  const status = appendElement(root, NS.samlp, 'samlp:Status');
  appendElement(status, NS.samlp, 'samlp:StatusCode', { Value: input.statusCode });
  return { id, xml: serializeXml(root) };
}

/** The POST-binding form of a message: enveloped signature right after the Issuer, base64 for the form field. */
export function signPostMessage(message: BuiltMessage, credentials: SigningCredentials): string {
  const signed = signEnveloped(message.xml, { rootId: message.id, after: { namespace: NS.saml, localName: 'Issuer' }, credentials });
  return Buffer.from(signed, 'utf8').toString('base64');
}
