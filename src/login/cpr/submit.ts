import { IdpError } from '../../errors/index.js';
import { cprMatchAttempts, cprMemory, loginTransactions } from '../../store/index.js';
import { advanceLogin } from '../advance.js';
import type { LoginDeps } from '../deps.js';
import { asStoredIdentity, type StoredIdentity } from '../identity.js';
import type { CookieChanges, Outcome, PageOutcome } from '../outcome.js';
import { advanceState, inTransaction, loadForBrowser, requireState, spOf } from '../transactions.js';
import { normalizeCpr } from './cpr-number.js';
import { rememberCpr } from './memory.js';
import type { ResolvedCprOptions } from './options.js';
import { auditCpr, cprPageView } from './page.js';
import { pidHmac } from './pid-hmac.js';
import { cprModeFor, requireClient, requireVault } from './rules.js';
import type { CprPageView } from './view.js';

// The CPR page's use cases for a login waiting in state `cpr`: show it, take a typed CPR (checked as a real date
// before any call; at most N tries per login, counted atomically; a per-PID hourly limit across logins; PID-CPR
// match), and forget a remembered CPR. The typed number is never logged, audited or echoed back.

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
  return inTransaction(tx, async () => {
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
  return inTransaction(tx, async () => {
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
    const recent = await cprMatchAttempts.countSince(deps.pool, key, new Date(now.getTime() - HOUR_MS));
    if (recent >= options.maxAttemptsPerPidPerHour) throw new IdpError('CPR_RATE_LIMITED', 'too many CPR tries for this PID within the hour');
    const attempt = await loginTransactions.countCprAttempt(deps.pool, tx.id, 'cpr', options.maxAttemptsPerLogin, now);
    if (attempt === null) throw new IdpError('CPR_ATTEMPTS_EXCEEDED');
    await cprMatchAttempts.record(deps.pool, key, now);

    const matched = await client.match(pid, cpr);
    if (!matched) {
      deps.log.info({ loginId: tx.id, attempt }, 'CPR number did not match the PID');
      if (attempt >= options.maxAttemptsPerLogin) throw new IdpError('CPR_ATTEMPTS_EXCEEDED');
      const view = cprPageView(options, { tx: { ...tx, cprAttempts: attempt }, sp }, { error: 'CPR_MISMATCH' });
      return { outcome: { type: 'page', view, status: 400 }, cookies: {} };
    }

    const sealed = vault.seal(cpr);
    const matchedTx = await advanceState(deps, tx, 'cpr', { cprCiphertext: sealed.ciphertext, cprKeyId: sealed.keyId, cprSource: 'match' });
    await auditCpr(deps, 'cpr_matched', tx, identity, { attempt }, context.traceId);
    if (options.offerRemember(sp) && isTicked(form.remember)) {
      await rememberCpr(deps, vault, key, cpr);
      await auditCpr(deps, 'cpr_remembered', tx, identity, {}, context.traceId);
    }
    return advanceLogin(deps, matchedTx, { fromSession: false, ...(context.traceId ? { traceId: context.traceId } : {}) });
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
  return inTransaction(tx, async () => {
    requireState(tx, 'cpr');
    const { identity, pid, sp } = matchIdentity(deps, tx);
    const forgotten = await cprMemory.forget(deps.pool, pidHmac(options.pidHmacSecret, pid));
    await auditCpr(deps, 'cpr_forgotten', tx, identity, { hadEntry: forgotten }, context.traceId);
    return { type: 'page', view: cprPageView(options, { tx, sp }, { forgotten }) };
  });
}

function isTicked(value: unknown): boolean {
  return value === 'on' || value === 'true' || value === '1' || value === 'yes';
}
