import { IdpError } from '../../errors/index.js';
import { type Clock, samlId, toSamlInstant } from '../../shared/index.js';
import { NS, appendElement, createDocument, type SigningCredentials } from '../../xml/index.js';
import { STATUS_PREFIX } from '../constants.js';
import type { RegisteredSp } from '../registry/types.js';
import { deliver, type OutgoingMessage } from './outgoing.js';
import { chooseSloEndpoint, type SamlBindingName } from './slo-endpoint.js';

// Our LogoutResponse to the SP that started the logout (saml-profile.md §6): to its SingleLogoutService
// (ResponseLocation when given) on the binding its request used when it has it; Success, with second-level
// PartialLogout when some participant did not confirm; Requester/UnknownPrincipal when the request named a principal
// or session index we did not issue to that SP in this browser's session (nothing was logged out); RelayState echoed.

export interface LogoutResponseInput {
  sp: RegisteredSp;
  issuer: string;
  inResponseTo: string;
  status: 'Success' | 'PartialLogout' | 'UnknownPrincipal';
  signing: SigningCredentials;
  clock: Clock;
  binding: SamlBindingName;
  relayState?: string;
}

export function buildLogoutResponse(input: LogoutResponseInput): { responseId: string } & OutgoingMessage {
  const chosen = chooseSloEndpoint(input.sp, input.binding);
  if (!chosen) throw new IdpError('SAML_LOGOUT_INVALID', 'SP has no SingleLogoutService');
  const location = chosen.endpoint.responseLocation ?? chosen.endpoint.location;
  const id = samlId();
  const root = createDocument(NS.samlp, 'samlp:LogoutResponse', { samlp: NS.samlp, saml: NS.saml });
  root.setAttribute('ID', id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', toSamlInstant(input.clock.now()));
  root.setAttribute('Destination', location);
  root.setAttribute('InResponseTo', input.inResponseTo);
  appendElement(root, NS.saml, 'saml:Issuer', {}, input.issuer);
  const status = appendElement(root, NS.samlp, 'samlp:Status');
  const top = input.status === 'UnknownPrincipal' ? 'Requester' : 'Success';
  const code = appendElement(status, NS.samlp, 'samlp:StatusCode', { Value: `${STATUS_PREFIX}${top}` });
  if (input.status !== 'Success') appendElement(code, NS.samlp, 'samlp:StatusCode', { Value: `${STATUS_PREFIX}${input.status}` });
  return { responseId: id, ...deliver(root, id, 'SAMLResponse', chosen.binding, location, input.signing, input.relayState) };
}
