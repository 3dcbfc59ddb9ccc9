import { IdpError } from '../../errors/index.js';
import { cprMatchAttempts, cprMemory } from '../../store/index.js';
import { advanceLogin } from '../advance.js';
import { audit } from '../audit.js';
import { LoginStep } from '../login-step.js';
import type { LoginDeps } from '../deps.js';
import { asStoredIdentity, type StoredIdentity } from '../identity.js';
import type { CookieChanges, Outcome, PageOutcome } from '../outcome.js';
import { failuresOf, loadForBrowser, requireState, spOf } from '../transactions.js';
import { normalizeCpr } from './cpr-number.js';
import type { ResolvedCprOptions } from './options.js';
import { auditCpr, cprPageView } from './page.js';
import { pidHmac } from './pid-hmac.js';
import { cprModeFor, requireClient, requireVault } from './rules.js';
import type { CprPageView } from './view.js';

// The CPR page's use cases for a login waiting in state `cpr`: show it, take a typed CPR (checked as a real date
// before any call; at most N tries per login and M per PID per hour across logins, both reserved in one transaction
// before PID-CPR is asked; PID-CPR match), and forget a remembered CPR. The typed number is never logged, audited or
// echoed back. A match is one more commit: the sealed CPR, its audit events and "remember me" go in with the step.

const HOUR_MS = 60 * 60 * 1000;

/** The posted form fields; anything not a string is treated as absent. */
export interface CprForm {
  readonly cpr?: unknown;
  readonly remember?: unknown;
}

function matchIdentity(deps: LoginDeps, tx: Parameters<typeof spOf>[1]): { identity: StoredIdentity; pid: string; sp: ReturnType<typeof spOf> } {
  const identity = asStoredIdentity(tx.identity);
  if (!identity) throw new IdpError('LOGIN_STATE_CONFLICT', 'login has no verified identity');
  const sp = spOf(deps, tx);
  if (cprModeFor(sp, identity) !== 'match') throw new IdpError('LOGIN_STATE_CONFLICT', 'this login has no CPR page');
  return { identity, pid: identity.pid!, sp };
}

export async function showCprPage(options: ResolvedCprOptions, deps: LoginDeps, loginId: string, browserSecret: string | undefined): Promise<PageOutcome<CprPageView>> {
  const tx = await loadForBrowser(deps, loginId, browserSecret);
  return failuresOf(tx, async () => {
    requireState(tx, 'cpr');
    const { sp } = matchIdentity(deps, tx);
    return { type: 'page', view: cprPageView(options, { tx, sp }) };
  });
}

export async function submitCprForm(
  options: ResolvedCprOptions,
  deps: LoginDeps,
  loginId: string,
  browserSecret: string | undefined,
  form: CprForm,
  context: { traceId?: string },
): Promise<{ outcome: Outcome; cookies: CookieChanges }> {
  const tx = await loadForBrowser(deps, loginId, browserSecret);
  return failuresOf(tx, async () => {
    requireState(tx, 'cpr');
    const { identity, pid, sp } = matchIdentity(deps, tx);
    const vault = requireVault(deps);
    const client = requireClient(options.pidCpr);
    if (tx.cprAttempts >= options.maxAttemptsPerLogin) throw new IdpError('CPR_ATTEMPTS_EXCEEDED');

    const cpr = normalizeCpr(form.cpr);
    if (cpr === null) {
      // Not a real date: no call is made and no try is used up.
      return { outcome: { type: 'page', view: cprPageView(options, { tx, sp }, { error: 'CPR_FORMAT_INVALID' }), status: 400 }, cookies: {} };
    }

    const now = deps.clock.now();
    const key = pidHmac(options.pidHmacSecret, pid);
    const reserved = await cprMatchAttempts.reserve(deps.pool, {
      pidHmac: key,
      loginId: tx.id,
      since: new Date(now.getTime() - HOUR_MS),
      now,
      maxPerLogin: options.maxAttemptsPerLogin,
      maxPerPid: options.maxAttemptsPerPidPerHour,
    });
    if (reserved.kind === 'pid-limit') throw new IdpError('CPR_RATE_LIMITED', 'too many CPR tries for this PID within the hour');
    if (reserved.kind === 'login-limit') throw new IdpError('CPR_ATTEMPTS_EXCEEDED');
    if (reserved.kind === 'moved-on') throw new IdpError('LOGIN_STATE_CONFLICT', 'login moved on while a CPR number was posted');
    const attempt = reserved.attempt;

    const matched = await client.match(pid, cpr);
    if (!matched) {
      deps.log.info({ loginId: tx.id, attempt }, 'CPR number did not match the PID');
      if (attempt >= options.maxAttemptsPerLogin) throw new IdpError('CPR_ATTEMPTS_EXCEEDED');
      const view = cprPageView(options, { tx: { ...tx, cprAttempts: attempt }, sp }, { error: 'CPR_MISMATCH' });
      return { outcome: { type: 'page', view, status: 400 }, cookies: {} };
    }

    const sealed = vault.seal(cpr);
    const step = LoginStep.of(deps, { ...tx, cprAttempts: attempt }).set({ cprCiphertext: sealed.ciphertext, cprKeyId: sealed.keyId, cprSource: 'match' });
    auditCpr(step, 'cpr_matched', identity, { attempt }, context.traceId);
    if (options.offerRemember(sp) && isTicked(form.remember)) {
      step.with({ cprMemory: { put: { key, spEntityId: sp.entityId, ...vault.seal(cpr) } } });
      auditCpr(step, 'cpr_remembered', identity, {}, context.traceId);
    }
    return advanceLogin(deps, step, { fromSession: false, ...(context.traceId ? { traceId: context.traceId } : {}) });
  });
}

export async function forgetFromPage(
  options: ResolvedCprOptions,
  deps: LoginDeps,
  loginId: string,
  browserSecret: string | undefined,
  context: { traceId?: string },
): Promise<PageOutcome<CprPageView>> {
  const tx = await loadForBrowser(deps, loginId, browserSecret);
  return failuresOf(tx, async () => {
    requireState(tx, 'cpr');
    const { identity, pid, sp } = matchIdentity(deps, tx);
    // From the CPR page the user asks to be forgotten, not to be forgotten here only: every service's entry goes.
    const forgotten = await cprMemory.forget(deps.pool, pidHmac(options.pidHmacSecret, pid));
    await audit(deps, {
      type: 'cpr_forgotten',
      ...(context.traceId ? { traceId: context.traceId } : {}),
      spEntityId: tx.spEntityId,
      loginId: tx.id,
      data: { certificateSerial: identity.certificateSerialHex, hadEntry: forgotten },
    });
    return { type: 'page', view: cprPageView(options, { tx, sp }, { forgotten }) };
  });
}

function isTicked(value: unknown): boolean {
  return value === 'on' || value === 'true' || value === '1' || value === 'yes';
}
