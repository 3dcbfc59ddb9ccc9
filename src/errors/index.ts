// The error catalogue (stable codes, HTTP status, SAML status pair, user-facing texts in Danish and English) and
// IdpError, the one error type that crosses module boundaries. Trusts nothing; imports only shared/.
export * from './catalogue.js';
export * from './idp-error.js';
export * from './messages.js';
