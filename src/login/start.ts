import { methodsFor } from './client.js';
import { startMitid } from './mitid-step.js';
import { failuresOf } from './transactions.js';
import { levelRequirement } from './request-facts.js';
import { IdpError, type ErrorCode } from '../errors/index.js';
import type { RegisteredSp, VerifiedAuthnRequest } from '../saml/index.js';
import { opaqueId } from '../shared/index.js';
import { auditEvents, loginSteps, type AuditEvent } from '../store/index.js';
import { advanceLogin } from './advance.js';
import type { AuditType } from './audit.js';
import { bindingOf, newBrowserSecret } from './browser.js';
import type { LoginDeps } from './deps.js';
import { errorAnswer } from './fail.js';
import { LoginStep } from './login-step.js';
import type { CookieChanges, Outcome } from './outcome.js';
import { requestFacts, type RequestFacts } from './request-facts.js';
import { findSession, sessionSatisfies } from './session.js';

export interface BrowserCookies {
  readonly browserSecret?: string | undefined;
  readonly session?: string | undefined;
}

/**
 * A verified AuthnRequest becomes a login: its ID is recorded (a replay is refused atomically, locally), a deferred
 * request error is answered to the verified ACS, an IdP session that satisfies the SP answers without NemID, and
 * otherwise a login transaction bound to this browser is created and the browser sent to the login page.
 */
export async function startLogin(
  deps: LoginDeps,
  verified: VerifiedAuthnRequest,
  cookies: BrowserCookies,
  context: { traceId?: string; language: string },
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const { sp } = verified;
  const replayWindowEnd = new Date(verified.issueInstant.getTime() + deps.config.idp.clockSkewSeconds * 1000 * 2);
  const received: ReceivedRequest = {
    record: { spEntityId: sp.entityId, requestId: verified.requestId, expiresAt: replayWindowEnd },
    audit: { type: 'authn_request_received', data: { requestId: verified.requestId, binding: verified.requestBinding, forceAuthn: verified.forceAuthn, isPassive: verified.isPassive } },
  };
  const target = { sp, acsUrl: verified.acs.url, acsBinding: verified.acs.binding, requestId: verified.requestId, relayState: verified.relayState };
  if (verified.deferredError) return answerWithoutLogin(deps, target, verified.deferredError, received, context.traceId);
  return openLogin(deps, { ...target, facts: requestFacts(verified) }, cookies, context, received);
}

/** The AuthnRequest a login answers: its ID (recorded against replay with the login) and the audit event for it. */
export interface ReceivedRequest {
  readonly record?: { readonly spEntityId: string; readonly requestId: string; readonly expiresAt: Date };
  readonly audit: { readonly type: AuditType; readonly data: Record<string, unknown> };
}

/** What a login answers: the verified ACS, the request it answers (null for IdP-initiated SSO) and its facts. */
export interface LoginTarget {
  readonly sp: RegisteredSp;
  readonly acsUrl: string;
  readonly acsBinding: string;
  readonly requestId: string | null;
  readonly relayState: string | undefined;
  readonly facts: RequestFacts;
}

function receivedEvent(deps: LoginDeps, sp: RegisteredSp, received: ReceivedRequest, traceId: string | undefined, loginId: string | null): AuditEvent {
  return { occurredAt: deps.clock.now(), type: received.audit.type, traceId: traceId ?? null, spEntityId: sp.entityId, loginId, sessionId: null, data: received.audit.data };
}

/** An error answered at once (no login row): the request ID, its audit event and the answer's, in one statement. */
async function answerWithoutLogin(
  deps: LoginDeps,
  target: Omit<LoginTarget, 'facts'>,
  code: ErrorCode,
  received: ReceivedRequest,
  traceId: string | undefined,
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const answer = errorAnswer(deps, target, code, traceId);
  const events = [receivedEvent(deps, target.sp, received, traceId, null), answer.audit];
  if (received.record) {
    const first = await loginSteps.recordAnsweredRequest(deps.pool, received.record, events);
    if (!first) throw new IdpError('SAML_REQUEST_REPLAYED', 'AuthnRequest ID seen before', { detail: { sp: target.sp.entityId, requestId: received.record.requestId } });
  } else {
    for (const event of events) await auditEvents.append(deps.pool, event);
  }
  answer.sent();
  return { outcome: answer.outcome, cookies: {} };
}

/**
 * Opens a login for a verified target: an IdP session that satisfies the SP answers without NemID, a passive request
 * without one gets NoPassive, and otherwise a login transaction bound to this browser sends it to the login page.
 * The request ID, its audit event and the new login row are one statement: a replayed request opens nothing.
 */
export async function openLogin(
  deps: LoginDeps,
  target: LoginTarget,
  cookies: BrowserCookies,
  context: { traceId?: string; language: string },
  received: ReceivedRequest,
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const { sp, facts } = target;
  const methods = methodsFor(deps, sp, facts);
  // No configured eID reaches the level asked for (e.g. NSIS High with NemID only).
  if (methods.length === 0) return answerWithoutLogin(deps, target, 'SAML_AUTHN_CONTEXT_UNSUPPORTED', received, context.traceId);
  const active = facts.forceAuthn ? null : await findSession(deps, cookies.session);
  const usable = active && sessionSatisfies(active, sp, levelRequirement(facts, sp), methods) ? active : null;
  // A passive request without a usable session: only MitID can still answer it (prompt=none at the broker).
  const passiveMitid = facts.isPassive && !usable ? methods.find((m): m is 'mitid' | 'mitid-erhverv' => m === 'mitid' || m === 'mitid-erhverv') : undefined;
  if (facts.isPassive && !usable && !passiveMitid) return answerWithoutLogin(deps, target, 'SAML_NO_PASSIVE', received, context.traceId);

  const browserSecret = cookies.browserSecret ?? newBrowserSecret();
  const now = deps.clock.now();
  const step = LoginStep.creating(deps, {
    id: opaqueId(),
    browserBinding: bindingOf(browserSecret),
    spEntityId: sp.entityId,
    requestId: target.requestId,
    acsUrl: target.acsUrl,
    acsBinding: target.acsBinding,
    relayState: target.relayState ?? null,
    request: facts as unknown as Record<string, unknown>,
    language: context.language,
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.config.idp.loginTransactionTtlSeconds * 1000),
  });
  step.audit({ ...received.audit, traceId: context.traceId });
  if (received.record) step.with({ authnRequest: received.record });
  const tx = await step.commit();
  const newCookies: CookieChanges = cookies.browserSecret ? {} : { browserSecret };

  if (usable) {
    // SSO: a second step on the committed row, so that a failure in it (a CPR service down, NoPassive at a CPR page)
    // is answered to the SP like any failed login.
    const authenticated = LoginStep.of(deps, tx).moveTo('authenticated', { identity: usable.identity as unknown as Record<string, unknown>, idpSessionId: usable.session.id });
    const next = await advanceLogin(deps, authenticated, { fromSession: true, ...(context.traceId ? { traceId: context.traceId } : {}) });
    return { outcome: next.outcome, cookies: { ...newCookies, ...next.cookies } };
  }
  if (passiveMitid) {
    const outcome = await failuresOf(tx, () => startMitid(deps, tx, sp, passiveMitid, context.language));
    return { outcome, cookies: newCookies };
  }
  return { outcome: { type: 'redirect', location: `/login/${tx.id}` }, cookies: newCookies };
}
