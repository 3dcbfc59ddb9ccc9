import { IdpError } from '../errors/index.js';
import type { VerifiedLogoutRequest, VerifiedLogoutResponse } from '../saml/index.js';
import { idpSessions, participants, requestIds } from '../store/index.js';
import { audit, nameIdHash } from './audit.js';
import { csrfToken, validCsrfToken } from './browser.js';
import type { LoginDeps } from './deps.js';
import { logoutChainForStorage, nameIdMismatch, newLogoutChain, readLogoutChain, sessionIndexMatches, type LogoutInitiator } from './logout-chain.js';
import { loggedOut, runLogoutChain } from './logout-run.js';
import { logoutResponseTo, navigationTo } from './logout-send.js';
import type { LogoutConfirmView } from './logout-views.js';
import type { CookieChanges, Outcome } from './outcome.js';
import { findSession, type ActiveSession } from './session.js';
import { spDisplayName } from './client.js';

// Single logout (saml-profile.md §6): an SP's LogoutRequest, the LogoutResponses of the participants we propagate
// to, and the user's own "log out everywhere". The IdP session always ends first (compare-and-set, cookie cleared),
// so no failing SP can keep it alive; then the chain visits the other participants one navigation at a time.

export interface LogoutResult {
  readonly outcome: Outcome;
  readonly cookies: CookieChanges;
}

const CLEAR_SESSION: CookieChanges = { sessionSecret: null };
const purposeOf = (sessionId: string) => `slo-init:${sessionId}`;

/**
 * A verified LogoutRequest from an SP. Its ID is recorded first (a replay ends on the local error page); then it is
 * matched against this browser's session: no live session, or an SP that is not in it, is answered Success
 * (idempotent); a NameID or SessionIndex we did not issue to that SP in this session is answered
 * Requester/UnknownPrincipal and ends nothing; otherwise the session ends and the chain starts.
 */
export async function receiveSpLogout(
  deps: LoginDeps,
  verified: VerifiedLogoutRequest,
  sessionCookie: string | undefined,
  traceId?: string,
): Promise<LogoutResult> {
  const { sp } = verified;
  const replayWindowEnd = new Date(verified.issueInstant.getTime() + deps.config.idp.clockSkewSeconds * 1000 * 2);
  if (!(await requestIds.record(deps.pool, sp.entityId, verified.requestId, replayWindowEnd))) {
    throw new IdpError('SAML_REQUEST_REPLAYED', 'LogoutRequest ID seen before', { detail: { sp: sp.entityId, requestId: verified.requestId } });
  }
  const initiator: LogoutInitiator = {
    kind: 'sp',
    spEntityId: sp.entityId,
    requestId: verified.requestId,
    binding: verified.binding,
    ...(verified.relayState !== undefined ? { relayState: verified.relayState } : {}),
  };
  const event = (phase: string, extra: { sessionId?: string; data?: Record<string, unknown> } = {}) =>
    audit(deps, {
      type: 'logout',
      ...(traceId ? { traceId } : {}),
      spEntityId: sp.entityId,
      ...(extra.sessionId ? { sessionId: extra.sessionId } : {}),
      data: { phase, requestId: verified.requestId, binding: verified.binding, nameIdHash: nameIdHash(verified.nameId.value), ...(extra.data ?? {}) },
    });
  const answer = (status: 'Success' | 'UnknownPrincipal', cookies: CookieChanges, hadSession: boolean): LogoutResult => {
    const message = logoutResponseTo(deps, sp, initiator, status);
    if (message) return { outcome: navigationTo(message), cookies };
    // An SP without any SingleLogoutService cannot be answered: the user sees our page instead.
    if (status !== 'Success') throw new IdpError('SAML_LOGOUT_INVALID', 'LogoutRequest names a principal not in this session', { detail: { sp: sp.entityId } });
    return { outcome: loggedOut(false, hadSession), cookies };
  };

  const active = await findSession(deps, sessionCookie);
  const participant = active ? await participants.get(deps.pool, active.session.id, sp.entityId) : null;
  if (!active || !participant) {
    await event('request_received', { data: { outcome: active ? 'not_a_participant' : 'no_session' } });
    return answer('Success', active || !sessionCookie ? {} : CLEAR_SESSION, false);
  }
  const mismatch = nameIdMismatch(participant, verified.nameId, { idpEntityId: deps.config.idp.entityId, spEntityId: sp.entityId });
  const reason = mismatch ? `nameid_${mismatch}` : sessionIndexMatches(participant, verified.sessionIndexes) ? null : 'session_index';
  if (reason) {
    // Info, not warn: an SP's logout bug, not an attack on us. Never the NameID value itself.
    deps.log.info({ sp: sp.entityId, reason, requestId: verified.requestId, ...(traceId ? { traceId } : {}) }, 'LogoutRequest refused with UnknownPrincipal: it names a principal we did not issue to this SP in this session');
    await event('request_refused', { sessionId: active.session.id, data: { outcome: 'unknown_principal', reason } });
    return answer('UnknownPrincipal', {}, true);
  }

  const chain = newLogoutChain(initiator, deps.clock.now());
  const ended = await idpSessions.end(deps.pool, active.session.id, deps.clock.now(), logoutChainForStorage(chain));
  if (!ended) {
    // Another request ended it a moment ago (and runs its own chain): for this SP the session is gone.
    await event('request_received', { sessionId: active.session.id, data: { outcome: 'already_ended' } });
    return answer('Success', CLEAR_SESSION, true);
  }
  // The initiator needs no LogoutRequest from us: its own request is its confirmation.
  await participants.setLogoutState(deps.pool, active.session.id, sp.entityId, participant.logoutState, 'succeeded', null);
  await event('started', { sessionId: active.session.id, data: { sessionIndex: participant.sessionIndex } });
  return { outcome: await runLogoutChain(deps, active.session.id, chain, traceId), cookies: CLEAR_SESSION };
}

/**
 * A verified LogoutResponse from a participant: it must answer the LogoutRequest we sent to that very SP (same
 * issuer, InResponseTo = our request ID, still `sent`), then the chain goes on. Anything else is refused locally.
 */
export async function receiveLogoutAnswer(deps: LoginDeps, verified: VerifiedLogoutResponse, traceId?: string): Promise<LogoutResult> {
  const participant = await participants.findByLogoutRequestId(deps.pool, verified.sp.entityId, verified.inResponseTo);
  if (!participant || participant.logoutState !== 'sent') {
    throw new IdpError('SAML_LOGOUT_RESPONSE_INVALID', 'LogoutResponse answers no LogoutRequest we have out', {
      detail: { sp: verified.sp.entityId, inResponseTo: verified.inResponseTo },
    });
  }
  const result = verified.success ? 'succeeded' : 'failed';
  const moved = await participants.setLogoutState(deps.pool, participant.sessionId, participant.spEntityId, 'sent', result, participant.logoutRequestId);
  if (!moved) throw new IdpError('SAML_LOGOUT_RESPONSE_INVALID', 'LogoutResponse already processed', { detail: { sp: verified.sp.entityId } });
  await audit(deps, {
    type: 'logout',
    ...(traceId ? { traceId } : {}),
    spEntityId: participant.spEntityId,
    sessionId: participant.sessionId,
    data: { phase: 'response_received', inResponseTo: verified.inResponseTo, status: verified.status, nameIdHash: nameIdHash(participant.nameId) },
  });
  const session = await idpSessions.get(deps.pool, participant.sessionId);
  const chain = session?.endedAt ? readLogoutChain(session.logout) : null;
  if (!chain) throw new IdpError('SAML_LOGOUT_RESPONSE_INVALID', 'no logout chain for this session', { detail: { sessionId: participant.sessionId } });
  return { outcome: await runLogoutChain(deps, participant.sessionId, chain, traceId), cookies: {} };
}

/** GET /saml/slo/init: the "log out of every service" page, or "you are logged out" when there is no session. */
export async function logoutConfirmation(deps: LoginDeps, sessionCookie: string | undefined): Promise<LogoutResult> {
  const active = await findSession(deps, sessionCookie);
  if (!active) return { outcome: loggedOut(false, false), cookies: sessionCookie ? CLEAR_SESSION : {} };
  const registry = deps.registry();
  const services = (await participants.list(deps.pool, active.session.id)).map((p) => {
    const sp = registry.byEntityId(p.spEntityId);
    return sp ? spDisplayName(sp) : p.spEntityId;
  });
  const view: LogoutConfirmView = { kind: 'logout-confirm', csrf: sessionCsrf(deps, active), services };
  return { outcome: { type: 'page', view }, cookies: {} };
}

/** POST /saml/slo/init from our page: the CSRF token must be bound to this browser's live session. */
export async function startIdpLogout(deps: LoginDeps, sessionCookie: string | undefined, csrf: string | undefined, traceId?: string): Promise<LogoutResult> {
  const active = await findSession(deps, sessionCookie);
  if (!active) return { outcome: loggedOut(false, false), cookies: sessionCookie ? CLEAR_SESSION : {} };
  if (!validCsrfToken(deps.config.secrets.cookie, active.session.browserBinding, purposeOf(active.session.id), csrf)) {
    throw new IdpError('CSRF_INVALID', 'CSRF token refused for slo-init');
  }
  const chain = newLogoutChain({ kind: 'idp' }, deps.clock.now());
  const ended = await idpSessions.end(deps.pool, active.session.id, deps.clock.now(), logoutChainForStorage(chain));
  if (!ended) return { outcome: loggedOut(true), cookies: CLEAR_SESSION };
  await audit(deps, { type: 'logout', ...(traceId ? { traceId } : {}), sessionId: active.session.id, data: { phase: 'started', initiator: 'idp' } });
  return { outcome: await runLogoutChain(deps, active.session.id, chain, traceId), cookies: CLEAR_SESSION };
}

function sessionCsrf(deps: LoginDeps, active: ActiveSession): string {
  return csrfToken(deps.config.secrets.cookie[0]!, active.session.browserBinding, purposeOf(active.session.id));
}
