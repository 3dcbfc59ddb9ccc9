import { IdpError } from '../errors/index.js';
import { loginTransactions } from '../store/index.js';
import { bindingOf, sameBinding } from './browser.js';
import { spDisplayName } from './sp-name.js';
import { forgetRememberedCpr } from './cpr/index.js';
import type { LoginDeps } from './deps.js';
import { asStoredIdentity } from './identity.js';
import type { PageOutcome } from './outcome.js';
import { LOGIN_ID } from './transactions.js';

// "Vi husker dit CPR-nummer for <tjeneste> · Glem det" (issue 14 item 1): a login that skipped the CPR page because
// the user had asked us to remember the number for this service ends on a page that says so, with a way to forget
// it at once. Forgetting deletes the row for this service now (no purge job needed) and is audited without the CPR.

export const forgetRememberedCsrfPurpose = (loginId: string) => `cpr-forget-remembered:${loginId}`;

/** What the final page of such a login needs; absent when the CPR did not come from memory. */
export interface RememberedCprNotice {
  readonly loginId: string;
  readonly spName: string;
}

export interface CprForgottenView {
  readonly kind: 'cpr-forgotten';
  readonly loginId: string;
  readonly spName: string;
  /** False when nothing was remembered any more (forgotten twice, or in another tab). */
  readonly hadEntry: boolean;
}

/** POST "Glem det" from the final page (the route has checked its CSRF token): this browser's completed login only. */
export async function forgetAfterLogin(
  deps: LoginDeps,
  loginId: string,
  browserSecret: string | undefined,
  context: { traceId?: string; language: 'da' | 'en' },
): Promise<PageOutcome<CprForgottenView>> {
  if (!LOGIN_ID.test(loginId)) throw new IdpError('LOGIN_NOT_FOUND');
  const tx = await loginTransactions.get(deps.pool, loginId);
  if (!tx) throw new IdpError('LOGIN_NOT_FOUND');
  if (!browserSecret || !sameBinding(bindingOf(browserSecret), tx.browserBinding)) {
    throw new IdpError('LOGIN_BROWSER_MISMATCH', 'forget from another browser', { detail: { loginId } });
  }
  const identity = asStoredIdentity(tx.identity);
  if (tx.state !== 'completed' || tx.cprSource !== 'memory' || !identity?.pid) {
    throw new IdpError('LOGIN_STATE_CONFLICT', 'this login used no remembered CPR number', { detail: { loginId } });
  }
  const hadEntry = await forgetRememberedCpr(deps, deps.config.secrets.cprPidHmac, {
    pid: identity.pid,
    spEntityId: tx.spEntityId,
    ...(tx.idpSessionId ? { sessionId: tx.idpSessionId } : {}),
    ...(context.traceId ? { traceId: context.traceId } : {}),
  });
  const sp = deps.registry().byEntityId(tx.spEntityId);
  return { type: 'page', view: { kind: 'cpr-forgotten', loginId, spName: sp ? spDisplayName(sp, context.language) : tx.spEntityId, hadEntry } };
}
