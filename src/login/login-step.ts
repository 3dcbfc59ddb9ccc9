import { IdpError } from '../errors/index.js';
import {
  loginSteps,
  type AuditEvent,
  type LoginState,
  type LoginStepWrite,
  type LoginTransaction,
  type LoginTransactionPatch,
  type NewIdpSession,
  type NewLoginTransaction,
  type NewParticipant,
} from '../store/index.js';
import type { Clock } from '../shared/index.js';
import type { Pool } from '../store/index.js';
import type { AuditType } from './audit-type.js';

/** What a LoginStep needs of LoginDeps (only this, so deps.ts can name LoginStep without a cycle). */
type StepDeps = { readonly pool: Pool; readonly clock: Clock };

// The pattern every HTTP step of a login follows (architecture.md, "One login"):
//   1. read the login once (loadForBrowser), check the state the step needs;
//   2. do the step's work in memory — verify, call PID-CPR or the role service, build and sign the answer — and
//      gather everything it will write in a LoginStep: the next state and patch, audit events, and the step's own
//      rows (challenge taken, response digest, evidence, session, participant, persistent NameID, CPR memory);
//   3. commit it: one statement, a compare-and-set on the state read in 1 with every other row written FROM it.
// Nothing is written before 3, so a step that fails (or loses a race, or meets a database outage) leaves the login
// exactly as it was and can be retried; a lost race is LOGIN_STATE_CONFLICT and never touches the winner's login.
// A new step (e.g. the MitID callback) should do the same: read, work, `step.moveTo(…)`, `await step.commit()`.

export class LoginStep {
  private state: LoginState;
  private patch: LoginTransactionPatch = {};
  private readonly audits: AuditEvent[] = [];
  private extras: Omit<Partial<LoginStepWrite>, 'loginId' | 'create' | 'from' | 'to' | 'patch' | 'now' | 'audit'> = {};
  private committed = false;

  private constructor(
    private readonly deps: StepDeps,
    private readonly base: LoginTransaction,
    private readonly from: readonly LoginState[],
    private readonly create?: NewLoginTransaction,
  ) {
    this.state = base.state;
  }

  /** A step on a login read from the database in `tx.state` (the state the write compares against). */
  static of(deps: StepDeps, tx: LoginTransaction): LoginStep {
    return new LoginStep(deps, tx, [tx.state]);
  }

  /** The first step: the login row does not exist yet and is inserted by the commit. */
  static creating(deps: StepDeps, created: NewLoginTransaction): LoginStep {
    const tx: LoginTransaction = {
      ...created,
      state: 'created',
      nemidClient: null, nemidChallenge: null, nemidTimestamp: null, identity: null, cprCiphertext: null, cprKeyId: null,
      cprAttempts: 0, cprSource: null, businessChoice: null, errorCode: null, idpSessionId: null, mitidState: null, mitidRequest: null,
      updatedAt: created.createdAt, completedAt: null,
    };
    return new LoginStep(deps, tx, [], created);
  }

  /** The login as it will be once this step commits. */
  get tx(): LoginTransaction {
    return { ...this.base, ...(this.patch as Partial<LoginTransaction>), state: this.state };
  }

  moveTo(state: LoginState, patch: LoginTransactionPatch = {}): this {
    this.state = state;
    return this.set(patch);
  }

  set(patch: LoginTransactionPatch): this {
    this.patch = { ...this.patch, ...patch };
    return this;
  }

  audit(event: { type: AuditType; traceId?: string | undefined; sessionId?: string; data?: Record<string, unknown> }): this {
    this.audits.push({
      occurredAt: this.deps.clock.now(),
      type: event.type,
      traceId: event.traceId ?? null,
      spEntityId: this.base.spEntityId,
      loginId: this.base.id,
      sessionId: event.sessionId ?? null,
      data: event.data ?? {},
    });
    return this;
  }

  /** Rows this step writes besides the login row (see LoginStepWrite). */
  with(extras: LoginStep['extras']): this {
    this.extras = { ...this.extras, ...extras };
    if (extras.cprMemory) this.extras = { ...this.extras, cprMemory: { ...this.extras.cprMemory, ...extras.cprMemory } };
    return this;
  }

  /**
   * Writes the step. A lost race is LOGIN_STATE_CONFLICT (a local page: the request that won goes on); a replayed
   * AuthnRequest ID or NemID response is refused with its code. Anything else (the database) is thrown as mapped.
   */
  async commit(): Promise<LoginTransaction> {
    if (this.committed) throw new IdpError('INTERNAL_ERROR', 'a login step is committed once');
    this.committed = true;
    const result = await loginSteps.commitLoginStep(this.deps.pool, {
      loginId: this.base.id,
      ...(this.create ? { create: this.create } : {}),
      from: this.from,
      to: this.state,
      patch: this.patch,
      now: this.deps.clock.now(),
      ...this.extras,
      audit: this.audits,
    });
    if (result.ok) return result.tx;
    if (result.reason === 'request-replayed') throw new IdpError('SAML_REQUEST_REPLAYED', 'AuthnRequest ID seen before', { detail: { sp: this.base.spEntityId } });
    if (result.reason === 'response-replayed') throw new IdpError('NEMID_RESPONSE_REPLAYED', 'this NemID response was used before');
    throw new IdpError('LOGIN_STATE_CONFLICT', `login ${this.base.id} moved on from ${this.from.join('/')}`, { detail: { loginId: this.base.id } });
  }
}

/** The LoginStep of a step handler's context; a handler asked only for its decision (no step given) may not write. */
export function stepOf(context: { readonly step?: LoginStep | undefined }): LoginStep {
  if (!context.step) throw new IdpError('INTERNAL_ERROR', 'this login step handler was called without a LoginStep to write to');
  return context.step;
}

export type { NewIdpSession, NewParticipant };
