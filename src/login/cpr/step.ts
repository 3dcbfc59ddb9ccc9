import { IdpError } from '../../errors/index.js';
import type { LoginDeps, LoginStepHandler, StepContext, StepResult } from '../deps.js';
import type { CookieChanges, Outcome, PageOutcome } from '../outcome.js';
import { readRequestFacts } from '../request-facts.js';
import { stepOf } from '../login-step.js';
import { isValidCpr } from './cpr-number.js';
import { recallCpr } from './memory.js';
import { resolveCprOptions, type CprStepOptions, type ResolvedCprOptions } from './options.js';
import { auditCpr, cprPageView } from './page.js';
import { pidHmac } from './pid-hmac.js';
import { cprModeFor, requireClient, requireVault } from './rules.js';
import { forgetFromPage, showCprPage, submitCprForm, type CprForm } from './submit.js';
import type { CprPageView } from './view.js';

// The CPR step of the login state machine (architecture.md flow step 6). Lookup SPs: PID → CPR without the user.
// Match SPs: the remembered CPR if there is one, else the CPR page (state `cpr`) until a match. What it finds goes
// into the transaction row sealed (cpr_ciphertext, cpr_key_id, cpr_source); the audit trail says how, never what.

export interface CprStep extends LoginStepHandler {
  readonly name: 'cpr';
  /** GET of the CPR page for a login waiting in state `cpr`. */
  show(deps: LoginDeps, loginId: string, browserSecret: string | undefined): Promise<PageOutcome<CprPageView>>;
  /** POST of the CPR form (the route has checked its CSRF token). */
  submit(deps: LoginDeps, loginId: string, browserSecret: string | undefined, form: CprForm, context?: { traceId?: string }): Promise<{ outcome: Outcome; cookies: CookieChanges }>;
  /** POST of "forget my remembered CPR number" from the CPR page (the route has checked its CSRF token). */
  forget(deps: LoginDeps, loginId: string, browserSecret: string | undefined, context?: { traceId?: string }): Promise<PageOutcome<CprPageView>>;
}

export function createCprStep(options: CprStepOptions): CprStep {
  const resolved = resolveCprOptions(options);
  return {
    name: 'cpr',
    enter: (context) => enterCprStep(resolved, context),
    show: (deps, loginId, browserSecret) => showCprPage(resolved, deps, loginId, browserSecret),
    submit: (deps, loginId, browserSecret, form, context = {}) => submitCprForm(resolved, deps, loginId, browserSecret, form, context),
    forget: (deps, loginId, browserSecret, context = {}) => forgetFromPage(resolved, deps, loginId, browserSecret, context),
  };
}

/** The CPR step among the login's steps, for the HTTP routes of the CPR page. */
export function cprStepOf(deps: LoginDeps): CprStep {
  const step = deps.steps.find((candidate): candidate is CprStep => candidate.name === 'cpr' && 'submit' in candidate);
  if (!step) throw new IdpError('NOT_FOUND', 'no CPR step is configured');
  return step;
}

async function enterCprStep(options: ResolvedCprOptions, context: StepContext): Promise<StepResult> {
  const { deps, tx, sp, identity } = context;
  const mode = cprModeFor(sp, identity);
  if (!mode) return { kind: 'done' };
  // Idempotent: a CPR already found in this login (a match just posted, or a lookup before a later step's page).
  if (tx.cprCiphertext && tx.cprKeyId) return { kind: 'done' };
  const vault = requireVault(deps);
  const pid = identity.pid!;

  if (mode === 'lookup') {
    const cpr = await requireClient(options.pidCpr).lookup(pid);
    if (!isValidCpr(cpr)) throw new IdpError('CPR_RESPONSE_INVALID', 'PID-CPR lookup answered a number that is not a CPR');
    const sealed = vault.seal(cpr);
    auditCpr(stepOf(context), 'cpr_looked_up', identity);
    return { kind: 'done', patch: { cprCiphertext: sealed.ciphertext, cprKeyId: sealed.keyId, cprSource: 'lookup' } };
  }

  const key = pidHmac(options.pidHmacSecret, pid);
  // Only what the user agreed to remember for this very SP (issue 16.1): memory from another service never answers
  // here, so a passive request at a service without that consent gets NoPassive and an active one the page.
  const remembered = await recallCpr(deps, vault, key, sp.entityId);
  if (remembered !== null) {
    const sealed = vault.seal(remembered);
    auditCpr(stepOf(context).with({ cprMemory: { touch: { key, spEntityId: sp.entityId } } }), 'cpr_from_memory', identity);
    return { kind: 'done', patch: { cprCiphertext: sealed.ciphertext, cprKeyId: sealed.keyId, cprSource: 'memory' } };
  }
  const view = cprPageView(options, { tx, sp });
  // A passive request cannot show a page: advanceLogin answers NoPassive, so leave the state as it is.
  if (readRequestFacts(tx.request).isPassive) return { kind: 'page', view };
  if (tx.state === 'authenticated') stepOf(context).moveTo('cpr');
  else if (tx.state !== 'cpr') throw new IdpError('LOGIN_STATE_CONFLICT', `login ${tx.id} is ${tx.state}, not ready for the CPR page`);
  return { kind: 'page', view };
}
