import { IdpError } from '../../errors/index.js';
import { NS, childElements, decryptEncryptedData } from '../../xml/index.js';
import { atMostOne, checkIssuer, exactlyOne, instant, optional, parseMessage, required, text, verifiedRoot } from './read-xml.js';
import type { DemoLogin, ReceivedAttribute } from './types.js';

// The demo SP's reading of an saml:EncryptedAssertion: decrypt with our key, verify the Assertion's enveloped
// signature with the IdP keys only, then read every fact from the signed bytes (never from the envelope).

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

export interface AssertionExpectations {
  decryptionKey: string;
  idpCertificates: readonly string[];
  idpEntityId: string;
  spEntityId: string;
  acsUrl: string;
  /** The request this answers (SubjectConfirmationData must say the same); undefined for IdP-initiated. */
  inResponseTo: string | undefined;
  now: Date;
  skewSeconds: number;
}

export interface VerifiedAssertion {
  login: Omit<DemoLogin, 'inResponseTo'>;
  /** Conditions/NotOnOrAfter in ms: how long the assertion ID must be remembered against replay. */
  notOnOrAfter: number;
}

export function readEncryptedAssertion(encryptedAssertion: Element, expect: AssertionExpectations): VerifiedAssertion {
  const unverifiedXml = decryptEncryptedData(encryptedAssertion, { privateKey: expect.decryptionKey, errorCode: 'DEMO_SP_DECRYPTION_FAILED' });
  const document = parseMessage(unverifiedXml);
  const unverified = document.documentElement as Element;
  if (unverified.namespaceURI !== NS.saml || unverified.localName !== 'Assertion') {
    throw new IdpError('DEMO_SP_MESSAGE_MALFORMED', 'EncryptedAssertion does not hold an Assertion');
  }
  const assertion = verifiedRoot(document, unverifiedXml, expect.idpCertificates);
  return readSignedAssertion(assertion, expect);
}

function readSignedAssertion(assertion: Element, expect: AssertionExpectations): VerifiedAssertion {
  if (assertion.getAttribute('Version') !== '2.0') throw new IdpError('DEMO_SP_MESSAGE_MALFORMED', 'Assertion Version is not 2.0');
  const assertionId = required(assertion, 'ID');
  checkIssuer(assertion, expect.idpEntityId);
  const now = expect.now.getTime();
  const skew = expect.skewSeconds * 1000;
  const invalid = (reason: string): never => {
    throw new IdpError('DEMO_SP_ASSERTION_INVALID', reason);
  };

  const subject = exactlyOne(assertion, NS.saml, 'Subject', 'DEMO_SP_ASSERTION_INVALID');
  const nameIdElement = exactlyOne(subject, NS.saml, 'NameID', 'DEMO_SP_ASSERTION_INVALID');
  const confirmed = childElements(subject, NS.saml, 'SubjectConfirmation').some((confirmation) => {
    if (confirmation.getAttribute('Method') !== BEARER) return false;
    const data = atMostOne(confirmation, NS.saml, 'SubjectConfirmationData', 'DEMO_SP_ASSERTION_INVALID');
    if (!data) return false;
    const notOnOrAfter = instant(data, 'NotOnOrAfter', 'DEMO_SP_ASSERTION_INVALID');
    const notBefore = instant(data, 'NotBefore', 'DEMO_SP_ASSERTION_INVALID');
    return (
      data.getAttribute('Recipient') === expect.acsUrl &&
      notOnOrAfter !== undefined &&
      now < notOnOrAfter.getTime() + skew &&
      (notBefore === undefined || now >= notBefore.getTime() - skew) &&
      optional(data, 'InResponseTo') === expect.inResponseTo
    );
  });
  if (!confirmed) invalid('no bearer SubjectConfirmation for our ACS, this request and now');

  const conditions = exactlyOne(assertion, NS.saml, 'Conditions', 'DEMO_SP_ASSERTION_INVALID');
  const notBefore = instant(conditions, 'NotBefore', 'DEMO_SP_ASSERTION_INVALID');
  const notOnOrAfter = instant(conditions, 'NotOnOrAfter', 'DEMO_SP_ASSERTION_INVALID');
  if (notOnOrAfter === undefined) invalid('Conditions without NotOnOrAfter');
  const until = (notOnOrAfter as Date).getTime();
  if (notBefore !== undefined && now < notBefore.getTime() - skew) invalid('assertion not yet valid');
  if (now >= until + skew) invalid('assertion expired');
  const restrictions = childElements(conditions, NS.saml, 'AudienceRestriction');
  if (restrictions.length === 0) invalid('no AudienceRestriction');
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, NS.saml, 'Audience').map(text);
    if (!audiences.includes(expect.spEntityId)) invalid('we are not in the audience');
  }
  for (const condition of childElements(conditions)) {
    const known = condition.namespaceURI === NS.saml && ['AudienceRestriction', 'OneTimeUse', 'ProxyRestriction'].includes(condition.localName ?? '');
    if (!known) invalid('unknown condition');
  }

  const authn = exactlyOne(assertion, NS.saml, 'AuthnStatement', 'DEMO_SP_ASSERTION_INVALID');
  const sessionEnds = instant(authn, 'SessionNotOnOrAfter', 'DEMO_SP_ASSERTION_INVALID');
  if (sessionEnds !== undefined && now >= sessionEnds.getTime() + skew) invalid('session already over');
  const context = atMostOne(authn, NS.saml, 'AuthnContext', 'DEMO_SP_ASSERTION_INVALID');
  const classRef = context ? atMostOne(context, NS.saml, 'AuthnContextClassRef', 'DEMO_SP_ASSERTION_INVALID') : undefined;

  const sessionIndex = optional(authn, 'SessionIndex');
  const authnInstant = optional(authn, 'AuthnInstant');
  const format = optional(nameIdElement, 'Format');
  const nameQualifier = optional(nameIdElement, 'NameQualifier');
  const spNameQualifier = optional(nameIdElement, 'SPNameQualifier');
  return {
    notOnOrAfter: until,
    login: {
      assertionId,
      nameId: {
        value: text(nameIdElement),
        ...(format !== undefined ? { format } : {}),
        ...(nameQualifier !== undefined ? { nameQualifier } : {}),
        ...(spNameQualifier !== undefined ? { spNameQualifier } : {}),
      },
      ...(sessionIndex !== undefined ? { sessionIndex } : {}),
      ...(authnInstant !== undefined ? { authnInstant } : {}),
      ...(classRef ? { authnContextClassRef: text(classRef) } : {}),
      attributes: readAttributes(assertion),
    },
  };
}

function readAttributes(assertion: Element): ReceivedAttribute[] {
  return childElements(assertion, NS.saml, 'AttributeStatement').flatMap((statement) => {
    if (childElements(statement).some((child) => child.namespaceURI !== NS.saml || child.localName !== 'Attribute')) {
      throw new IdpError('DEMO_SP_ASSERTION_INVALID', 'AttributeStatement holds something other than Attribute (EncryptedAttribute?)');
    }
    return childElements(statement, NS.saml, 'Attribute').map((attribute) => {
      const friendlyName = optional(attribute, 'FriendlyName');
      const nameFormat = optional(attribute, 'NameFormat');
      return {
        name: required(attribute, 'Name'),
        ...(friendlyName !== undefined ? { friendlyName } : {}),
        ...(nameFormat !== undefined ? { nameFormat } : {}),
        values: childElements(attribute, NS.saml, 'AttributeValue').map(text),
      };
    });
  });
}
