import { buildLoginResponse, type Capacity } from '../saml/index.js';
import { samlId } from '../shared/index.js';
import { idpSessions, participants, type LoginTransaction } from '../store/index.js';
import { audit, nameIdHash } from './audit.js';
import type { LoginDeps } from './deps.js';
import { asStoredIdentity, samlSubject, type BusinessChoice } from './identity.js';
import { resolveNameId } from './name-id.js';
import type { CookieChanges, SamlPostOutcome } from './outcome.js';
import { readRequestFacts } from './request-facts.js';
import { createSession } from './session.js';
import { samlPost } from './fail.js';
import { advanceState, inTransaction, spOf } from './transactions.js';
import { IdpError } from '../errors/index.js';

/**
 * The last step: the assertion for the authenticated identity, the IdP session (created, or the one this login came
 * from), the participant with its stable SessionIndex, the audit event, and the transaction `completed` exactly once.
 */
export async function finishLogin(deps: LoginDeps, tx: LoginTransaction, traceId?: string): Promise<{ outcome: SamlPostOutcome; cookies: CookieChanges }> {
  return inTransaction(tx, async () => {
    const identity = asStoredIdentity(tx.identity);
    if (!identity) throw new IdpError('LOGIN_STATE_CONFLICT', 'login has no verified identity');
    const sp = spOf(deps, tx);
    const facts = readRequestFacts(tx.request);
    const business = (tx.businessChoice ?? undefined) as BusinessChoice | undefined;
    const businessChoice = business && typeof business.cvr === 'string' ? business : undefined;
    const cpr = tx.cprCiphertext && tx.cprKeyId && sp.policy.releaseCpr && deps.cprVault ? deps.cprVault.open(tx.cprCiphertext, tx.cprKeyId) : undefined;
    const subject = samlSubject(identity, { ...(cpr ? { cpr } : {}), ...(businessChoice ? { business: businessChoice } : {}) });
    const capacity: Capacity = subject.capacity;

    const cookies: CookieChanges = {};
    let session = tx.idpSessionId ? await idpSessions.getActive(deps.pool, tx.idpSessionId, deps.clock.now()) : null;
    if (!session) {
      const created = await createSession(deps, identity, deps.clock.now());
      session = created.session;
      cookies.sessionSecret = created.cookieValue;
    }
    const existing = await participants.get(deps.pool, session.id, sp.entityId);
    const sessionIndex = existing?.sessionIndex ?? samlId();
    const nameId = await resolveNameId(deps, sp, identity, capacity, facts);

    const response = buildLoginResponse({
      sp,
      acs: { url: tx.acsUrl, binding: tx.acsBinding, index: 0 },
      issuer: deps.config.idp.entityId,
      ...(tx.requestId ? { inResponseTo: tx.requestId } : {}),
      subject,
      nameId,
      authnInstant: session.authnInstant,
      sessionIndex,
      authnContextClassRef: facts.authnContextClassRef,
      signing: { key: deps.config.idp.signing.keyPem, cert: deps.config.idp.signing.certPem },
      clock: deps.clock,
    });

    const now = deps.clock.now();
    await advanceState(deps, tx, 'completed', { completedAt: now, idpSessionId: session.id, cprCiphertext: null, cprKeyId: null });
    await participants.upsert(deps.pool, {
      sessionId: session.id,
      spEntityId: sp.entityId,
      nameId: nameId.value,
      nameIdFormat: nameId.format,
      nameQualifier: nameId.nameQualifier ?? null,
      spNameQualifier: nameId.spNameQualifier ?? null,
      sessionIndex,
      createdAt: existing?.createdAt ?? now,
    });
    await audit(deps, {
      type: 'response_sent',
      ...(traceId ? { traceId } : {}),
      spEntityId: sp.entityId,
      loginId: tx.id,
      sessionId: session.id,
      data: {
        status: 'Success',
        responseId: response.responseId,
        nameIdFormat: nameId.format,
        nameIdHash: nameIdHash(nameId.value),
        sessionIndex,
        capacity,
        certificateType: identity.type,
        cprReleased: cpr !== undefined,
      },
    });
    deps.recordOutcome?.('success', 'OK');
    return { outcome: samlPost(tx.acsUrl, response.xml, tx.relayState), cookies };
  });
}
