import { type Clock, addSeconds, samlId, toSamlInstant } from '../../shared/index.js';
import { NS, appendElement, createDocument, serializeXml, signEnveloped, type SigningCredentials } from '../../xml/index.js';
import { BINDING_POST, BINDING_REDIRECT, NAMEID_PERSISTENT, NAMEID_TRANSIENT, NAMEID_X509, PROTOCOL_SAML2 } from '../constants.js';
import { ATTRIBUTE_PROFILES } from '../response/attributes.js';

// Our signed IdP metadata (saml-profile.md §7): valid for 7 days from signing, cached 6 h, both signing
// certificates during a rollover, SSO and SLO on Redirect and POST, the releasable attributes without values.

export interface LocalizedText {
  da: string;
  en: string;
}

export interface IdpMetadataInput {
  entityId: string;
  baseUrl: string;
  signing: SigningCredentials;
  nextSigningCert?: string;
  /** A plain string is used for both languages. */
  organization: { name: LocalizedText | string; displayName: LocalizedText | string; url: LocalizedText | string };
  /** An e-mail address (with or without `mailto:`), or a company and e-mail. */
  contacts: { technical: Contact | string; support: Contact | string };
  displayNames: LocalizedText;
  clock: Clock;
}

export interface Contact {
  company?: string;
  email: string;
}

const VALIDITY_SECONDS = 7 * 24 * 3600;

function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

function appendSigningKey(parent: Element, pem: string): void {
  const descriptor = appendElement(parent, NS.md, 'md:KeyDescriptor', { use: 'signing' });
  const keyInfo = appendElement(descriptor, NS.ds, 'ds:KeyInfo');
  const data = appendElement(keyInfo, NS.ds, 'ds:X509Data');
  appendElement(data, NS.ds, 'ds:X509Certificate', {}, certificateBody(pem));
}

function appendLocalized(parent: Element, qualifiedName: string, namespace: string, given: LocalizedText | string): void {
  const text = typeof given === 'string' ? { da: given, en: given } : given;
  appendElement(parent, namespace, qualifiedName, { 'xml:lang': 'da' }, text.da);
  appendElement(parent, namespace, qualifiedName, { 'xml:lang': 'en' }, text.en);
}

export function buildIdpMetadata(input: IdpMetadataInput): string {
  const id = samlId();
  const now = input.clock.now();
  const root = createDocument(NS.md, 'md:EntityDescriptor', { md: NS.md, ds: NS.ds, saml: NS.saml, mdui: NS.mdui });
  root.setAttribute('entityID', input.entityId);
  root.setAttribute('ID', id);
  root.setAttribute('validUntil', toSamlInstant(addSeconds(now, VALIDITY_SECONDS)));
  root.setAttribute('cacheDuration', 'PT6H');

  const idp = appendElement(root, NS.md, 'md:IDPSSODescriptor', { protocolSupportEnumeration: PROTOCOL_SAML2, WantAuthnRequestsSigned: 'true' });
  const extensions = appendElement(idp, NS.md, 'md:Extensions');
  const uiInfo = appendElement(extensions, NS.mdui, 'mdui:UIInfo');
  appendLocalized(uiInfo, 'mdui:DisplayName', NS.mdui, input.displayNames);
  appendSigningKey(idp, input.signing.cert);
  if (input.nextSigningCert) appendSigningKey(idp, input.nextSigningCert);
  for (const binding of [BINDING_REDIRECT, BINDING_POST]) {
    appendElement(idp, NS.md, 'md:SingleLogoutService', { Binding: binding, Location: `${input.baseUrl}/saml/slo` });
  }
  for (const format of [NAMEID_PERSISTENT, NAMEID_TRANSIENT, NAMEID_X509]) appendElement(idp, NS.md, 'md:NameIDFormat', {}, format);
  for (const binding of [BINDING_REDIRECT, BINDING_POST]) {
    appendElement(idp, NS.md, 'md:SingleSignOnService', { Binding: binding, Location: `${input.baseUrl}/saml/sso` });
  }
  for (const { nameFormat, definitions } of Object.values(ATTRIBUTE_PROFILES)) {
    for (const definition of definitions) {
      appendElement(idp, NS.saml, 'saml:Attribute', { Name: definition.name, NameFormat: nameFormat, FriendlyName: definition.friendlyName });
    }
  }

  const organization = appendElement(root, NS.md, 'md:Organization');
  appendLocalized(organization, 'md:OrganizationName', NS.md, input.organization.name);
  appendLocalized(organization, 'md:OrganizationDisplayName', NS.md, input.organization.displayName);
  appendLocalized(organization, 'md:OrganizationURL', NS.md, input.organization.url);
  for (const type of ['technical', 'support'] as const) {
    const contact = appendElement(root, NS.md, 'md:ContactPerson', { contactType: type });
    const given = input.contacts[type];
    const { company, email } = typeof given === 'string' ? { company: undefined, email: given } : given;
    if (company !== undefined) appendElement(contact, NS.md, 'md:Company', {}, company);
    appendElement(contact, NS.md, 'md:EmailAddress', {}, email.startsWith('mailto:') ? email : `mailto:${email}`);
  }

  // The metadata signature goes first in EntityDescriptor (the schema puts ds:Signature before any descriptor).
  return signEnveloped(serializeXml(root), { rootId: id, credentials: input.signing });
}
