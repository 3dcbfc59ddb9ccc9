import { IdpError } from '../errors/index.js';
import { defaultPostAcs, type RegisteredSp } from '../saml/index.js';
import { newBrowserSecret } from './browser.js';
import { spDisplayName } from './client.js';
import type { LoginDeps } from './deps.js';
import type { IdpInitiatedConfirmView } from './logout-views.js';
import type { CookieChanges, Outcome } from './outcome.js';
import { idpInitiatedFacts } from './request-facts.js';
import { openLogin, type BrowserCookies } from './start.js';

// IdP-initiated SSO (saml-profile.md §2.7): only for SPs whose policy allows it, never with a RelayState (the policy
// has no target allow-list), always behind our own "continue to <SP>" page (POST with a CSRF token), answered at the
// SP's default HTTP-POST ACS without InResponseTo.

/** The SP named by `?sp=`, when it is registered and allows IdP-initiated SSO; else a local error page. */
export function idpInitiatedSp(deps: LoginDeps, entityId: string | undefined): RegisteredSp {
  if (!entityId) throw new IdpError('SAML_IDP_INITIATED_REFUSED', 'no sp parameter');
  const sp = deps.registry().byEntityId(entityId);
  if (!sp) throw new IdpError('SAML_SP_UNKNOWN', 'IdP-initiated SSO for an unregistered SP', { detail: { sp: entityId } });
  if (!sp.policy.allowIdpInitiated) throw new IdpError('SAML_IDP_INITIATED_REFUSED', 'SP policy does not allow IdP-initiated SSO', { detail: { sp: entityId } });
  return sp;
}

/** GET: the confirmation page, with a browser cookie for its CSRF token when the browser has none yet. */
export function idpInitiatedConfirmation(deps: LoginDeps, entityId: string | undefined, browserSecret: string | undefined): { outcome: Outcome<IdpInitiatedConfirmView>; cookies: CookieChanges } {
  const sp = idpInitiatedSp(deps, entityId);
  return {
    outcome: { type: 'page', view: { kind: 'sso-init-confirm', spEntityId: sp.entityId, spName: spDisplayName(sp) } },
    cookies: browserSecret ? {} : { browserSecret: newBrowserSecret() },
  };
}

export const idpInitiatedCsrfPurpose = (entityId: string) => `sso-init:${entityId}`;

/** POST (CSRF already checked by the caller against the browser cookie): a login without a request. */
export async function startIdpInitiatedLogin(
  deps: LoginDeps,
  entityId: string | undefined,
  cookies: BrowserCookies,
  context: { traceId?: string; language: string },
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const sp = idpInitiatedSp(deps, entityId);
  const acs = defaultPostAcs(sp);
  return openLogin(deps, { sp, acsUrl: acs.location, acsBinding: acs.binding, requestId: null, relayState: undefined, facts: idpInitiatedFacts(sp) }, cookies, context, {
    audit: { type: 'authn_request_received', data: { idpInitiated: true, acs: acs.location } },
  });
}
