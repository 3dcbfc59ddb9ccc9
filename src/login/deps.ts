import type { Config } from '../config/index.js';
import type { CertificateValidator } from '../pki/index.js';
import type { RegisteredSp, SpRegistry } from '../saml/index.js';
import type { Clock } from '../shared/index.js';
import type { Pool, StoreLog } from '../store/index.js';

/** Everything a login step needs, built once by app.ts. */
export interface LoginDeps {
  readonly pool: Pool;
  readonly clock: Clock;
  readonly config: Config;
  /** The registry current at this moment (it is swapped on SIGHUP). */
  registry(): SpRegistry;
  readonly validator: CertificateValidator;
  readonly log: StoreLog;
  /** Counts finished logins by outcome for /metrics. */
  readonly recordOutcome?: (outcome: 'success' | 'failure' | 'cancelled', code: string) => void;
  /** Optional steps after authentication (CPR, business choice), in order. */
  readonly steps: readonly LoginStepHandler[];
  /** MitID through the configured broker; absent when MITID_ISSUER is not set (then MitID is never offered). */
  readonly mitid?: MitidDeps;
  /** Counts finished logins by eID and outcome for /metrics. */
  readonly recordEidOutcome?: (eid: 'nemid' | 'mitid', outcome: 'success' | 'failure' | 'cancelled') => void;
  /** Encrypts a CPR found during a login for the transaction row, and decrypts it for the assertion. */
  readonly cprVault?: CprVault;
}

export interface MitidDeps {
  readonly client: import('../mitid/index.js').BrokerClient;
  /** MitID Erhverv (professional identities) offered too. */
  readonly erhverv: boolean;
}

export interface CprVault {
  seal(cpr: string): { ciphertext: Buffer; keyId: string };
  open(ciphertext: Buffer, keyId: string): string;
}

/** One optional step between `authenticated` and `finish`, e.g. the CPR step or the business choice. */
export interface LoginStepHandler {
  readonly name: 'cpr' | 'business';
  /**
   * Runs the step for a transaction in `authenticated` (or in this step's own state after a form post). Returns
   * `done` with the patch to record, or a page for the user. Throws IdpError to fail the login. Writes nothing
   * itself: what it records goes into `context.step`, committed with the rest of the HTTP step.
   */
  enter(context: StepContext): Promise<StepResult>;
}

export interface StepContext {
  readonly deps: LoginDeps;
  readonly tx: import('../store/index.js').LoginTransaction;
  readonly sp: RegisteredSp;
  readonly identity: import('./identity.js').StoredIdentity;
  /** True when the user arrives from an existing IdP session without NemID (SSO). */
  readonly fromSession: boolean;
  /**
   * Where the handler records what it writes (audit events, a state for its page, CPR memory); committed by the
   * login's step. Absent when a handler is only asked for its decision: then it may not write (see stepOf).
   */
  readonly step?: import('./login-step.js').LoginStep;
}

export type StepResult =
  | { readonly kind: 'done'; readonly patch?: import('../store/index.js').LoginTransactionPatch }
  | { readonly kind: 'page'; readonly view: unknown };
