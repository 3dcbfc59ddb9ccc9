import { IdpError } from '../errors/index.js';
import type { RegisteredSp, VerifiedAuthnRequest } from '../saml/index.js';
import { opaqueId } from '../shared/index.js';
import { loginTransactions, requestIds } from '../store/index.js';
import { advanceLogin } from './advance.js';
import { audit } from './audit.js';
import { bindingOf, newBrowserSecret } from './browser.js';
import type { LoginDeps } from './deps.js';
import { errorResponseOutcome } from './fail.js';
import type { CookieChanges, Outcome } from './outcome.js';
import { requestFacts, type RequestFacts } from './request-facts.js';
import { findSession, sessionSatisfies } from './session.js';
import { advanceState, inTransaction } from './transactions.js';

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
  const first = await requestIds.record(deps.pool, sp.entityId, verified.requestId, replayWindowEnd);
  if (!first) throw new IdpError('SAML_REQUEST_REPLAYED', 'AuthnRequest ID seen before', { detail: { sp: sp.entityId, requestId: verified.requestId } });
  await audit(deps, {
    type: 'authn_request_received',
    ...(context.traceId ? { traceId: context.traceId } : {}),
    spEntityId: sp.entityId,
    data: { requestId: verified.requestId, binding: verified.requestBinding, forceAuthn: verified.forceAuthn, isPassive: verified.isPassive },
  });

  const target = { sp, acsUrl: verified.acs.url, acsBinding: verified.acs.binding, requestId: verified.requestId, relayState: verified.relayState };
  if (verified.deferredError) {
    return { outcome: await errorResponseOutcome(deps, target, verified.deferredError, context.traceId), cookies: {} };
  }
  return openLogin(deps, { ...target, facts: requestFacts(verified) }, cookies, context);
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

/**
 * Opens a login for a verified target: an IdP session that satisfies the SP answers without NemID, a passive request
 * without one gets NoPassive, and otherwise a login transaction bound to this browser sends it to the login page.
 */
export async function openLogin(
  deps: LoginDeps,
  target: LoginTarget,
  cookies: BrowserCookies,
  context: { traceId?: string; language: string },
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const { sp, facts } = target;
  const active = facts.forceAuthn ? null : await findSession(deps, cookies.session);
  const usable = active && sessionSatisfies(active, sp) ? active : null;
  if (facts.isPassive && !usable) {
    return { outcome: await errorResponseOutcome(deps, target, 'SAML_NO_PASSIVE', context.traceId), cookies: {} };
  }

  const browserSecret = cookies.browserSecret ?? newBrowserSecret();
  const now = deps.clock.now();
  const tx = await loginTransactions.create(deps.pool, {
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
  const newCookies: CookieChanges = cookies.browserSecret ? {} : { browserSecret };

  if (usable) {
    const authenticated = await inTransaction(tx, () =>
      advanceState(deps, tx, 'authenticated', { identity: usable.identity as unknown as Record<string, unknown>, idpSessionId: usable.session.id }),
    );
    const next = await advanceLogin(deps, authenticated, { fromSession: true, ...(context.traceId ? { traceId: context.traceId } : {}) });
    return { outcome: next.outcome, cookies: { ...newCookies, ...next.cookies } };
  }
  return { outcome: { type: 'redirect', location: `/login/${tx.id}` }, cookies: newCookies };
}
