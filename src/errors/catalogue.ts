// The one error catalogue. Codes are stable and never reused: tests, logs, SAML StatusMessage and dashboards key on
// them. `saml` says whether the failure may be answered to a verified ACS and with which status pair
// (saml-profile.md §5); entries without it always end on a local error page. `kind` picks the user-facing advice.

export type SamlTopStatus = 'Requester' | 'Responder';
export type ErrorKind = 'user' | 'cancelled' | 'account' | 'technical' | 'integration' | 'security';

export interface CatalogueEntry {
  readonly http: number;
  readonly kind: ErrorKind;
  /** Present when the error may be answered to the SP after its ACS is verified. */
  readonly saml?: { readonly top: SamlTopStatus; readonly second?: string };
  /** Logged at error level and counted as an alarm (integration faults, attacks). */
  readonly alarm?: boolean;
}

const requester = (second: string) => ({ top: 'Requester' as const, second });
const responder = (second?: string) => (second ? { top: 'Responder' as const, second } : { top: 'Responder' as const });

export const catalogue = {
  // --- generic / HTTP
  INTERNAL_ERROR: { http: 500, kind: 'technical', saml: responder(), alarm: true },
  NOT_FOUND: { http: 404, kind: 'user' },
  METHOD_NOT_ALLOWED: { http: 405, kind: 'user' },
  BAD_REQUEST: { http: 400, kind: 'user' },
  PAYLOAD_TOO_LARGE: { http: 413, kind: 'user' },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, kind: 'user' },
  RATE_LIMITED: { http: 429, kind: 'user' },
  CSRF_INVALID: { http: 403, kind: 'security' },
  NOT_READY: { http: 503, kind: 'technical' },
  /** More requests waiting for the database than DB_QUEUE_LIMIT: refused at once instead of queued. */
  SERVICE_BUSY: { http: 503, kind: 'technical', saml: responder() },
  /** /metrics or the detailed /readyz without the operations bearer token. */
  OPERATIONS_UNAUTHORIZED: { http: 401, kind: 'security' },

  // --- configuration and start-up
  CONFIG_INVALID: { http: 500, kind: 'integration', alarm: true },
  SCHEMA_BEHIND: { http: 503, kind: 'technical', alarm: true },
  SP_REGISTRY_INVALID: { http: 500, kind: 'integration', alarm: true },

  // --- database (mapped from SQLSTATE)
  DB_UNAVAILABLE: { http: 503, kind: 'technical', saml: responder(), alarm: true },
  DB_CONFLICT: { http: 409, kind: 'technical' },
  DB_SERIALIZATION_FAILURE: { http: 503, kind: 'technical', saml: responder() },
  DB_QUERY_FAILED: { http: 500, kind: 'technical', saml: responder(), alarm: true },
  // SQLSTATE 22021/22P05: text PostgreSQL cannot store (U+0000, an encoding error) reached a statement. The input is
  // at fault, not the service; the checks at the edge should have refused it first.
  DB_TEXT_REFUSED: { http: 400, kind: 'user' },
  MIGRATION_FAILED: { http: 500, kind: 'technical', alarm: true },

  // --- SAML requests, before the ACS is verified (never answered to the SP)
  SAML_REQUEST_MALFORMED: { http: 400, kind: 'integration' },
  SAML_REQUEST_TOO_LARGE: { http: 413, kind: 'security', alarm: true },
  SAML_XML_FORBIDDEN: { http: 400, kind: 'security', alarm: true },
  SAML_SCHEMA_INVALID: { http: 400, kind: 'integration' },
  SAML_ISSUER_UNKNOWN: { http: 400, kind: 'integration' },
  // The Issuer equals a registered entityID only after trimming white space: entity IDs are compared exactly.
  SAML_ISSUER_NOT_EXACT: { http: 400, kind: 'integration' },
  SAML_SIGNATURE_MISSING: { http: 400, kind: 'integration' },
  SAML_SIGNATURE_INVALID: { http: 400, kind: 'security', alarm: true },
  SAML_SIGNATURE_ALGORITHM_REFUSED: { http: 400, kind: 'integration' },
  SAML_SIGNATURE_STRUCTURE_INVALID: { http: 400, kind: 'security', alarm: true },
  SAML_DESTINATION_INVALID: { http: 400, kind: 'integration' },
  SAML_ISSUE_INSTANT_INVALID: { http: 400, kind: 'integration' },
  SAML_ACS_UNKNOWN: { http: 400, kind: 'integration' },
  SAML_ACS_AMBIGUOUS: { http: 400, kind: 'integration' },
  SAML_REQUEST_REPLAYED: { http: 400, kind: 'security', alarm: true },
  SAML_RELAY_STATE_INVALID: { http: 400, kind: 'integration' },
  // U+0000 or a C0 control other than tab, CR, LF in a RelayState or in a message's text (XML 1.0 forbids them).
  SAML_CONTROL_CHARACTER: { http: 400, kind: 'integration' },
  SAML_IDP_INITIATED_REFUSED: { http: 403, kind: 'integration' },
  SAML_SP_UNKNOWN: { http: 400, kind: 'integration' },
  // --- SAML requests, after the ACS is verified (answered to the SP)
  SAML_BINDING_UNSUPPORTED: { http: 400, kind: 'integration', saml: requester('UnsupportedBinding') },
  SAML_NAMEID_POLICY_INVALID: { http: 400, kind: 'integration', saml: requester('InvalidNameIDPolicy') },
  SAML_AUTHN_CONTEXT_UNSUPPORTED: { http: 400, kind: 'integration', saml: requester('NoAuthnContext') },
  SAML_SUBJECT_NOT_SUPPORTED: { http: 400, kind: 'integration', saml: requester('RequestDenied') },
  SAML_NO_PASSIVE: { http: 400, kind: 'user', saml: requester('NoPassive') },
  SAML_ENCRYPTION_FAILED: { http: 500, kind: 'technical', saml: responder(), alarm: true },
  // --- single logout
  SAML_LOGOUT_INVALID: { http: 400, kind: 'integration' },
  SAML_LOGOUT_RESPONSE_INVALID: { http: 400, kind: 'integration' },

  // --- login transactions
  LOGIN_NOT_FOUND: { http: 404, kind: 'user' },
  LOGIN_EXPIRED: { http: 410, kind: 'user', saml: responder('AuthnFailed') },
  LOGIN_STATE_CONFLICT: { http: 409, kind: 'user' },
  LOGIN_BROWSER_MISMATCH: { http: 403, kind: 'security', alarm: true },

  // --- NemID client and response (nemid-protocol.md §4.5, §5)
  NEMID_USER_CANCELLED: { http: 200, kind: 'cancelled', saml: responder('AuthnFailed') },
  NEMID_ACCOUNT_PROBLEM: { http: 200, kind: 'account', saml: responder('AuthnFailed') },
  NEMID_CLIENT_TECHNICAL: { http: 200, kind: 'technical', saml: responder() },
  NEMID_CLIENT_INTEGRATION: { http: 200, kind: 'integration', saml: responder(), alarm: true },
  NEMID_PARAMETERS_INVALID: { http: 500, kind: 'integration', alarm: true },
  NEMID_RESPONSE_MALFORMED: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  NEMID_SIGNATURE_INVALID: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  NEMID_CERT_UNTRUSTED: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  NEMID_CERT_EXPIRED: { http: 400, kind: 'account', saml: responder('AuthnFailed') },
  NEMID_CERT_NOT_YET_VALID: { http: 400, kind: 'account', saml: responder('AuthnFailed') },
  NEMID_CERT_REVOKED: { http: 400, kind: 'account', saml: responder('AuthnFailed') },
  NEMID_REVOCATION_UNAVAILABLE: { http: 503, kind: 'technical', saml: responder() },
  NEMID_CERT_TYPE_NOT_ALLOWED: { http: 403, kind: 'account', saml: responder('RequestDenied') },
  NEMID_YOUTH_DENIED: { http: 403, kind: 'account', saml: responder('RequestDenied') },
  NEMID_ACTION_INVALID: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  NEMID_CHALLENGE_MISMATCH: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  NEMID_REQUEST_ISSUER_MISMATCH: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  NEMID_TIMESTAMP_MISMATCH: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  NEMID_RESPONSE_REPLAYED: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },

  // --- CPR (nemid-protocol.md §8)
  CPR_FORMAT_INVALID: { http: 400, kind: 'user' },
  CPR_MISMATCH: { http: 400, kind: 'user' },
  CPR_ATTEMPTS_EXCEEDED: { http: 403, kind: 'user', saml: responder('AuthnFailed') },
  CPR_RATE_LIMITED: { http: 429, kind: 'user', saml: responder('AuthnFailed') },
  CPR_NO_PID: { http: 403, kind: 'account', saml: responder('AuthnFailed') },
  CPR_BRUTE_FORCE: { http: 403, kind: 'account', saml: responder('AuthnFailed') },
  CPR_NOT_AUTHORIZED: { http: 502, kind: 'integration', saml: responder(), alarm: true },
  CPR_SERVICE_ERROR: { http: 502, kind: 'integration', saml: responder(), alarm: true },
  CPR_SERVICE_INTERNAL_ERROR: { http: 502, kind: 'technical', saml: responder() },
  CPR_SERVICE_UNAVAILABLE: { http: 503, kind: 'technical', saml: responder() },
  CPR_RESPONSE_INVALID: { http: 502, kind: 'integration', saml: responder(), alarm: true },
  CPR_RELEASE_NEEDS_ENCRYPTION: { http: 500, kind: 'integration', saml: responder(), alarm: true },

  // --- business login (issue 7)
  BUSINESS_ROLES_UNAVAILABLE: { http: 503, kind: 'technical', saml: responder() },
  BUSINESS_ROLES_INVALID: { http: 502, kind: 'integration', saml: responder(), alarm: true },
  BUSINESS_NO_ROLE: { http: 403, kind: 'account', saml: responder('AuthnFailed') },
  BUSINESS_CHOICE_INVALID: { http: 400, kind: 'security', alarm: true },

  // --- MitID through an OIDC broker (mitid.md, "The callback")
  MITID_NOT_OFFERED: { http: 400, kind: 'integration', saml: responder('RequestDenied') },
  MITID_STATE_UNKNOWN: { http: 400, kind: 'security', alarm: true },
  MITID_STATE_REPLAYED: { http: 400, kind: 'security', alarm: true },
  MITID_ISSUER_MISMATCH: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  MITID_USER_CANCELLED: { http: 200, kind: 'cancelled', saml: responder('AuthnFailed') },
  MITID_BROKER_ERROR: { http: 502, kind: 'technical', saml: responder(), alarm: true },
  MITID_BROKER_UNAVAILABLE: { http: 503, kind: 'technical', saml: responder() },
  MITID_TOKEN_EXCHANGE_FAILED: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  MITID_ID_TOKEN_INVALID: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  MITID_LEVEL_NOT_MET: { http: 403, kind: 'account', saml: responder('NoAuthnContext') },
  MITID_AUTH_TIME_STALE: { http: 400, kind: 'security', saml: responder('AuthnFailed'), alarm: true },
  MITID_CLAIM_MISSING: { http: 502, kind: 'integration', saml: responder(), alarm: true },
  MITID_IDENTITY_KIND_REFUSED: { http: 403, kind: 'account', saml: responder('RequestDenied') },

  // --- the simulator's demo SP: what it refuses in the messages it receives from the IdP (shown on its own page)
  DEMO_SP_MESSAGE_MALFORMED: { http: 400, kind: 'integration' },
  DEMO_SP_DESTINATION_INVALID: { http: 400, kind: 'integration' },
  DEMO_SP_ISSUER_INVALID: { http: 400, kind: 'integration' },
  DEMO_SP_NOT_REQUESTED: { http: 400, kind: 'security' },
  DEMO_SP_SIGNATURE_INVALID: { http: 400, kind: 'security' },
  DEMO_SP_DECRYPTION_FAILED: { http: 400, kind: 'security' },
  DEMO_SP_ASSERTION_INVALID: { http: 400, kind: 'integration' },
  DEMO_SP_ASSERTION_REPLAYED: { http: 400, kind: 'security' },
  DEMO_SP_LOGOUT_INVALID: { http: 400, kind: 'integration' },
} as const satisfies Record<string, CatalogueEntry>;

/**
 * Codes taken out of the catalogue; never given to a new meaning. CPR_NOT_FOR_EMPLOYEES (issue 11): employee (MOCES)
 * logins on an SP with a CPR step now log in without the step and without CPR attributes (saml-profile.md §4.3,
 * §8.2); an SP that wants a CPR from every user allows only POCES.
 */
export const RETIRED_CODES: readonly string[] = ['CPR_NOT_FOR_EMPLOYEES'];

export type ErrorCode = keyof typeof catalogue;

export function entryFor(code: ErrorCode): CatalogueEntry {
  return catalogue[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(catalogue, value);
}
