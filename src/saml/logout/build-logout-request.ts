import { IdpError } from '../../errors/index.js';
import { type Clock, addSeconds, samlId, toSamlInstant } from '../../shared/index.js';
import { NS, appendElement, createDocument, type SigningCredentials } from '../../xml/index.js';
import { LOGOUT_REASON_USER, MESSAGE_LIFETIME_SECONDS } from '../constants.js';
import type { RegisteredSp } from '../registry/types.js';
import { deliver, type OutgoingMessage } from './outgoing.js';
import { chooseSloEndpoint, type SamlBindingName } from './slo-endpoint.js';

// A LogoutRequest we send to a session participant during propagation (saml-profile.md §6): its own NameID and
// SessionIndex, NotOnOrAfter +5 min, Reason user, signed on either binding (Redirect preferred).

export interface LogoutRequestInput {
  sp: RegisteredSp;
  issuer: string;
  nameId: { format?: string; value: string; nameQualifier?: string; spNameQualifier?: string };
  sessionIndex?: string;
  signing: SigningCredentials;
  clock: Clock;
  binding?: SamlBindingName;
}

export function buildLogoutRequest(input: LogoutRequestInput): { requestId: string } & OutgoingMessage {
  const chosen = chooseSloEndpoint(input.sp, input.binding ?? 'redirect');
  if (!chosen) throw new IdpError('SAML_LOGOUT_INVALID', 'SP has no SingleLogoutService');
  const id = samlId();
  const now = input.clock.now();
  const root = createDocument(NS.samlp, 'samlp:LogoutRequest', { samlp: NS.samlp, saml: NS.saml });
  root.setAttribute('ID', id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', toSamlInstant(now));
  root.setAttribute('Destination', chosen.endpoint.location);
  root.setAttribute('NotOnOrAfter', toSamlInstant(addSeconds(now, MESSAGE_LIFETIME_SECONDS)));
  root.setAttribute('Reason', LOGOUT_REASON_USER);
  appendElement(root, NS.saml, 'saml:Issuer', {}, input.issuer);
  appendElement(
    root,
    NS.saml,
    'saml:NameID',
    { Format: input.nameId.format, NameQualifier: input.nameId.nameQualifier, SPNameQualifier: input.nameId.spNameQualifier },
    input.nameId.value,
  );
  if (input.sessionIndex !== undefined) appendElement(root, NS.samlp, 'samlp:SessionIndex', {}, input.sessionIndex);
  return { requestId: id, ...deliver(root, id, 'SAMLRequest', chosen.binding, chosen.endpoint.location, input.signing) };
}
