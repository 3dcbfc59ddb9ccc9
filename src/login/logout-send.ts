import { buildLogoutRequest, buildLogoutResponse, chooseSloEndpoint, type OutgoingMessage, type RegisteredSp } from '../saml/index.js';
import type { Participant } from '../store/index.js';
import type { LoginDeps } from './deps.js';
import type { Outcome } from './outcome.js';

// Building the signed logout messages we send, and turning them into a front-channel navigation.

export function signingOf(deps: LoginDeps) {
  return { key: deps.config.idp.signing.keyPem, cert: deps.config.idp.signing.certPem };
}

/** A top-level navigation carrying a signed message: a Redirect URL or the auto-submitting POST form. */
export function navigationTo(message: OutgoingMessage): Outcome {
  return message.binding === 'redirect'
    ? { type: 'saml-redirect', location: message.url }
    : { type: 'saml-post', action: message.action, fields: message.fields as Readonly<Record<string, string>> };
}

/** The registered SP, when it is still registered and has a SingleLogoutService. */
export function logoutTarget(deps: LoginDeps, spEntityId: string): RegisteredSp | undefined {
  const sp = deps.registry().byEntityId(spEntityId);
  return sp && chooseSloEndpoint(sp) ? sp : undefined;
}

/** Our LogoutRequest to a participant: its own NameID and SessionIndex, Redirect preferred. */
export function logoutRequestTo(deps: LoginDeps, sp: RegisteredSp, participant: Participant): { requestId: string } & OutgoingMessage {
  return buildLogoutRequest({
    sp,
    issuer: deps.config.idp.entityId,
    nameId: {
      value: participant.nameId,
      format: participant.nameIdFormat,
      ...(participant.nameQualifier !== null ? { nameQualifier: participant.nameQualifier } : {}),
      ...(participant.spNameQualifier !== null ? { spNameQualifier: participant.spNameQualifier } : {}),
    },
    sessionIndex: participant.sessionIndex,
    signing: signingOf(deps),
    clock: deps.clock,
    binding: 'redirect',
  });
}

/**
 * Our LogoutResponse to the SP whose LogoutRequest started or reached us, on the binding its request used when it
 * has an endpoint for it; undefined when it has no SingleLogoutService at all (then the user sees our page).
 */
export function logoutResponseTo(
  deps: LoginDeps,
  sp: RegisteredSp,
  request: { requestId: string; binding: 'redirect' | 'post'; relayState?: string },
  status: 'Success' | 'PartialLogout' | 'UnknownPrincipal',
): ({ responseId: string } & OutgoingMessage) | undefined {
  if (!chooseSloEndpoint(sp, request.binding)) return undefined;
  return buildLogoutResponse({
    sp,
    issuer: deps.config.idp.entityId,
    inResponseTo: request.requestId,
    status,
    signing: signingOf(deps),
    clock: deps.clock,
    binding: request.binding,
    ...(request.relayState !== undefined ? { relayState: request.relayState } : {}),
  });
}
