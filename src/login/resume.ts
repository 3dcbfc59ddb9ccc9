import type { LoginTransaction } from '../store/index.js';
import { spDisplayName } from './sp-name.js';
import type { LoginDeps } from './deps.js';
import { startIdpInitiatedLogin } from './idp-initiated.js';
import type { CookieChanges, Outcome } from './outcome.js';
import { findSession, sessionSatisfies } from './session.js';
import type { BrowserCookies } from './start.js';

// Back (or Reload) onto a page of a login that has already completed (issue 14 item 2): no 409 dead end. Where the
// SP's policy allows IdP-initiated SSO and this browser's IdP session still suits the SP, the user goes to the SP
// again with a fresh, unsolicited response from that session (the first one answered the request; a second
// response to the same request ID would be a replay at the SP). Otherwise a page says the login is done and links
// to the SP: the origin of the ACS the login was answered at, which was verified against the SP's metadata.

export interface LoginCompletedView {
  readonly kind: 'login-completed';
  readonly spName: string;
  /** The SP's origin (from its verified ACS URL), as a way back. */
  readonly spUrl: string;
}

export async function resumeCompletedLogin(
  deps: LoginDeps,
  tx: LoginTransaction,
  cookies: BrowserCookies,
  context: { traceId?: string; language: 'da' | 'en' },
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const sp = deps.registry().byEntityId(tx.spEntityId);
  if (sp?.policy.allowIdpInitiated) {
    const active = await findSession(deps, cookies.session);
    if (active && sessionSatisfies(active, sp)) return startIdpInitiatedLogin(deps, sp.entityId, cookies, context);
  }
  const view: LoginCompletedView = {
    kind: 'login-completed',
    spName: sp ? spDisplayName(sp, context.language) : tx.spEntityId,
    spUrl: `${new URL(tx.acsUrl).origin}/`,
  };
  return { outcome: { type: 'page', view }, cookies: {} };
}
