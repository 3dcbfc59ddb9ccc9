import { catalogue, entryFor, type ErrorCode } from '../errors/index.js';
import { buildErrorResponse, type RegisteredSp } from '../saml/index.js';
import { loginTransactions, type LoginTransaction } from '../store/index.js';
import { audit } from './audit.js';
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

/** A signed error Response to an ACS that was verified against metadata (never to any other URL). */
export async function errorResponseOutcome(
  deps: LoginDeps,
  target: { sp: RegisteredSp; acsUrl: string; acsBinding: string; requestId: string | null; relayState: string | null | undefined; loginId?: string },
  code: ErrorCode,
  traceId?: string,
): Promise<SamlPostOutcome> {
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
  await audit(deps, {
    type: 'response_sent',
    ...(traceId ? { traceId } : {}),
    spEntityId: target.sp.entityId,
    ...(target.loginId ? { loginId: target.loginId } : {}),
    data: { status: status?.top ?? 'Responder', subStatus: status?.second ?? null, code, responseId: response.responseId },
  });
  deps.recordOutcome?.(catalogue[code].kind === 'cancelled' ? 'cancelled' : 'failure', code);
  return samlPost(target.acsUrl, response.xml, target.relayState);
}

/**
 * Ends a login with `code`: the transaction becomes `failed` (once) and, when the code may be answered, the SP gets
 * a signed error Response at its verified ACS. Null means "show the local page" (not answerable, or already ended).
 */
export async function failLogin(deps: LoginDeps, tx: LoginTransaction, code: ErrorCode, traceId?: string): Promise<SamlPostOutcome | null> {
  if (tx.state === 'completed' || tx.state === 'failed' || code === 'LOGIN_STATE_CONFLICT') return null;
  const failed = await loginTransactions.transition(deps.pool, tx.id, tx.state, 'failed', { errorCode: code, cprCiphertext: null, cprKeyId: null }, deps.clock.now());
  if (!failed) return null;
  if (!entryFor(code).saml) return null;
  const sp = deps.registry().byEntityId(tx.spEntityId);
  if (!sp) return null;
  return errorResponseOutcome(deps, { sp, acsUrl: tx.acsUrl, acsBinding: tx.acsBinding, requestId: tx.requestId, relayState: tx.relayState, loginId: tx.id }, code, traceId);
}
