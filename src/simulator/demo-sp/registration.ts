import { NS, appendElement, createDocument, serializeXml } from '../../xml/index.js';
import type { DemoSpOptions } from './types.js';

// The demo SP's registration at the IdP, derived at start-up from the IdP's effective base URL: the demo SP lives
// under /demo on the IdP's own origin, so a fixed file would name one port and break every other (PORT=9000 would
// post assertions to localhost:8080). Its metadata goes through the same registry checks as any SP's file.

export const DEMO_SP_NAME = 'demo-sp';

/**
 * The demo's policy (saml-profile.md §8.2): a public service that looks up the CPR number, offers the business
 * choice and takes employees, so one demo shows every step.
 */
export const DEMO_SP_POLICY = {
  sector: 'public',
  cpr: 'lookup',
  allowedCertificates: ['POCES', 'MOCES'],
  youthCertificates: 'allow',
  businessLogin: true,
  attributeProfile: 'oiosaml2',
  nameIdFormat: 'persistent',
  signResponse: false,
  encryptAssertion: 'aes256-gcm',
  allowSha1: false,
  allowIdpInitiated: true,
  releaseCpr: true,
} as const;

export interface DemoSpCredentials {
  readonly signingKeyPem: string;
  readonly signingCertPem: string;
  readonly encryptionKeyPem: string;
  readonly encryptionCertPem: string;
}

export interface DemoSpRegistration {
  readonly name: string;
  readonly metadataXml: string;
  readonly policyJson: string;
  /** What the demo SP itself is configured with: exactly what the IdP registered. */
  readonly files: Pick<DemoSpOptions, 'spEntityId' | 'acsUrl' | 'sloUrl' | 'signingKeyPem' | 'signingCertPem' | 'encryptionKeyPem' | 'metadataXml'>;
}

const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';

function certificateBase64(pem: string): string {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (!body) throw new Error('demo SP credential holds no PEM certificate');
  return body.replace(/\s+/g, '');
}

export function demoSpRegistration(idpBaseUrl: string, credentials: DemoSpCredentials): DemoSpRegistration {
  const base = `${idpBaseUrl.replace(/\/+$/, '')}/demo`;
  const spEntityId = `${base}/metadata`;
  const acsUrl = `${base}/acs`;
  const sloUrl = `${base}/slo`;

  const root = createDocument(NS.md, 'md:EntityDescriptor', { ds: NS.ds });
  root.setAttribute('entityID', spEntityId);
  const descriptor = appendElement(root, NS.md, 'md:SPSSODescriptor', {
    protocolSupportEnumeration: 'urn:oasis:names:tc:SAML:2.0:protocol',
    AuthnRequestsSigned: 'true',
    WantAssertionsSigned: 'true',
  });
  for (const [use, pem] of [['signing', credentials.signingCertPem], ['encryption', credentials.encryptionCertPem]] as const) {
    const key = appendElement(descriptor, NS.md, 'md:KeyDescriptor', { use });
    const data = appendElement(appendElement(key, NS.ds, 'ds:KeyInfo'), NS.ds, 'ds:X509Data');
    appendElement(data, NS.ds, 'ds:X509Certificate', {}, certificateBase64(pem));
  }
  for (const binding of [REDIRECT, POST]) appendElement(descriptor, NS.md, 'md:SingleLogoutService', { Binding: binding, Location: sloUrl });
  appendElement(descriptor, NS.md, 'md:NameIDFormat', {}, PERSISTENT);
  appendElement(descriptor, NS.md, 'md:AssertionConsumerService', { Binding: POST, Location: acsUrl, index: '0', isDefault: 'true' });
  const organization = appendElement(root, NS.md, 'md:Organization');
  const perLanguage = (element: string, values: Record<'en' | 'da', string>) => {
    for (const lang of ['en', 'da'] as const) appendElement(organization, NS.md, element, { 'xml:lang': lang }, values[lang]);
  };
  perLanguage('md:OrganizationName', { en: 'nemid-idp demo SP', da: 'nemid-idp demo-SP' });
  perLanguage('md:OrganizationDisplayName', { en: 'Demo service (simulator)', da: 'Demotjeneste (simulator)' });
  perLanguage('md:OrganizationURL', { en: `${base}/`, da: `${base}/` });

  const metadataXml = `<?xml version="1.0" encoding="UTF-8"?>\n${serializeXml(root)}\n`;
  return {
    name: DEMO_SP_NAME,
    metadataXml,
    policyJson: JSON.stringify(DEMO_SP_POLICY, null, 2),
    files: {
      spEntityId,
      acsUrl,
      sloUrl,
      signingKeyPem: credentials.signingKeyPem,
      signingCertPem: credentials.signingCertPem,
      encryptionKeyPem: credentials.encryptionKeyPem,
      metadataXml,
    },
  };
}
