import { IdpError } from '../errors/index.js';
import { loginTransactions, type LoginTransaction } from '../store/index.js';
import type { LoginDeps } from './deps.js';
import { finishLogin } from './finish.js';
import { asStoredIdentity } from './identity.js';
import type { CookieChanges, Outcome } from './outcome.js';
import { readRequestFacts } from './request-facts.js';
import { LoginFailure, inTransaction, spOf } from './transactions.js';

/**
 * After authentication: each optional step in order (CPR, business choice) either records what it found and lets
 * the login go on, or shows its page; then `finish`. A passive request that would need a page gets NoPassive.
 */
export async function advanceLogin(
  deps: LoginDeps,
  startTx: LoginTransaction,
  options: { fromSession: boolean; traceId?: string },
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const stepped = await inTransaction(startTx, async (): Promise<{ tx: LoginTransaction; view?: unknown }> => {
    let tx = startTx;
    const identity = asStoredIdentity(tx.identity);
    if (!identity) throw new IdpError('LOGIN_STATE_CONFLICT', 'login has no verified identity');
    const sp = spOf(deps, tx);
    for (const step of deps.steps) {
      const result = await step.enter({ deps, tx, sp, identity, fromSession: options.fromSession });
      if (result.kind === 'page') {
        if (readRequestFacts(tx.request).isPassive) throw new LoginFailure('SAML_NO_PASSIVE', tx);
        return { tx, view: result.view };
      }
      if (result.patch && Object.keys(result.patch).length > 0) {
        const moved = await loginTransactions.transition(deps.pool, tx.id, tx.state, tx.state, result.patch, deps.clock.now());
        if (!moved) throw new IdpError('LOGIN_STATE_CONFLICT', 'login moved on concurrently');
        tx = moved;
      }
    }
    return { tx };
  });
  if (stepped.view !== undefined) return { outcome: { type: 'page', view: stepped.view }, cookies: {} };
  return finishLogin(deps, stepped.tx, options.traceId);
}
