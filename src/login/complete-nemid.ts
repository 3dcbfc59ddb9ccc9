import { IdpError } from '../errors/index.js';
import { checkCertificatePolicy, classifyClientResponse, verifyNemidResponse } from '../nemid/index.js';
import { loginTransactions, nemidEvidence, responseDigests } from '../store/index.js';
import { advanceLogin } from './advance.js';
import { audit } from './audit.js';
import type { LoginDeps } from './deps.js';
import { storedIdentity } from './identity.js';
import type { CookieChanges, Outcome } from './outcome.js';
import { advanceState, inTransaction, LoginFailure, loadForBrowser, requireState, spOf } from './transactions.js';
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
 * is answered when they choose to go back). A document goes through the whole checklist: the challenge is taken
 * atomically first, the response verified with only the expected values of this transaction, its signature digest
 * recorded against replay, the SP's certificate policy applied, the signed document archived as evidence.
 */
export async function completeNemid(
  deps: LoginDeps,
  id: string,
  browserSecret: string | undefined,
  rawResponse: unknown,
  context: { traceId?: string },
): Promise<NemidCompletion> {
  const tx = await loadForBrowser(deps, id, browserSecret);
  return inTransaction(tx, async () => {
    requireState(tx, 'client_started');
    const sp = spOf(deps, tx);
    const classified = classifyClientResponse(typeof rawResponse === 'string' ? rawResponse : '');
    if (classified.kind === 'error') {
      const logFields = { loginId: tx.id, clientCode: classified.code, clientClass: classified.class };
      if (classified.class === 'I') deps.log.error(logFields, 'NemID client reported an integration error');
      else deps.log.info(logFields, 'NemID client returned an error code');
      await advanceState(deps, tx, 'client_started', { errorCode: classified.errorCode });
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

    const now = deps.clock.now();
    const challenge = await loginTransactions.takeChallenge(deps.pool, tx.id, 'client_started', now);
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
    const firstUse = await responseDigests.record(deps.pool, verified.signatureValueDigest, tx.id, now, new Date(verified.identity.notAfter.getTime() + DAY_MS));
    if (!firstUse) throw new IdpError('NEMID_RESPONSE_REPLAYED', 'this NemID response was used before');
    checkCertificatePolicy(verified.identity, sp.policy);

    await nemidEvidence.put(deps.pool, {
      loginId: tx.id,
      signedXml: verified.signedXml,
      createdAt: now,
      expiresAt: new Date(now.getTime() + deps.config.nemid.evidenceRetentionDays * DAY_MS),
    });
    const identity = storedIdentity(verified.identity, verified.type, verified.identityAssuranceLevel);
    const authenticated = await advanceState(deps, tx, 'authenticated', { identity: identity as unknown as Record<string, unknown>, errorCode: null });
    await audit(deps, {
      type: 'nemid_authenticated',
      ...(context.traceId ? { traceId: context.traceId } : {}),
      spEntityId: sp.entityId,
      loginId: tx.id,
      data: { certificateType: verified.type, certificateSerial: identity.certificateSerialHex, issuer: identity.issuerDn, youth: identity.youth, client: tx.nemidClient },
    });
    const next = await advanceLogin(deps, authenticated, { fromSession: false, ...(context.traceId ? { traceId: context.traceId } : {}) });
    return { ...next, ...(verified.rememberUseridToken ? { rememberUseridToken: verified.rememberUseridToken } : {}) };
  });
}

/** "Back to the service" after a client error: the SP gets the error recorded for this login, never one from the form. */
export async function abortLogin(deps: LoginDeps, id: string, browserSecret: string | undefined): Promise<never> {
  const tx = await loadForBrowser(deps, id, browserSecret);
  const code = tx.errorCode && tx.errorCode.startsWith('NEMID_') ? (tx.errorCode as IdpError['code']) : 'NEMID_USER_CANCELLED';
  throw new LoginFailure(code, tx);
}
