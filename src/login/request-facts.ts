import type { VerifiedAuthnRequest } from '../saml/index.js';

/** What a login remembers of its verified AuthnRequest (JSON in login_transactions.request). */
export interface RequestFacts {
  readonly nameIdFormat: string;
  readonly allowCreate: boolean;
  readonly authnContextClassRef: string;
  readonly forceAuthn: boolean;
  readonly isPassive: boolean;
  readonly idpInitiated: boolean;
}

export function requestFacts(verified: VerifiedAuthnRequest): RequestFacts {
  return {
    nameIdFormat: verified.nameIdFormat,
    allowCreate: verified.allowCreate,
    authnContextClassRef: verified.authnContextClassRef,
    forceAuthn: verified.forceAuthn,
    isPassive: verified.isPassive,
    idpInitiated: false,
  };
}

export function readRequestFacts(value: Record<string, unknown>): RequestFacts {
  return value as unknown as RequestFacts;
}
