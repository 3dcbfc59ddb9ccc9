import { IdpError } from '../errors/index.js';
import type { LoginTransaction } from '../store/index.js';

/** Thrown by loadForBrowser for a completed login of this browser: the routes answer it with `resumeCompletedLogin`. */
export class LoginAlreadyCompleted extends IdpError {
  constructor(readonly transaction: LoginTransaction) {
    super('LOGIN_STATE_CONFLICT', 'login already completed', { detail: { loginId: transaction.id } });
  }
}
