import { NS, appendElement, createDocument, serializeXml, signEnveloped, type SigningCredentials } from '../../xml/index.js';
import { toSamlInstant, addSeconds } from '../../shared/index.js';
import { CM_BEARER, MESSAGE_LIFETIME_SECONDS } from '../constants.js';
import type { AttributeValue } from './attributes.js';

// Builds and signs one saml:Assertion (saml-profile.md §3.2, §3.3). It declares saml, ds, xs and xsi itself so it
// can be moved into a Response or encrypted without depending on its surroundings; the signature's Reference keeps
// the `xs` prefix through InclusiveNamespaces because `xs:string` appears only in attribute content.

export interface AssertionInput {
  id: string;
  issuer: string;
  issueInstant: Date;
  audience: string;
  recipient: string;
  inResponseTo?: string;
  nameId: { format: string; value: string; nameQualifier?: string; spNameQualifier?: string };
  authnInstant: Date;
  sessionIndex: string;
  authnContextClassRef: string;
  attributes: readonly AttributeValue[];
  signing: SigningCredentials;
}

export function buildSignedAssertion(input: AssertionInput): string {
  const assertion = createDocument(NS.saml, 'saml:Assertion', { saml: NS.saml, ds: NS.ds, xs: NS.xs, xsi: NS.xsi });
  const now = toSamlInstant(input.issueInstant);
  const expires = toSamlInstant(addSeconds(input.issueInstant, MESSAGE_LIFETIME_SECONDS));
  assertion.setAttribute('ID', input.id);
  assertion.setAttribute('Version', '2.0');
  assertion.setAttribute('IssueInstant', now);
  appendElement(assertion, NS.saml, 'saml:Issuer', {}, input.issuer);

  const subject = appendElement(assertion, NS.saml, 'saml:Subject');
  appendElement(
    subject,
    NS.saml,
    'saml:NameID',
    { Format: input.nameId.format, NameQualifier: input.nameId.nameQualifier, SPNameQualifier: input.nameId.spNameQualifier },
    input.nameId.value,
  );
  const confirmation = appendElement(subject, NS.saml, 'saml:SubjectConfirmation', { Method: CM_BEARER });
  appendElement(confirmation, NS.saml, 'saml:SubjectConfirmationData', {
    Recipient: input.recipient,
    NotOnOrAfter: expires,
    InResponseTo: input.inResponseTo,
  });

  const conditions = appendElement(assertion, NS.saml, 'saml:Conditions', { NotBefore: now, NotOnOrAfter: expires });
  const restriction = appendElement(conditions, NS.saml, 'saml:AudienceRestriction');
  appendElement(restriction, NS.saml, 'saml:Audience', {}, input.audience);

  const statement = appendElement(assertion, NS.saml, 'saml:AuthnStatement', {
    AuthnInstant: toSamlInstant(input.authnInstant),
    SessionIndex: input.sessionIndex,
  });
  const context = appendElement(statement, NS.saml, 'saml:AuthnContext');
  appendElement(context, NS.saml, 'saml:AuthnContextClassRef', {}, input.authnContextClassRef);

  const attributes = appendElement(assertion, NS.saml, 'saml:AttributeStatement');
  for (const attribute of input.attributes) {
    const element = appendElement(attributes, NS.saml, 'saml:Attribute', {
      Name: attribute.name,
      NameFormat: attribute.nameFormat,
      FriendlyName: attribute.friendlyName,
    });
    appendElement(element, NS.saml, 'saml:AttributeValue', { 'xsi:type': 'xs:string' }, attribute.value, { xsi: NS.xsi });
  }

  return signEnveloped(serializeXml(assertion), {
    rootId: input.id,
    after: { namespace: NS.saml, localName: 'Issuer' },
    inclusivePrefixes: ['xs'],
    credentials: input.signing,
  });
}
