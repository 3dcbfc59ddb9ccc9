import { IdpError } from '../errors/index.js';
import type { RegisteredSp } from '../saml/index.js';
import { loginTransactions, type LoginState, type LoginTransaction, type LoginTransactionPatch } from '../store/index.js';
import { bindingOf, sameBinding } from './browser.js';
import type { LoginDeps } from './deps.js';

// Loading a login transaction for the browser that owns it, and moving it on with compare-and-set.

const LOGIN_ID = /^[A-Za-z0-9_-]{22}$/;

/** The transaction `id`, only for the browser holding its cookie, only while it has not expired or ended. */
export async function loadForBrowser(deps: LoginDeps, id: string, browserSecret: string | undefined): Promise<LoginTransaction> {
  if (!LOGIN_ID.test(id)) throw new IdpError('LOGIN_NOT_FOUND');
  const tx = await loginTransactions.get(deps.pool, id);
  if (!tx) throw new IdpError('LOGIN_NOT_FOUND');
  if (!browserSecret || !sameBinding(bindingOf(browserSecret), tx.browserBinding)) {
    throw new IdpError('LOGIN_BROWSER_MISMATCH', 'login transaction opened in another browser', { detail: { loginId: id } });
  }
  if (tx.state === 'completed' || tx.state === 'failed') throw new IdpError('LOGIN_STATE_CONFLICT', `login already ${tx.state}`, { detail: { loginId: id } });
  if (tx.expiresAt <= deps.clock.now()) throw new LoginFailure('LOGIN_EXPIRED', tx);
  return tx;
}

/** The SP of a transaction in the registry current now; an SP removed mid-login ends on the local error page. */
export function spOf(deps: LoginDeps, tx: LoginTransaction): RegisteredSp {
  const sp = deps.registry().byEntityId(tx.spEntityId);
  if (!sp) throw new IdpError('SAML_SP_UNKNOWN', 'the SP of this login is no longer registered', { detail: { loginId: tx.id } });
  return sp;
}

/** Compare-and-set; a lost race (double submit, second tab) is LOGIN_STATE_CONFLICT, never a second step. */
export async function advanceState(
  deps: LoginDeps,
  tx: LoginTransaction,
  next: LoginState,
  patch: LoginTransactionPatch = {},
  expected: LoginState = tx.state,
): Promise<LoginTransaction> {
  const moved = await loginTransactions.transition(deps.pool, tx.id, expected, next, patch, deps.clock.now());
  if (!moved) throw new IdpError('LOGIN_STATE_CONFLICT', `login ${tx.id} is not in state ${expected}`, { detail: { loginId: tx.id } });
  return moved;
}

export function requireState(tx: LoginTransaction, ...states: LoginState[]): void {
  if (!states.includes(tx.state)) {
    throw new IdpError('LOGIN_STATE_CONFLICT', `login ${tx.id} is ${tx.state}, expected ${states.join(' or ')}`, { detail: { loginId: tx.id } });
  }
}

/**
 * A failure that belongs to a transaction whose ACS is verified: the renderer may answer it to the SP as a signed
 * SAML error response (when the code may be answered) instead of the local page.
 */
export class LoginFailure extends IdpError {
  readonly transaction: LoginTransaction;
  constructor(code: IdpError['code'], transaction: LoginTransaction, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(code, undefined, { ...options, detail: { loginId: transaction.id, ...(options?.detail ?? {}) } });
    this.transaction = transaction;
  }
}

/**
 * Runs `fn`; an IdpError it throws is re-thrown attached to `tx`, so it can be answered to the SP. A lost race
 * (LOGIN_STATE_CONFLICT) is not the login's failure: the request that won goes on, so it stays a local page.
 */
export async function inTransaction<T>(tx: LoginTransaction, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof LoginFailure) throw error;
    if (error instanceof IdpError && error.code === 'LOGIN_STATE_CONFLICT') throw error;
    if (error instanceof IdpError) throw new LoginFailure(error.code, tx, { cause: error.cause ?? error, ...(error.detail ? { detail: error.detail } : {}) });
    throw new LoginFailure('INTERNAL_ERROR', tx, { cause: error });
  }
}
