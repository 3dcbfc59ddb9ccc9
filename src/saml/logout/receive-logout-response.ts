import { IdpError } from '../../errors/index.js';
import { NS, childElements } from '../../xml/index.js';
import { decodeMessage, type IncomingMessage } from '../bindings/decode.js';
import { STATUS_PREFIX } from '../constants.js';
import type { RegisteredSp } from '../registry/types.js';
import { checkDestination } from '../request/check-destination.js';
import { checkIssueInstant } from '../request/check-issue-instant.js';
import { checkSignature } from '../request/check-signature.js';
import { screenProtocolMessage } from '../request/parse-message.js';
import type { SamlContext } from '../request/receive-authn-request.js';

// A LogoutResponse from a participant during propagation (saml-profile.md §6): signed with a key from its metadata,
// Destination our SLO endpoint, IssueInstant within skew. The caller compares inResponseTo (and the issuer) with the
// LogoutRequest it sent to that participant.

export interface VerifiedLogoutResponse {
  sp: RegisteredSp;
  responseId: string;
  inResponseTo: string;
  /** Top-level and (when present) second-level status, by last URI segment. */
  status: { top: string; second?: string };
  success: boolean;
  relayState?: string;
  binding: 'redirect' | 'post';
}

export async function receiveLogoutResponse(input: IncomingMessage, context: SamlContext): Promise<VerifiedLogoutResponse> {
  const decoded = decodeMessage(input, 'SAMLResponse');
  const { document, sp } = await screenProtocolMessage(decoded, 'LogoutResponse', context.registry); // 1, then a signature present, then the schema
  const signedRoot = checkSignature(decoded, document, sp);
  checkDestination(signedRoot, `${context.idp.baseUrl}/saml/slo`);
  checkIssueInstant(signedRoot, context.clock, context.skewSeconds);
  const inResponseTo = signedRoot.getAttribute('InResponseTo') ?? '';
  if (!signedRoot.hasAttribute('InResponseTo') || inResponseTo === '') throw new IdpError('SAML_LOGOUT_RESPONSE_INVALID', 'InResponseTo missing');
  const top = childElements(childElements(signedRoot, NS.samlp, 'Status')[0] ?? signedRoot, NS.samlp, 'StatusCode')[0];
  if (!top) throw new IdpError('SAML_LOGOUT_RESPONSE_INVALID', 'Status missing');
  const second = childElements(top, NS.samlp, 'StatusCode')[0];
  const segment = (element: Element) => {
    const value = element.getAttribute('Value') ?? '';
    return value.startsWith(STATUS_PREFIX) ? value.slice(STATUS_PREFIX.length) : value;
  };
  const status = { top: segment(top), ...(second ? { second: segment(second) } : {}) };
  return {
    sp,
    responseId: signedRoot.getAttribute('ID') ?? '',
    inResponseTo,
    status,
    success: status.top === 'Success',
    ...(decoded.relayState !== undefined ? { relayState: decoded.relayState } : {}),
    binding: decoded.binding,
  };
}
