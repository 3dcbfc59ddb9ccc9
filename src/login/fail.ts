import { catalogue, entryFor, type ErrorCode } from '../errors/index.js';
import { buildErrorResponse, type RegisteredSp } from '../saml/index.js';
import { auditEvents, loginSteps, type AuditEvent, type LoginTransaction } from '../store/index.js';
import type { LoginDeps } from './deps.js';
import type { SamlPostOutcome } from './outcome.js';

function samlPost(action: string, responseXml: string, relayState: string | null | undefined): SamlPostOutcome {
  return {
    type: 'saml-post',
    action,
    fields: { SAMLResponse: Buffer.from(responseXml, 'utf8').toString('base64'), ...(relayState ? { RelayState: relayState } : {}) },
  };
}

export { samlPost };

export interface ErrorAnswerTarget {
  readonly sp: RegisteredSp;
  readonly acsUrl: string;
  readonly acsBinding: string;
  readonly requestId: string | null;
  readonly relayState: string | null | undefined;
  readonly loginId?: string;
}

/**
 * A signed error Response to an ACS that was verified against metadata (never to any other URL), with the audit
 * event that records it. Nothing is written: the caller commits `audit` with the step that ends the login, and calls
 * `sent()` once it has.
 */
export function errorAnswer(
  deps: LoginDeps,
  target: ErrorAnswerTarget,
  code: ErrorCode,
  traceId?: string,
): { outcome: SamlPostOutcome; audit: AuditEvent; sent(): void } {
  const response = buildErrorResponse({
    sp: target.sp,
    acs: { url: target.acsUrl, binding: target.acsBinding, index: 0 },
    issuer: deps.config.idp.entityId,
    ...(target.requestId ? { inResponseTo: target.requestId } : {}),
    code,
    signing: { key: deps.config.idp.signing.keyPem, cert: deps.config.idp.signing.certPem },
    clock: deps.clock,
  });
  const status = entryFor(code).saml;
  return {
    outcome: samlPost(target.acsUrl, response.xml, target.relayState),
    audit: {
      occurredAt: deps.clock.now(),
      type: 'response_sent',
      traceId: traceId ?? null,
      spEntityId: target.sp.entityId,
      loginId: target.loginId ?? null,
      sessionId: null,
      data: { status: status?.top ?? 'Responder', subStatus: status?.second ?? null, code, responseId: response.responseId },
    },
    sent: () => deps.recordOutcome?.(catalogue[code].kind === 'cancelled' ? 'cancelled' : 'failure', code),
  };
}

/** errorAnswer with its audit event written on its own (for answers that belong to no login row). */
export async function errorResponseOutcome(deps: LoginDeps, target: ErrorAnswerTarget, code: ErrorCode, traceId?: string): Promise<SamlPostOutcome> {
  const answer = errorAnswer(deps, target, code, traceId);
  await auditEvents.append(deps.pool, answer.audit);
  answer.sent();
  return answer.outcome;
}

/**
 * Ends a login with `code`: the transaction becomes `failed` (once) and, when the code may be answered, the SP gets
 * a signed error Response at its verified ACS. Null means "show the local page" (not answerable, or already ended).
 *
 * The compare-and-set is against the committed state, not the state `tx` was read in: a step that moved the login on
 * meanwhile (or failed half way in an older version) does not stop the failure from being recorded and answered.
 * The answer is built from `tx`'s ACS, request ID and RelayState, which no step ever changes.
 */
export async function failLogin(deps: LoginDeps, tx: LoginTransaction, code: ErrorCode, traceId?: string): Promise<SamlPostOutcome | null> {
  if (code === 'LOGIN_STATE_CONFLICT') return null;
  const sp = entryFor(code).saml ? deps.registry().byEntityId(tx.spEntityId) : undefined;
  const answer = sp
    ? errorAnswer(deps, { sp, acsUrl: tx.acsUrl, acsBinding: tx.acsBinding, requestId: tx.requestId, relayState: tx.relayState, loginId: tx.id }, code, traceId)
    : null;
  const failed = await loginSteps.failLogin(deps.pool, tx.id, code, deps.clock.now(), answer ? [answer.audit] : []);
  if (!failed || !answer) return null;
  answer.sent();
  return answer.outcome;
}
