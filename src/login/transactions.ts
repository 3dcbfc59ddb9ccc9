import { IdpError } from '../errors/index.js';
import type { RegisteredSp } from '../saml/index.js';
import { loginTransactions, type LoginState, type LoginTransaction } from '../store/index.js';
import { bindingOf, sameBinding } from './browser.js';
import type { LoginDeps } from './deps.js';
import { LoginAlreadyCompleted } from './already-completed.js';

// Loading a login transaction for the browser that owns it, and what a failure in one of its steps means.

export const LOGIN_ID = /^[A-Za-z0-9_-]{22}$/;

/** The transaction `id`, only for the browser holding its cookie, only while it has not expired or ended. */
export async function loadForBrowser(deps: LoginDeps, id: string, browserSecret: string | undefined): Promise<LoginTransaction> {
  if (!LOGIN_ID.test(id)) throw new IdpError('LOGIN_NOT_FOUND');
  const tx = await loginTransactions.get(deps.pool, id);
  if (!tx) throw new IdpError('LOGIN_NOT_FOUND');
  if (!browserSecret || !sameBinding(bindingOf(browserSecret), tx.browserBinding)) {
    throw new IdpError('LOGIN_BROWSER_MISMATCH', 'login transaction opened in another browser', { detail: { loginId: id } });
  }
  if (tx.state === 'completed') throw new LoginAlreadyCompleted(tx);
  if (tx.state === 'failed') throw new IdpError('LOGIN_STATE_CONFLICT', `login already ${tx.state}`, { detail: { loginId: id } });
  if (tx.expiresAt <= deps.clock.now()) throw new LoginFailure('LOGIN_EXPIRED', tx);
  return tx;
}

/** The SP of a transaction in the registry current now; an SP removed mid-login ends on the local error page. */
export function spOf(deps: LoginDeps, tx: LoginTransaction): RegisteredSp {
  const sp = deps.registry().byEntityId(tx.spEntityId);
  if (!sp) throw new IdpError('SAML_SP_UNKNOWN', 'the SP of this login is no longer registered', { detail: { loginId: tx.id } });
  return sp;
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
 * A step of login `loginId` that could not be done just now (the database): it wrote nothing, the login stays where
 * it was. Not a LoginFailure, so nothing is answered to the SP on its own; the error page offers a retry and "back to
 * the service" (which does answer it).
 */
export class LoginInterrupted extends IdpError {
  readonly loginId: string;
  constructor(error: IdpError, loginId: string) {
    super(error.code, error.message, { cause: error.cause ?? error, detail: { loginId, ...(error.detail ?? {}) } });
    this.loginId = loginId;
  }
}

/**
 * Codes that say "the database could not do it just now", not "this login failed": the step wrote nothing (it is
 * one statement), so the login stays where it was and the user gets a retryable page with the code, from which
 * "back to the service" still answers the SP.
 */
const NOT_THE_LOGINS_FAILURE = new Set<IdpError['code']>(['LOGIN_STATE_CONFLICT', 'DB_UNAVAILABLE', 'DB_SERIALIZATION_FAILURE', 'DB_CONFLICT', 'DB_QUERY_FAILED']);

/**
 * Runs one step of login `tx`; an IdpError it throws is re-thrown attached to `tx` (a LoginFailure), so it can be
 * answered to the SP. A lost race is not the login's failure (the request that won goes on), nor is a database
 * error (nothing was written; retry), so those stay local pages. This wraps errors only: the step's database
 * transaction is its LoginStep's commit.
 */
export async function failuresOf<T>(tx: LoginTransaction, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof LoginFailure || error instanceof LoginInterrupted) throw error;
    if (error instanceof IdpError && error.code === 'LOGIN_STATE_CONFLICT') throw error;
    if (error instanceof IdpError && NOT_THE_LOGINS_FAILURE.has(error.code)) throw new LoginInterrupted(error, tx.id);
    if (error instanceof IdpError) throw new LoginFailure(error.code, tx, { cause: error.cause ?? error, ...(error.detail ? { detail: error.detail } : {}) });
    throw new LoginFailure('INTERNAL_ERROR', tx, { cause: error });
  }
}
