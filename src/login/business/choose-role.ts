import { IdpError } from '../../errors/index.js';
import { advanceLogin } from '../advance.js';
import type { LoginDeps } from '../deps.js';
import { asStoredIdentity, type StoredIdentity } from '../identity.js';
import type { CookieChanges, Outcome, PageOutcome } from '../outcome.js';
import { failuresOf, LoginFailure, loadForBrowser, requireState, spOf } from '../transactions.js';
import { LoginStep } from '../login-step.js';
import type { LoginTransaction } from '../../store/index.js';
import { auditBusinessRole, businessView } from './business-step.js';
import { businessRecord, privateRecord, readBusinessRecord } from './choice-record.js';
import type { BusinessView } from './views.js';

// The user's answer on the business page. The form says `role` = "private" or a CVR; only a CVR from the list
// offered with this transaction is accepted, and the choice is recorded with a compare-and-set out of state
// `business`, so a replayed or second form finds the login moved on (LOGIN_STATE_CONFLICT) and changes nothing.
// The state is checked before `failuresOf`: a late duplicate must get a plain local error, not a LoginFailure,
// which would make the renderer fail the transaction the first request is just completing.

export interface BusinessForm {
  readonly role?: unknown;
}

function waitingLogin(tx: LoginTransaction): { identity: StoredIdentity; offered: ReturnType<typeof readBusinessRecord> & { kind: 'offered' } } {
  requireState(tx, 'business');
  const identity = asStoredIdentity(tx.identity);
  const offered = readBusinessRecord(tx.businessChoice);
  if (!identity || offered.kind !== 'offered') throw new IdpError('LOGIN_STATE_CONFLICT', 'login is not waiting for a business choice');
  return { identity, offered };
}

/** The page again (reload, language switch) from what was offered; the role service is not asked twice. */
export async function showBusinessChoice(deps: LoginDeps, id: string, browserSecret: string | undefined): Promise<PageOutcome<BusinessView>> {
  const tx = await loadForBrowser(deps, id, browserSecret);
  const { identity, offered } = waitingLogin(tx);
  return failuresOf(tx, async () => {
    return { type: 'page', view: businessView(tx, spOf(deps, tx), identity, offered.businesses) };
  });
}

export async function chooseBusinessRole(
  deps: LoginDeps,
  id: string,
  browserSecret: string | undefined,
  form: BusinessForm,
  context: { traceId?: string } = {},
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const tx = await loadForBrowser(deps, id, browserSecret);
  const { offered } = waitingLogin(tx);
  return failuresOf(tx, async () => {
    const sp = spOf(deps, tx);
    const role = form.role;
    let record: Record<string, unknown>;
    if (role === 'private') {
      if (sp.policy.businessOnly === true) throw new IdpError('BUSINESS_CHOICE_INVALID', 'this SP accepts only business logins');
      record = privateRecord();
    } else {
      const business = typeof role === 'string' ? offered.businesses.find((candidate) => candidate.cvr === role) : undefined;
      if (!business) throw new IdpError('BUSINESS_CHOICE_INVALID', 'the chosen CVR was not offered to this login');
      record = businessRecord(business);
    }
    const step = LoginStep.of(deps, tx).moveTo('authenticated', { businessChoice: record });
    auditBusinessRole(
      step,
      typeof record['cvr'] === 'string' ? { role: 'businessOwner', cvr: record['cvr'] } : { role: 'private' },
      'chosen',
      offered.businesses.length,
    );
    return advanceLogin(deps, step, { fromSession: tx.idpSessionId !== null, ...(context.traceId ? { traceId: context.traceId } : {}) });
  });
}

/** "Back to the service" from the no-business page: the SP gets BUSINESS_NO_ROLE (AuthnFailed). */
export async function leaveWithoutBusinessRole(deps: LoginDeps, id: string, browserSecret: string | undefined): Promise<never> {
  const tx = await loadForBrowser(deps, id, browserSecret);
  const { offered } = waitingLogin(tx);
  if (offered.businesses.length > 0) throw new LoginFailure('LOGIN_STATE_CONFLICT', tx);
  throw new LoginFailure('BUSINESS_NO_ROLE', tx);
}
