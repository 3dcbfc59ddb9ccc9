import { IdpError } from '../../errors/index.js';
import { parseIsoInstant } from '../../shared/index.js';
import { NS, childElements, singleText } from '../../xml/index.js';
import { decodeMessage, type IncomingMessage } from '../bindings/decode.js';
import type { RegisteredSp } from '../registry/types.js';
import { checkDestination } from '../request/check-destination.js';
import { checkIssueInstant } from '../request/check-issue-instant.js';
import { checkSignature } from '../request/check-signature.js';
import { screenProtocolMessage } from '../request/parse-message.js';
import type { SamlContext } from '../request/receive-authn-request.js';

// An incoming LogoutRequest (saml-profile.md §6): the same decoding limits, parser, signature and algorithm rules
// as an AuthnRequest; Destination {base}/saml/slo; IssueInstant within skew; NotOnOrAfter not passed. Returns the
// verified facts; matching the NameID and SessionIndex to the IdP session, and replay, are the caller's.

export interface VerifiedLogoutRequest {
  sp: RegisteredSp;
  requestId: string;
  issueInstant: Date;
  nameId: { value: string; format?: string; nameQualifier?: string; spNameQualifier?: string };
  sessionIndexes: string[];
  relayState?: string;
  binding: 'redirect' | 'post';
}

const optional = (element: Element, name: string) => (element.hasAttribute(name) ? { [name]: element.getAttribute(name) ?? '' } : {});

export async function receiveLogoutRequest(input: IncomingMessage, context: SamlContext): Promise<VerifiedLogoutRequest> {
  const decoded = decodeMessage(input, 'SAMLRequest');
  const { document, sp } = await screenProtocolMessage(decoded, 'LogoutRequest', context.registry); // 1, then a signature present, then the schema
  const signedRoot = checkSignature(decoded, document, sp);
  checkDestination(signedRoot, `${context.idp.baseUrl}/saml/slo`);
  const issueInstant = checkIssueInstant(signedRoot, context.clock, context.skewSeconds);
  if (signedRoot.hasAttribute('NotOnOrAfter')) {
    const notOnOrAfter = parseIsoInstant(signedRoot.getAttribute('NotOnOrAfter') ?? '');
    if (!notOnOrAfter || context.clock.now().getTime() >= notOnOrAfter.getTime() + context.skewSeconds * 1000) {
      throw new IdpError('SAML_LOGOUT_INVALID', 'LogoutRequest NotOnOrAfter has passed');
    }
  }
  const [nameIdElement, ...more] = childElements(signedRoot, NS.saml, 'NameID');
  if (!nameIdElement || more.length > 0) throw new IdpError('SAML_LOGOUT_INVALID', 'LogoutRequest needs exactly one plain saml:NameID');
  const attributes = { ...optional(nameIdElement, 'Format'), ...optional(nameIdElement, 'NameQualifier'), ...optional(nameIdElement, 'SPNameQualifier') };
  const sessionIndexes = childElements(signedRoot, NS.samlp, 'SessionIndex').map((element) => singleText(element, 'SAML_XML_FORBIDDEN'));
  return {
    sp,
    requestId: signedRoot.getAttribute('ID') ?? '',
    issueInstant,
    nameId: {
      value: singleText(nameIdElement, 'SAML_XML_FORBIDDEN'),
      ...(attributes.Format !== undefined ? { format: attributes.Format } : {}),
      ...(attributes.NameQualifier !== undefined ? { nameQualifier: attributes.NameQualifier } : {}),
      ...(attributes.SPNameQualifier !== undefined ? { spNameQualifier: attributes.SPNameQualifier } : {}),
    },
    sessionIndexes,
    ...(decoded.relayState !== undefined ? { relayState: decoded.relayState } : {}),
    binding: decoded.binding,
  };
}
