import { IdpError } from '../errors/index.js';
import { checkCertificatePolicy, classifyClientResponse, verifyNemidResponse } from '../nemid/index.js';
import { advanceLogin } from './advance.js';
import { LoginStep } from './login-step.js';
import type { LoginDeps } from './deps.js';
import { storedIdentity } from './identity.js';
import type { CookieChanges, Outcome } from './outcome.js';
import { failuresOf, LoginFailure, loadForBrowser, requireState, spOf } from './transactions.js';
import { spDisplayName } from './client.js';
import type { ClientErrorView } from './views.js';

const DAY_MS = 24 * 3600 * 1000;

export interface NemidCompletion {
  outcome: Outcome;
  cookies: CookieChanges;
  /** The remember-user-id token NemID signed (only when the user ticked the box), for the browser's cookie. */
  rememberUseridToken?: string;
}

/**
 * What the NemID client posted back. A client error code is shown to the user with the advice for its class (the SP
 * is answered when they choose to go back). A document goes through the whole checklist: the response verified with
 * only the expected values of this transaction, the SP's certificate policy applied; then one commit takes the
 * challenge, records the signature digest against replay, archives the signed document as evidence and moves the
 * login on (through the optional steps to the assertion when none needs a page).
 */
export async function completeNemid(
  deps: LoginDeps,
  id: string,
  browserSecret: string | undefined,
  rawResponse: unknown,
  context: { traceId?: string },
): Promise<NemidCompletion> {
  const tx = await loadForBrowser(deps, id, browserSecret);
  requireState(tx, 'client_started');
  return failuresOf(tx, async () => {
    const sp = spOf(deps, tx);
    const step = LoginStep.of(deps, tx);
    const classified = classifyClientResponse(typeof rawResponse === 'string' ? rawResponse : '');
    if (classified.kind === 'error') {
      const logFields = { loginId: tx.id, clientCode: classified.code, clientClass: classified.class };
      if (classified.class === 'I') deps.log.error(logFields, 'NemID client reported an integration error');
      else deps.log.info(logFields, 'NemID client returned an error code');
      await step.set({ errorCode: classified.errorCode }).commit();
      const view: ClientErrorView = {
        kind: 'client-error',
        loginId: tx.id,
        spName: spDisplayName(sp, tx.language),
        clientCode: classified.code,
        clientClass: classified.class,
        retryable: classified.class === 'U' || classified.class === 'T',
      };
      return { outcome: { type: 'page', view, status: 200 }, cookies: {} };
    }

    // The challenge is read here and taken by the commit, which applies only while it is still the open one: one
    // challenge authenticates at most one response, and a failed step leaves it open for a retry.
    const now = deps.clock.now();
    const challenge = tx.nemidChallenge;
    if (!challenge) throw new IdpError('NEMID_CHALLENGE_MISMATCH', 'no open challenge for this login (already used or replaced)');
    const verified = await verifyNemidResponse(classified.xml, {
      validator: deps.validator,
      at: now,
      expected: {
        challenge,
        requestIssuer: deps.config.nemid.requestIssuer,
        timestamp: tx.nemidTimestamp ?? '',
        client: tx.nemidClient === 'codefile' ? 'codefile' : 'js',
      },
    });
    checkCertificatePolicy(verified.identity, sp.policy);

    const identity = storedIdentity(verified.identity, verified.type, verified.identityAssuranceLevel);
    step
      .moveTo('authenticated', { identity: identity as unknown as Record<string, unknown>, errorCode: null })
      .with({
        challenge,
        // Recorded with the step: a response seen before (here or on another instance) aborts the whole commit.
        responseDigest: { digest: verified.signatureValueDigest, expiresAt: new Date(verified.identity.notAfter.getTime() + DAY_MS) },
        evidence: { signedXml: verified.evidenceXml, expiresAt: new Date(now.getTime() + deps.config.nemid.evidenceRetentionDays * DAY_MS) },
      })
      .audit({
        type: 'nemid_authenticated',
        traceId: context.traceId,
        data: { certificateType: verified.type, certificateSerial: identity.certificateSerialHex, issuer: identity.issuerDn, youth: identity.youth, client: tx.nemidClient },
      });
    const next = await advanceLogin(deps, step, { fromSession: false, ...(context.traceId ? { traceId: context.traceId } : {}) });
    return { ...next, ...(verified.rememberUseridToken ? { rememberUseridToken: verified.rememberUseridToken } : {}) };
  });
}

/** "Back to the service" after a client error: the SP gets the error recorded for this login, never one from the form. */
export async function abortLogin(deps: LoginDeps, id: string, browserSecret: string | undefined): Promise<never> {
  const tx = await loadForBrowser(deps, id, browserSecret);
  const code = tx.errorCode && tx.errorCode.startsWith('NEMID_') ? (tx.errorCode as IdpError['code']) : 'NEMID_USER_CANCELLED';
  throw new LoginFailure(code, tx);
}
