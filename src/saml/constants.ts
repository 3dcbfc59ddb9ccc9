// SAML 2.0 URIs used across the module (saml-core, saml-bindings, saml-profile.md).

export const BINDING_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
export const BINDING_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
export const PROTOCOL_SAML2 = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const DEFLATE_ENCODING = 'urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE';

export const NAMEID_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';
export const NAMEID_PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
export const NAMEID_TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
export const NAMEID_X509 = 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName';
export const NAMEID_ENTITY = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

export const AC_X509 = 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509';
export const LOA_SUBSTANTIAL = 'https://data.gov.dk/concept/core/nsis/loa/Substantial';
export const LOA_LOW = 'https://data.gov.dk/concept/core/nsis/loa/Low';
export const LOA_HIGH = 'https://data.gov.dk/concept/core/nsis/loa/High';

export const CM_BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
export const STATUS_PREFIX = 'urn:oasis:names:tc:SAML:2.0:status:';
export const LOGOUT_REASON_USER = 'urn:oasis:names:tc:SAML:2.0:logout:user';

/** Size caps of §2.1. */
export const LIMITS = {
  queryStringBytes: 16 * 1024,
  postBodyBytes: 256 * 1024,
  inflatedBytes: 128 * 1024,
  relayStateBytes: 80,
} as const;

/** Lifetime of what we issue: assertions, Conditions, SubjectConfirmationData, LogoutRequests (§3.2, §6). */
export const MESSAGE_LIFETIME_SECONDS = 300;
