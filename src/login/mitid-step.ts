import { IdpError } from '../errors/index.js';
import type { PendingAuthorization } from '../mitid/index.js';
import type { RegisteredSp } from '../saml/index.js';
import { loginTransactions, type LoginTransaction } from '../store/index.js';
import { audit } from './audit.js';
import { bindingOf } from './browser.js';
import type { LoginDeps, MitidDeps } from './deps.js';
import { finishLogin } from './finish.js';
import { storedMitidIdentity } from './identity.js';
import type { BrokerRedirectOutcome, CookieChanges, Outcome } from './outcome.js';
import { levelRequirement, readRequestFacts } from './request-facts.js';
import { failuresOf, LoginFailure, requireState, spOf } from './transactions.js';
import { LoginStep } from './login-step.js';

// The MitID step of the login state machine (mitid.md): `created`/`client_started` → `mitid_started` (the pending
// authorization request recorded with the transaction, its state sent to the broker) → `authenticated` when the
// callback's state is taken once, by the browser that started it, and the broker client verified the ID token.

export type MitidMethod = 'mitid' | 'mitid-erhverv';

export function requireMitid(deps: LoginDeps): MitidDeps {
  if (!deps.mitid) throw new IdpError('MITID_NOT_OFFERED', 'MitID is not configured (MITID_ISSUER)');
  return deps.mitid;
}

/** Whether this SP's MitID login must ask the broker for the CPR: only where the policy releases it. */
export function cprViaBroker(sp: RegisteredSp, method: MitidMethod): boolean {
  return method === 'mitid' && sp.policy.releaseCpr && sp.policy.cpr !== 'none';
}

export async function startMitid(deps: LoginDeps, tx: LoginTransaction, sp: RegisteredSp, method: MitidMethod, language: string): Promise<BrokerRedirectOutcome> {
  const mitid = requireMitid(deps);
  requireState(tx, 'created', 'client_started', 'mitid_started');
  const facts = readRequestFacts(tx.request);
  const { url, pending } = await mitid.client.authorizationRequest({
    requirement: levelRequirement(facts, sp),
    kind: method === 'mitid-erhverv' ? 'professional' : 'person',
    cprRequested: cprViaBroker(sp, method),
    forceAuthn: facts.forceAuthn,
    isPassive: facts.isPassive,
    language,
  });
  await LoginStep.of(deps, tx)
    .moveTo('mitid_started', { mitidState: pending.state, mitidRequest: pending as unknown as Record<string, unknown>, nemidChallenge: null, errorCode: null })
    .commit();
  return { type: 'broker-redirect', location: url };
}

/**
 * The broker's callback (`/login/mitid/callback?code&state&iss` or `?error&state&iss`). Before the state is taken
 * nothing is answered to an SP (we do not know which login it is); after, every failure ends this login and is
 * answered to its verified ACS. The CPR, when the policy releases it, goes from the ID token into the assertion
 * and nowhere else.
 */
export async function completeMitid(
  deps: LoginDeps,
  query: Readonly<Record<string, string>>,
  browserSecret: string | undefined,
  context: { traceId?: string },
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const mitid = requireMitid(deps);
  const state = query['state'];
  if (!state || state.length > 256) throw new IdpError('MITID_STATE_UNKNOWN', 'MitID callback without a state');
  const now = deps.clock.now();
  // Without the login cookie nothing can match the binding: the lookup still says whether the state is known.
  const taken = await loginTransactions.takeMitidRequest(deps.pool, state, browserSecret ? bindingOf(browserSecret) : '', now);
  if (taken.kind === 'unknown') throw new IdpError('MITID_STATE_UNKNOWN', 'no login has this MitID state');
  if (taken.kind === 'other-browser') throw new IdpError('LOGIN_BROWSER_MISMATCH', 'MitID state of a login opened in another browser', { detail: { loginId: taken.tx?.id } });
  if (taken.kind !== 'taken') throw new IdpError('MITID_STATE_REPLAYED', 'this MitID state was used before', { detail: { loginId: taken.tx?.id } });
  const { tx, request } = taken;
  if (tx.expiresAt <= now) throw new LoginFailure('LOGIN_EXPIRED', tx);

  return failuresOf(tx, async () => {
    const sp = spOf(deps, tx);
    const pending = request as unknown as PendingAuthorization;
    const callbackUrl = new URL(`${deps.config.idp.baseUrl}/login/mitid/callback`);
    for (const [name, value] of Object.entries(query)) callbackUrl.searchParams.set(name, value);
    let verified;
    try {
      verified = await mitid.client.complete(callbackUrl, pending);
    } catch (error) {
      const code = error instanceof IdpError ? error.code : 'INTERNAL_ERROR';
      deps.recordEidOutcome?.('mitid', code === 'MITID_USER_CANCELLED' ? 'cancelled' : 'failure');
      // failLogin audits the answer; this records the broker-side reason with the login.
      await audit(deps, { type: 'mitid_failed', ...(context.traceId ? { traceId: context.traceId } : {}), spEntityId: sp.entityId, loginId: tx.id, data: { code } }).catch(() => undefined);
      throw error;
    }
    const identity = storedMitidIdentity(verified.identity);
    if (!sp.policy.allowedCertificates.includes(identity.type)) {
      throw new IdpError('MITID_IDENTITY_KIND_REFUSED', `a ${verified.identity.kind} MitID identity is not allowed by this SP's policy`);
    }
    // One statement with the assertion's session, participant and audit events (finishLogin commits the step).
    const step = LoginStep.of(deps, tx).moveTo('authenticated', { identity: identity as unknown as Record<string, unknown>, errorCode: null });
    step.audit({
      type: 'mitid_authenticated',
      traceId: context.traceId,
      data: {
        kind: verified.identity.kind,
        loa: verified.identity.loa,
        ial: verified.identity.ial ?? null,
        aal: verified.identity.aal ?? null,
        mitidTransactionId: verified.identity.transactionId ?? null,
        cprReceived: verified.cpr !== undefined,
        prompt: pending.prompt,
      },
    });
    const cpr = sp.policy.releaseCpr ? verified.cpr : undefined;
    return finishLogin(deps, step, context.traceId, cpr ? { cpr } : {});
  });
}
