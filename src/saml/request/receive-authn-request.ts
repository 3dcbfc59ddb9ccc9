import type { ErrorCode } from '../../errors/index.js';
import type { Clock } from '../../shared/index.js';
import { decodeMessage, type IncomingMessage } from '../bindings/decode.js';
import type { RegisteredSp, SpRegistry } from '../registry/types.js';
import { checkAuthnContext, type RequestedLevel } from './check-authn-context.js';
import { checkBinding } from './check-binding.js';
import { checkDestination } from './check-destination.js';
import { checkIssueInstant } from './check-issue-instant.js';
import { checkNameIdPolicy } from './check-nameid-policy.js';
import { checkPassive } from './check-passive.js';
import { checkSignature } from './check-signature.js';
import { checkSubject } from './check-subject.js';
import { screenProtocolMessage } from './parse-message.js';
import { defaultPostAcs, resolveAcs } from './resolve-acs.js';

// An incoming AuthnRequest (saml-profile.md §2): decode with caps, parse once, schema-validate, then checks 1–5 in
// order. Any failure up to there throws IdpError and must end on the local error page. From check 6 on the ACS is
// verified, and the first failure of checks 8–12 is returned as `deferredError`, to be answered to `acs`. Check 7
// (replay) belongs to the caller, which records (sp, requestId) atomically until issueInstant + skew.

export interface SamlContext {
  registry: SpRegistry;
  idp: { entityId: string; baseUrl: string };
  clock: Clock;
  skewSeconds: number;
}

export interface VerifiedAuthnRequest {
  sp: RegisteredSp;
  /** Where every answer goes: the resolved ACS, or the default HTTP-POST ACS after a binding failure. */
  acs: { url: string; binding: string; index: number };
  requestBinding: 'redirect' | 'post';
  requestId: string;
  issueInstant: Date;
  relayState?: string;
  forceAuthn: boolean;
  isPassive: boolean;
  /** NameID Format URI we will send (§2.5, with the policy's format for absent/unspecified). */
  nameIdFormat: string;
  /** The class ref the AuthnStatement will carry (§2.6). */
  authnContextClassRef: string;
  /** The NSIS levels the request accepts (null: none asked for; the SP policy's minimum applies). */
  requestedLevel: RequestedLevel | null;
  spNameQualifier?: string;
  allowCreate: boolean;
  deferredError?: ErrorCode;
}

export async function receiveAuthnRequest(input: IncomingMessage, context: SamlContext): Promise<VerifiedAuthnRequest> {
  const decoded = decodeMessage(input, 'SAMLRequest');
  const { document, sp } = await screenProtocolMessage(decoded, 'AuthnRequest', context.registry); // 1, then a signature present, then the schema
  const signedRoot = checkSignature(decoded, document, sp); // 2: only signedRoot is read from here on
  checkDestination(signedRoot, `${context.idp.baseUrl}/saml/sso`); // 3
  const issueInstant = checkIssueInstant(signedRoot, context.clock, context.skewSeconds); // 4
  const resolved = resolveAcs(signedRoot, sp); // 5; 6 = verified from here on

  const bindingError = checkBinding(signedRoot, resolved); // 8
  const acs = bindingError ? defaultPostAcs(sp) : resolved;
  const nameId = checkNameIdPolicy(signedRoot, sp); // 9
  const authnContext = checkAuthnContext(signedRoot); // 10
  const subjectError = checkSubject(signedRoot); // 11
  const passive = checkPassive(signedRoot); // 12
  const deferredError = bindingError ?? nameId.error ?? authnContext.error ?? subjectError ?? passive.error;

  return {
    sp,
    acs: { url: acs.location, binding: acs.binding, index: acs.index },
    requestBinding: decoded.binding,
    requestId: signedRoot.getAttribute('ID') ?? '',
    issueInstant,
    ...(decoded.relayState !== undefined ? { relayState: decoded.relayState } : {}),
    forceAuthn: passive.forceAuthn,
    isPassive: passive.isPassive,
    nameIdFormat: nameId.nameIdFormat,
    authnContextClassRef: authnContext.authnContextClassRef,
    requestedLevel: authnContext.requestedLevel,
    ...(nameId.spNameQualifier !== undefined ? { spNameQualifier: nameId.spNameQualifier } : {}),
    allowCreate: nameId.allowCreate,
    ...(deferredError ? { deferredError } : {}),
  };
}
