import { spDisplayName } from './sp-name.js';
import { buildLoginResponse, type Capacity } from '../saml/index.js';
import { samlId } from '../shared/index.js';
import { idpSessions, participants } from '../store/index.js';
import { nameIdHash } from './audit.js';
import type { LoginDeps } from './deps.js';
import { asStoredIdentity, eidOf, samlSubject, type BusinessChoice } from './identity.js';
import { NSIS_LOA_PREFIX } from '../mitid/index.js';
import type { LoginStep } from './login-step.js';
import { resolveNameId } from './name-id.js';
import type { CookieChanges, SamlPostOutcome } from './outcome.js';
import { readRequestFacts } from './request-facts.js';
import { newSession } from './session.js';
import { samlPost } from './fail.js';
import { failuresOf, spOf } from './transactions.js';
import { IdpError } from '../errors/index.js';

/**
 * The last step: the assertion for the authenticated identity, the IdP session (new, or the one this login came
 * from), the participant with its stable SessionIndex, the audit event, and the transaction `completed` exactly once
 * — all committed with `step`, so a login is never completed without its session and participant, nor the other way
 * round. The signed response leaves only after the commit.
 */
export async function finishLogin(
  deps: LoginDeps,
  step: LoginStep,
  traceId?: string,
  transient: { cpr?: string } = {},
): Promise<{ outcome: SamlPostOutcome; cookies: CookieChanges }> {
  const tx = step.tx;
  return failuresOf(tx, async () => {
    const identity = asStoredIdentity(tx.identity);
    if (!identity) throw new IdpError('LOGIN_STATE_CONFLICT', 'login has no verified identity');
    const sp = spOf(deps, tx);
    const facts = readRequestFacts(tx.request);
    const business = (tx.businessChoice ?? undefined) as BusinessChoice | undefined;
    const businessChoice = business && typeof business.cvr === 'string' ? business : undefined;
    // A MitID login's CPR comes from the broker's ID token in this request (never stored); NemID's from the sealed row.
    const cpr = transient.cpr !== undefined && sp.policy.releaseCpr
      ? transient.cpr
      : tx.cprCiphertext && tx.cprKeyId && sp.policy.releaseCpr && deps.cprVault ? deps.cprVault.open(tx.cprCiphertext, tx.cprKeyId) : undefined;
    const subject = samlSubject(identity, { ...(cpr ? { cpr } : {}), ...(businessChoice ? { business: businessChoice } : {}) });
    const capacity: Capacity = subject.capacity;

    const cookies: CookieChanges = {};
    const now = deps.clock.now();
    // Only a login that came from an IdP session reads it (and this SP's place in it); a fresh login creates both.
    const existing = tx.idpSessionId ? await idpSessions.getActive(deps.pool, tx.idpSessionId, now) : null;
    const participant = existing ? await participants.get(deps.pool, existing.id, sp.entityId) : null;
    let session: { id: string; authnInstant: Date; loa?: string };
    if (existing) {
      session = existing;
    } else {
      const created = newSession(deps, identity, now);
      step.with({ session: created.session });
      session = created.session;
      cookies.sessionSecret = created.cookieValue;
    }
    const sessionIndex = participant?.sessionIndex ?? samlId();
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
      authnContextClassRef: identity.eid === 'mitid' && identity.mitid ? `${NSIS_LOA_PREFIX}${session.loa ?? identity.mitid.loa}` : facts.authnContextClassRef,
      signing: { key: deps.config.idp.signing.keyPem, cert: deps.config.idp.signing.certPem },
      clock: deps.clock,
    });

    step
      .moveTo('completed', { completedAt: now, idpSessionId: session.id, cprCiphertext: null, cprKeyId: null })
      .with({
        participant: {
          sessionId: session.id,
          spEntityId: sp.entityId,
          nameId: nameId.value,
          nameIdFormat: nameId.format,
          nameQualifier: nameId.nameQualifier ?? null,
          spNameQualifier: nameId.spNameQualifier ?? null,
          sessionIndex,
          createdAt: participant?.createdAt ?? now,
        },
        ...(nameId.record ? { persistentId: { spEntityId: sp.entityId, nameId: nameId.value } } : {}),
      })
      .audit({
        type: 'response_sent',
        traceId,
        sessionId: session.id,
        data: {
          status: 'Success',
          responseId: response.responseId,
          nameIdFormat: nameId.format,
          nameIdHash: nameIdHash(nameId.value),
          sessionIndex,
          capacity,
          certificateType: identity.type,
          eid: eidOf(identity),
          cprReleased: cpr !== undefined,
        },
      });
    await step.commit();
    deps.recordOutcome?.('success', 'OK');
    deps.recordEidOutcome?.(eidOf(identity), 'success');
    const posted = samlPost(tx.acsUrl, response.xml, tx.relayState);
    // Issue 14: a CPR from memory is said so on the final page, with "Glem det" (a passive request shows no page).
    const fromMemory = tx.cprSource === 'memory' && cpr !== undefined && !facts.isPassive;
    return { outcome: fromMemory ? { ...posted, rememberedCpr: { loginId: tx.id, spName: spDisplayName(sp, tx.language) } } : posted, cookies };
  });
}
