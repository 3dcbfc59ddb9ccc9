import { IdpError } from '../../errors/index.js';
import { NS, childElements } from '../../xml/index.js';
import { decodePostMessage, signedRedirectLocation, verifyRedirectMessage, type MessageField } from './bindings.js';
import { STATUS_SUCCESS, buildLogoutRequest, buildLogoutResponse } from './messages.js';
import { checkDestination, checkIssuer, exactlyOne, instant, parseMessage, protocolRoot, readStatus, required, text, verifiedRoot } from './read-xml.js';
import type { DemoSession, DemoSessionStore } from './session-store.js';
import type { DemoNotice, DemoSpOptions } from './types.js';

// Single Logout for the demo SP: our LogoutRequest to the IdP (Redirect, signed), the IdP's LogoutResponse to it, and
// a LogoutRequest from the IdP (IdP-initiated or propagated) answered with a signed LogoutResponse by Redirect.

const PENDING_LOGOUT_MS = 10 * 60_000;
const MESSAGE_SKEW_MS = 180_000;
const MAX_RELAY_STATE_BYTES = 80;

/** Ends the local login at once and returns where to send the browser: the IdP's SLO with our LogoutRequest. */
export function startLogout(session: DemoSession, options: DemoSpOptions): string | undefined {
  const login = session.login;
  if (!login) return undefined;
  const now = options.clock.now();
  const request = buildLogoutRequest({
    issuer: options.spEntityId,
    destination: options.idpSloUrl,
    now,
    nameId: login.nameId,
    ...(login.sessionIndex !== undefined ? { sessionIndex: login.sessionIndex } : {}),
  });
  delete session.login;
  session.pendingLogout = { id: request.id, expiresAt: now.getTime() + PENDING_LOGOUT_MS };
  return signedRedirectLocation(options.idpSloUrl, 'SAMLRequest', request.xml, undefined, options.signingKeyPem);
}

export interface SloInput {
  binding: 'redirect' | 'post';
  /** Redirect: the decoded query; POST: the form fields. */
  fields: Record<string, string>;
  rawQueryString?: string;
}

export type SloOutcome = { kind: 'logout-response'; notice: DemoNotice } | { kind: 'logout-request'; location: string };

/** A verified message at our SLO endpoint: its signed root and RelayState. */
function receive(input: SloInput, field: MessageField, options: DemoSpOptions): { root: Element; relayState?: string } {
  const codes = { malformed: 'DEMO_SP_MESSAGE_MALFORMED', signature: 'DEMO_SP_SIGNATURE_INVALID' } as const;
  const relayState = input.fields['RelayState'];
  if (input.binding === 'redirect') {
    const message = verifyRedirectMessage(input.fields, field, options.idpSigningCertificates, codes, input.rawQueryString);
    const document = parseMessage(message.xml);
    if (childElements(document.documentElement as Element, NS.ds, 'Signature').length > 0) {
      throw new IdpError('DEMO_SP_MESSAGE_MALFORMED', 'a Redirect message must not carry an XML signature');
    }
    return { root: document.documentElement as Element, ...(message.relayState !== undefined ? { relayState: message.relayState } : {}) };
  }
  const unverifiedXml = decodePostMessage(input.fields, field, 'DEMO_SP_MESSAGE_MALFORMED');
  const document = parseMessage(unverifiedXml);
  return { root: verifiedRoot(document, unverifiedXml, options.idpSigningCertificates), ...(relayState !== undefined ? { relayState } : {}) };
}

export function receiveSlo(input: SloInput, session: DemoSession | undefined, store: DemoSessionStore, options: DemoSpOptions): SloOutcome {
  const hasRequest = input.fields['SAMLRequest'] !== undefined;
  const hasResponse = input.fields['SAMLResponse'] !== undefined;
  if (hasRequest === hasResponse) throw new IdpError('DEMO_SP_MESSAGE_MALFORMED', 'expected exactly one of SAMLRequest, SAMLResponse');
  return hasResponse ? receiveLogoutResponse(input, session, options) : answerLogoutRequest(input, store, options);
}

function receiveLogoutResponse(input: SloInput, session: DemoSession | undefined, options: DemoSpOptions): SloOutcome {
  const { root } = receive(input, 'SAMLResponse', options);
  const response = protocolRoot(root.ownerDocument, 'LogoutResponse');
  checkDestination(response, options.sloUrl);
  checkIssuer(response, options.idpEntityId);
  const pending = session?.pendingLogout;
  if (!session || !pending || response.getAttribute('InResponseTo') !== pending.id || pending.expiresAt <= options.clock.now().getTime()) {
    throw new IdpError('DEMO_SP_NOT_REQUESTED', 'LogoutResponse to no logout of this browser');
  }
  delete session.pendingLogout;
  return { kind: 'logout-response', notice: { kind: 'logged-out', statusCodes: readStatus(response).codes } };
}

function answerLogoutRequest(input: SloInput, store: DemoSessionStore, options: DemoSpOptions): SloOutcome {
  const { root, relayState } = receive(input, 'SAMLRequest', options);
  const request = protocolRoot(root.ownerDocument, 'LogoutRequest');
  checkDestination(request, options.sloUrl);
  checkIssuer(request, options.idpEntityId);
  const now = options.clock.now().getTime();
  const issued = instant(request, 'IssueInstant', 'DEMO_SP_LOGOUT_INVALID');
  if (!issued || Math.abs(now - issued.getTime()) > MESSAGE_SKEW_MS) throw new IdpError('DEMO_SP_LOGOUT_INVALID', 'IssueInstant outside the allowed skew');
  const notOnOrAfter = instant(request, 'NotOnOrAfter', 'DEMO_SP_LOGOUT_INVALID');
  if (notOnOrAfter && now >= notOnOrAfter.getTime()) throw new IdpError('DEMO_SP_LOGOUT_INVALID', 'LogoutRequest expired');
  const id = required(request, 'ID');
  if (!store.markSeen(`logout-request ${id}`, issued.getTime() + 2 * MESSAGE_SKEW_MS)) {
    throw new IdpError('DEMO_SP_LOGOUT_INVALID', 'LogoutRequest replayed');
  }
  const nameId = text(exactlyOne(request, NS.saml, 'NameID', 'DEMO_SP_LOGOUT_INVALID'));
  const sessionIndexes = childElements(request, NS.samlp, 'SessionIndex').map(text);
  const ended = store.endLogins(nameId, sessionIndexes);
  options.log.info({ event: 'demo_sp.logout_by_idp', ended }, 'demo SP: logout requested by the IdP');

  // Logout is idempotent: a session we no longer have is answered Success as well.
  const answer = buildLogoutResponse({
    issuer: options.spEntityId,
    destination: options.idpSloUrl,
    now: options.clock.now(),
    inResponseTo: id,
    statusCode: STATUS_SUCCESS,
  });
  const echoed = relayState !== undefined && Buffer.byteLength(relayState, 'utf8') <= MAX_RELAY_STATE_BYTES ? relayState : undefined;
  return { kind: 'logout-request', location: signedRedirectLocation(options.idpSloUrl, 'SAMLResponse', answer.xml, echoed, options.signingKeyPem) };
}
