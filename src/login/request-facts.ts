import { AC_X509, NAMEID_PERSISTENT, NAMEID_TRANSIENT, NAMEID_X509, type RegisteredSp, type RequestedLevel, type VerifiedAuthnRequest } from '../saml/index.js';

/** What a login remembers of its verified AuthnRequest (JSON in login_transactions.request). */
export interface RequestFacts {
  readonly nameIdFormat: string;
  readonly allowCreate: boolean;
  readonly authnContextClassRef: string;
  readonly forceAuthn: boolean;
  readonly isPassive: boolean;
  readonly idpInitiated: boolean;
  /** The NSIS levels the request accepts; absent (older rows, IdP-initiated, no request) = the policy's minimum. */
  readonly requestedLevel?: RequestedLevel | null;
}

export function requestFacts(verified: VerifiedAuthnRequest): RequestFacts {
  return {
    nameIdFormat: verified.nameIdFormat,
    allowCreate: verified.allowCreate,
    authnContextClassRef: verified.authnContextClassRef,
    forceAuthn: verified.forceAuthn,
    isPassive: verified.isPassive,
    idpInitiated: false,
    requestedLevel: verified.requestedLevel,
  };
}

export function readRequestFacts(value: Record<string, unknown>): RequestFacts {
  return value as unknown as RequestFacts;
}

const POLICY_NAMEID_FORMAT = { persistent: NAMEID_PERSISTENT, transient: NAMEID_TRANSIENT, x509SubjectName: NAMEID_X509 } as const;

/**
 * IdP-initiated SSO has no request: the policy's NameID format (AllowCreate, since nobody asked otherwise), the X509
 * context NemID gives, no ForceAuthn or IsPassive.
 */
export function idpInitiatedFacts(sp: RegisteredSp): RequestFacts {
  return {
    nameIdFormat: POLICY_NAMEID_FORMAT[sp.policy.nameIdFormat],
    allowCreate: true,
    authnContextClassRef: AC_X509,
    forceAuthn: false,
    isPassive: false,
    idpInitiated: true,
  };
}

/** What this login needs: the request's levels, or the SP policy's minimum when the request names none. */
export function levelRequirement(facts: RequestFacts, sp: RegisteredSp): RequestedLevel {
  return facts.requestedLevel ?? { minimum: sp.policy.minimumLoa };
}
