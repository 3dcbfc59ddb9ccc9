import { IdpError } from '../errors/index.js';
import type { LoginDeps } from './deps.js';
import { finishLogin } from './finish.js';
import { asStoredIdentity } from './identity.js';
import type { LoginStep } from './login-step.js';
import type { CookieChanges, Outcome } from './outcome.js';
import { readRequestFacts } from './request-facts.js';
import { LoginFailure, failuresOf, spOf } from './transactions.js';

/**
 * After authentication: each optional step in order (CPR, business choice) either records what it found in `step`
 * and lets the login go on, or shows its page (and `step` is committed there); then `finish`, which commits `step`
 * with the assertion. A passive request that would need a page gets NoPassive, with nothing of `step` written.
 */
export async function advanceLogin(
  deps: LoginDeps,
  step: LoginStep,
  options: { fromSession: boolean; traceId?: string },
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const startTx = step.tx;
  const stepped = await failuresOf(startTx, async (): Promise<{ view?: unknown }> => {
    const identity = asStoredIdentity(step.tx.identity);
    if (!identity) throw new IdpError('LOGIN_STATE_CONFLICT', 'login has no verified identity');
    const sp = spOf(deps, startTx);
    // The CPR and business steps are NemID features: MitID brings its CPR (per policy) and CVR from the broker.
    if (identity.eid === 'mitid') return {};
    for (const handler of deps.steps) {
      const result = await handler.enter({ deps, tx: step.tx, sp, identity, fromSession: options.fromSession, step });
      if (result.kind === 'page') {
        if (readRequestFacts(startTx.request).isPassive) throw new LoginFailure('SAML_NO_PASSIVE', startTx);
        await step.commit();
        return { view: result.view };
      }
      if (result.patch && Object.keys(result.patch).length > 0) step.set(result.patch);
    }
    return {};
  });
  if (stepped.view !== undefined) return { outcome: { type: 'page', view: stepped.view }, cookies: {} };
  return finishLogin(deps, step, options.traceId);
}
